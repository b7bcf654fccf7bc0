"""Every statement traced to the notice: what a visitor reads rests on the notice's own words.

A benefit (what is given, its amount and how it is paid), each of its conditions and self-checks,
and the measure's `apply` texts carry `notice:`, the words of the notice they rest on, copied
exactly from the measure's `source.as_published` (or from a later notice quoted in its change
log). A self-check or an `apply` text that the notice does not support is allowed only when it is
marked `guidance: true`: the site and the calculator then label it as general guidance, not the
notice's word. `frequency` says only what the notice says: `one_time` needs the benefit's quote
to say "one-time", `recurring` needs a `duration` ("for up to ..."); otherwise `not_stated`.
"""
from __future__ import annotations

from typing import Any, Iterator

PathT = tuple  # a path into the measure document, e.g. ("benefits", 0, "conditions", 1)
Problem = tuple[PathT, str, str]  # (path, message, hint)

_HINT_QUOTE = "copy the words it rests on from source.as_published into `notice:`, exactly as published"


def _quoted(value: Any, quotes: list[str]) -> bool:
    return isinstance(value, str) and value.strip() != "" and any(value in q for q in quotes)


def _check(item: Any, path: PathT, what: str, quotes: list[str], guidance_allowed: bool) -> Iterator[Problem]:
    if not isinstance(item, dict):
        return
    notice, guidance = item.get("notice"), item.get("guidance") is True
    if notice is not None and guidance:
        yield path + ("guidance",), f"{what} has both `notice` and `guidance`", \
            "keep `notice` if the notice says it; `guidance: true` only for general guidance it does not give"
    elif notice is None and not guidance:
        hint = _HINT_QUOTE + (" (or mark general guidance `guidance: true`)" if guidance_allowed else "")
        yield path, f"{what} names no sentence of the notice (`notice:` missing)", hint
    elif guidance and not guidance_allowed:
        yield path + ("guidance",), f"{what} cannot be general guidance: it must rest on the notice", _HINT_QUOTE
    elif notice is not None and not _quoted(notice, quotes):
        yield path + ("notice",), f"'{notice}' is not found word for word in source.as_published", _HINT_QUOTE


def trace_problems(measure: dict[str, Any]) -> list[Problem]:
    """The measure's statements that name no sentence of the notice, or misquote it."""
    source = measure.get("source") if isinstance(measure.get("source"), dict) else {}
    quotes = [source.get("as_published")] + [e.get("quote") for e in measure.get("change_log") or []
                                             if isinstance(e, dict)]
    quotes = [q for q in quotes if isinstance(q, str)]
    problems: list[Problem] = []
    benefits = measure.get("benefits") if isinstance(measure.get("benefits"), list) else []
    for i, benefit in enumerate(benefits):
        if not isinstance(benefit, dict):
            continue
        path = ("benefits", i)
        problems += _check(benefit, path, "this benefit", quotes, guidance_allowed=False)
        notice = benefit.get("notice") if isinstance(benefit.get("notice"), str) else ""
        frequency = benefit.get("frequency")
        if frequency == "one_time" and notice and "one-time" not in notice.lower():
            problems.append((path + ("frequency",), "one_time, but the benefit's `notice` quote does not say "
                             "\"one-time\"", "quote the words that say one-time, or use frequency: not_stated"))
        if frequency == "recurring" and not benefit.get("duration"):
            problems.append((path + ("frequency",), "recurring, but the notice gives no period (`duration`)",
                             "use frequency: not_stated unless the notice says \"for up to ...\""))
        for j, condition in enumerate(benefit.get("conditions") or []):
            problems += _check(condition, path + ("conditions", j), "this condition", quotes, guidance_allowed=False)
        for j, item in enumerate(benefit.get("self_check") or []):
            problems += _check(item, path + ("self_check", j), "this self-check", quotes, guidance_allowed=True)
    apply = measure.get("apply") if isinstance(measure.get("apply"), dict) else {}
    for key in ("how", "where"):
        if key in apply:
            problems += _check(apply[key], ("apply", key), f"apply.{key}", quotes, guidance_allowed=True)
    for j, item in enumerate(apply.get("documents") or []):
        problems += _check(item, ("apply", "documents", j), "this document", quotes, guidance_allowed=True)
    return problems
