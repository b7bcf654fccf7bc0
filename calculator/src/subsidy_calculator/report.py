"""The result as plain text (the command line's `--format text`): by recipient, with the
arithmetic, the reasons and what is still to answer or check. All words come from the result
itself or from texts.results."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .texts import fill, with_duration

_MARK = {True: "✓", False: "✗", None: "?"}


def text_report(result: Mapping[str, Any], words: Mapping[str, str]) -> str:
    lines = [fill(words["report.heading"], date=result["date_text"]), ""]
    if result["errors"]:
        lines.append(words["report.errors"])
        lines += [f"  ! {e['message']}" for e in result["errors"]]
        lines.append("")
    if not result["groups"]:
        lines += [words["report.nothing"], ""]
    for group in result["groups"]:
        heading = group["title"]
        if group["total_text"]:
            heading = fill(words["report.line"], name=heading, text=fill(words["report.total"], amount=group["total_text"]))
        lines += [heading, "=" * 40]
        for item in group["items"]:
            lines += _item(item, words)
        lines.append("")
    changes = [change["text"] for m in result["measures"] for item in m["items"]
               for change in (item.get("what_if") or {}).get("changes") or ()]
    if changes:
        lines += [words["report.what_if"], "=" * 40] + [f"  → {line}" for line in changes] + [""]
    lines.append(words["report.measures"])
    for m in result["measures"]:
        lines.append("  " + fill(words["report.line"], name=f"{m['label']} {m['title']}", text=m["status_text"]))
        lines += [f"      · {r}" for r in m["reasons"]]
        how = m["items"][0]["how_to_apply"] if m["items"] else None
        if how and m["status"] in ("eligible", "may_be_eligible"):
            lines.append("      " + fill(words["report.how_to_apply"], text=how))
    lines += ["", result["disclaimer"]]
    return "\n".join(lines) + "\n"


def _item(item: Mapping[str, Any], words: Mapping[str, str]) -> list[str]:
    lines = ["  ■ " + fill(words["report.line"], name=item["name"], text=item["status_text"]),
             f"      {item['measure_label']} {item['measure_title']} · {item['frequency_text']}"]
    amount = with_duration(words, item["amount_text"], item["duration_text"])
    for line in (amount, *item["arithmetic"], *item["left_out"]):
        if line:
            lines.append(f"      {line}")
    lines += [f"      {_MARK[r['met']]} {r['text']}" for r in item["reasons"]]
    if item["missing"]:
        lines += [f"      ? {m['label']}" for m in item["missing"]]
    if item["self_check"]:
        lines.append(f"      {words['report.self_check']}")
        lines += [f"        □ {c}" for c in item["self_check"]]
    what_if = item.get("what_if") or {}
    lines += [f"      → {line}" for line in (what_if.get("remaining"), what_if.get("one_more"), *what_if.get("ahead", ()))
              if line]
    return lines
