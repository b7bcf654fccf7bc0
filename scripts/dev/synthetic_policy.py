"""Write a synthetic policy folder with N measures, to build and measure the site at scale.

    python -m scripts.dev.synthetic_policy OUT_DIR [--count 1000] [--hostile]

The measures are copies of the real ones (numbered 1..N, cycling through the 18, the first 18
keeping their ids), each made a
little different so pages are not identical: a variant number in the title, a change-log entry
on its own date, and for every third copy of a measure with an amount, a second dated value
(a raised amount from 2123-02-01, from an imagined supplementary notice written to
`notices/`, as staff would do it).
`--hostile` puts HTML and Markdown in the first measure's texts, to prove they show as text.
The result passes `python -m scripts.policy.cli OUT_DIR`.
"""
from __future__ import annotations

import argparse
import copy
import datetime as dt
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policy"
HOSTILE = '</title><script>alert("x")</script> *not bold* [not a link](https://example.org) & 1. # <b>'
SUPPLEMENT = {"id": "synthetic-2123-1", "date": "2123-01-15", "number": "No. 1 [2123]",
              "name": {"zh": "2123年第1号补充通知（示例）", "en": "Supplementary notice No. 1 of 2123 (sample)"}}


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _raise_amount(measure: dict, number: int) -> str | None:
    """End the first money figure's open value on 2123-01-31 and add a raised one after it."""
    for name, figure in (measure.get("figures") or {}).items():
        last = figure["values"][-1]
        if figure["unit"] != "yuan" or last.get("from") or last.get("until"):
            continue
        new_value = round(last["value"] * 1.1)
        published = f"{new_value:,} yuan per person"
        last["until"] = "2123-01-31"
        figure["values"].append({"value": new_value, "as_published": published, "from": "2123-02-01",
                                 "until": None, "notice": SUPPLEMENT["id"]})
        quote = f"From 1 February 2123 the standard is raised to {published} (synthetic notice {number})."
        measure.setdefault("change_log", []).append({
            "date": SUPPLEMENT["date"],
            "text": {"zh": f"自2123年2月1日起，金额提高到{new_value}元。",
                     "en": f"From 1 February 2123 the amount rises to {new_value:,} yuan."},
            "notice": SUPPLEMENT["id"],
            "quote": quote,
        })
        return quote
    return None


def variant(real: dict, number: int, copy_no: int, hostile: bool = False) -> dict:
    """Copy `copy_no` of a real measure as measure `number`. The first copy keeps the real id
    (questions.yaml quotes figures as [[measure-id.figure]])."""
    measure = copy.deepcopy(real)
    measure["id"] = real["id"] if copy_no == 0 else f"{real['id']}-{number}"
    measure["number"] = number
    measure["title"] = {"zh": f"{real['title']['zh']}（示例 {number}）",
                        "en": f"{real['title']['en']} (sample {number})"}
    day = (dt.date(2026, 11, 26) - dt.timedelta(days=number % 400)).isoformat()
    measure["change_log"] = [{"date": day, "text": {"zh": f"示例措施 {number}：根据通知原文生成。",
                                                     "en": f"Sample measure {number}: made from the notice."}}]
    if copy_no % 3 == 2:
        _raise_amount(measure, number)  # its quote goes into the supplementary notice (write)
    if hostile:
        for key in ("title", "summary"):
            measure[key] = {lang: f"{text} {HOSTILE}" for lang, text in measure[key].items()}
    return measure


def write(out: Path, count: int = 1000, hostile: bool = False) -> Path:
    """Write the synthetic policy folder `out` (replacing it) and return it."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copy2(POLICY / "questions.yaml", out / "questions.yaml")
    for folder in ("texts", "schema"):
        if (POLICY / folder).is_dir():
            shutil.copytree(POLICY / folder, out / folder)
    (out / "measures").mkdir()
    reals = [_read(p) for p in sorted((POLICY / "measures").glob("*.yaml"))]
    reals.sort(key=lambda m: m["number"])
    quotes = []
    for number in range(1, count + 1):
        real = reals[(number - 1) % len(reals)]
        measure = variant(real, number, (number - 1) // len(reals), hostile and number == 1)
        quotes += [e["quote"] for e in measure.get("change_log") or [] if e.get("notice") == SUPPLEMENT["id"]]
        path = out / "measures" / f"{number:02d}-{measure['id']}.yaml"
        path.write_text("# yaml-language-server: $schema=../schema/measure.schema.json\n"
                        + yaml.safe_dump(measure, allow_unicode=True, sort_keys=False, width=1000),
                        encoding="utf-8")
    notice = _read(POLICY / "notice.yaml")
    if quotes:  # the imagined later notice, with its own text file
        (out / "notices").mkdir()
        source = out / "notices" / f"{SUPPLEMENT['id']}.en.txt"
        source.write_text("Supplementary notice (synthetic)\n\n" + "\n".join(quotes) + "\n", encoding="utf-8")
        notice["supplements"] = [{**SUPPLEMENT, "source_file": f"{out.name}/notices/{source.name}"}]
    (out / "notice.yaml").write_text("# yaml-language-server: $schema=schema/notice.schema.json\n"
                                     + yaml.safe_dump(notice, allow_unicode=True, sort_keys=False, width=1000),
                                     encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--hostile", action="store_true")
    args = parser.parse_args(argv)
    write(args.out, args.count, args.hostile)
    print(f"wrote {args.count} measures to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
