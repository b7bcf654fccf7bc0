"""What notices do to each other: one notice repeals or supersedes an earlier one, or some of its
measures, from a date. One reading for the engine, the guide's pages and the staff tools.

A notice's `acts_on` entries name the notice acted on, optionally its measures by number, and
`from`, the first day on which they no longer apply. A measure applies on a day when the day is
within its own `in_force`, within its notice's `in_force`, and before any act that ends it.
"""
from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from . import periods


@dataclass(frozen=True)
class Ended:
    """A measure ended by another notice: from `date` (the first day it no longer applies)."""

    date: str
    action: str        # "repeals" | "supersedes"
    by: str            # the id of the notice that does it

    @property
    def last_day(self) -> str:
        return periods.day_before(self.date)

    def in_effect(self, day: str) -> bool:
        """Whether the act has taken effect on `day`: the measure no longer applies."""
        return periods.contains({"from": self.date, "until": None}, day)


def _acts(notices: Sequence[Mapping[str, Any]]) -> Iterator[tuple[Mapping[str, Any], Ended]]:
    """Every act of every notice, with what it does."""
    for notice in notices:
        for act in notice.get("acts_on") or ():
            yield act, Ended(str(act["from"]), act["action"], notice["id"])


def _earliest(found: dict[str, Ended], key: str, ended: Ended) -> None:
    if key not in found or ended.date < found[key].date:
        found[key] = ended


def measure_endings(notices: Sequence[Mapping[str, Any]]) -> dict[str, Ended]:
    """{measure id: the earliest act that ends it} over every notice's `acts_on`. A notice lists
    its measures' ids by number (`measures`), so measure N of a notice is its N-th id."""
    ids = {n["id"]: list(n.get("measures") or ()) for n in notices}
    found: dict[str, Ended] = {}
    for act, ended in _acts(notices):
        target = ids.get(act["notice"], [])
        numbers = act.get("measures")
        for measure_id in target if numbers is None else [target[n - 1] for n in numbers if 0 < n <= len(target)]:
            _earliest(found, measure_id, ended)
    return found


def notice_endings(notices: Sequence[Mapping[str, Any]]) -> dict[str, Ended]:
    """{notice id: the earliest act that ends the whole notice}."""
    found: dict[str, Ended] = {}
    for act, ended in _acts(notices):
        if act.get("measures") is None:
            _earliest(found, act["notice"], ended)
    return found


def period(notice_or_measure: Mapping[str, Any], ended: Ended | None) -> dict[str, Any]:
    """`in_force` of a notice or a measure, cut short by the act that ends it."""
    own = notice_or_measure.get("in_force")
    if ended is None:
        return dict(own or {"from": None, "until": None})
    return periods.ending_by(own, ended.last_day)


def change_days(policy: Mapping[str, Any]) -> list[str]:
    """Every day on which the rules read differently, in order: a dated value, a measure, benefit,
    condition or notice that starts, the day after one ends, or an act that ends measures. The
    same for a loaded policy (the pages) and a rules bundle (the calculator)."""
    windows: list[Mapping[str, Any] | None] = []
    for notice in policy.get("notices") or ():
        windows.append(notice.get("in_force"))
        windows += [{"from": act.get("from")} for act in notice.get("acts_on") or ()]
    for measure in policy.get("measures") or ():
        windows.append(measure.get("in_force"))
        for figure in (measure.get("figures") or {}).values():
            windows += figure.get("values") or []
        for benefit in measure.get("benefits") or ():
            windows.append(benefit.get("in_force"))
            windows += [c.get("in_force") for c in benefit.get("conditions") or ()]
    return periods.boundaries(windows)
