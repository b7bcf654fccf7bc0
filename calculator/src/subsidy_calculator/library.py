"""What notices do to each other: one notice repeals or supersedes an earlier one, or some of its
measures, from a date. One reading for the engine, the guide's pages and the staff tools.

A notice's `acts_on` entries name the notice acted on, optionally its measures by number, and
`from`, the first day on which they no longer apply. A measure applies on a day when the day is
within its own `in_force`, within its notice's `in_force`, and before any act that ends it.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from .formatting import in_period


@dataclass(frozen=True)
class Ended:
    """A measure ended by another notice: from `date` (the first day it no longer applies)."""

    date: str
    action: str        # "repeals" | "supersedes"
    by: str            # the id of the notice that does it

    @property
    def last_day(self) -> str:
        return (_dt.date.fromisoformat(self.date) - _dt.timedelta(days=1)).isoformat()


def measure_endings(notices: Sequence[Mapping[str, Any]]) -> dict[str, Ended]:
    """{measure id: the earliest act that ends it} over every notice's `acts_on`. A notice lists
    its measures' ids by number (`measures`), so measure N of a notice is its N-th id."""
    ids = {n["id"]: list(n.get("measures") or ()) for n in notices}
    found: dict[str, Ended] = {}
    for notice in notices:
        for act in notice.get("acts_on") or ():
            target = ids.get(act["notice"], [])
            numbers = act.get("measures")
            hit = target if numbers is None else [target[n - 1] for n in numbers if 0 < n <= len(target)]
            ended = Ended(str(act["from"]), act["action"], notice["id"])
            for measure_id in hit:
                if measure_id not in found or ended.date < found[measure_id].date:
                    found[measure_id] = ended
    return found


def notice_endings(notices: Sequence[Mapping[str, Any]]) -> dict[str, Ended]:
    """{notice id: the earliest act that ends the whole notice}."""
    found: dict[str, Ended] = {}
    for notice in notices:
        for act in notice.get("acts_on") or ():
            if act.get("measures") is None:
                ended = Ended(str(act["from"]), act["action"], notice["id"])
                if act["notice"] not in found or ended.date < found[act["notice"]].date:
                    found[act["notice"]] = ended
    return found


def applies(measure: Mapping[str, Any], notice: Mapping[str, Any], ended: Ended | None, iso: str) -> bool:
    """Whether a measure applies on day `iso` (YYYY-MM-DD)."""
    return (in_period(measure.get("in_force"), iso) and in_period(notice.get("in_force"), iso)
            and (ended is None or iso < ended.date))


def period(notice_or_measure: Mapping[str, Any], ended: Ended | None) -> dict[str, Any]:
    """`in_force` of a notice or a measure, cut short by the act that ends it."""
    own = dict(notice_or_measure.get("in_force") or {"from": None, "until": None})
    if ended is not None and (own.get("until") is None or str(own["until"]) > ended.last_day):
        own["until"] = ended.last_day
    return own
