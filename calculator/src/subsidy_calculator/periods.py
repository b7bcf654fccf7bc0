"""Dated validity: what a `{from, until}` window means, in one place.

A window is a mapping with `from` and `until`, each a day written YYYY-MM-DD or None: `in_force`
of a notice, a measure, a benefit or a condition, and each dated value of a figure. Both ends are
inclusive: `from` is the first day it applies and `until` the last; None leaves that end open
(since the notice took effect; with no end date). The first day it no longer applies is the day
after `until`. No window at all (None, {}) is open at both ends. Days are compared as their ISO
text, which orders them as the calendar does.

The engine, the guide's pages, the validator and the diff all read windows with these functions.
Standard library only: the calculator runs it in Pyodide too.
"""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeGuard

Window = Mapping[str, Any]
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


# -- days ----------------------------------------------------------------------------------------

def is_day(value: Any) -> TypeGuard[str]:
    """A real day written YYYY-MM-DD ('2027-02-30' is not)."""
    if not (isinstance(value, str) and _DAY.match(value)):
        return False
    try:
        _dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def day_after(day: str) -> str:
    return (_dt.date.fromisoformat(day) + _dt.timedelta(days=1)).isoformat()


def day_before(day: str) -> str:
    return (_dt.date.fromisoformat(day) - _dt.timedelta(days=1)).isoformat()


# -- one window ----------------------------------------------------------------------------------

def start(window: Window | None) -> str | None:
    """The first day of the window; None when it is open at the start."""
    day = window.get("from") if window else None
    return None if day is None else str(day)


def end(window: Window | None) -> str | None:
    """The last day of the window (`until`); None when it has no end."""
    day = window.get("until") if window else None
    return None if day is None else str(day)


def dated(window: Window | None) -> bool:
    """Whether the window has a start or an end (else it is open at both)."""
    return start(window) is not None or end(window) is not None


def valid(window: Window | None) -> bool:
    """Whether the window holds at least one day: it does not end before it starts."""
    first, last = start(window), end(window)
    return first is None or last is None or first <= last


def contains(window: Window | None, day: str) -> bool:
    """Whether `day` lies in the window (both ends included; no window: every day)."""
    first, last = start(window), end(window)
    return (first is None or first <= day) and (last is None or day <= last)


def ended(window: Window | None, day: str) -> bool:
    """Whether the window's last day is before `day`."""
    last = end(window)
    return last is not None and last < day


def to_come(window: Window | None, day: str) -> bool:
    """Whether the window starts after `day`."""
    first = start(window)
    return first is not None and day < first


def next_change(window: Window | None) -> str | None:
    """The first day after the window: the day after `until` (None when it has no end)."""
    last = end(window)
    return None if last is None else day_after(last)


def ending_by(window: Window | None, last_day: str) -> dict[str, Any]:
    """A copy of the window that ends on `last_day` at the latest (an act that ends it)."""
    cut = dict(window or {"from": None, "until": None})
    last = end(cut)
    if last is None or last > last_day:
        cut["until"] = last_day
    return cut


# -- two or more windows -------------------------------------------------------------------------

def intersection(*windows: Window | None) -> dict[str, Any] | None:
    """The days common to all windows, as {from, until}; None when there are none."""
    first = max((d for d in map(start, windows) if d is not None), default=None)
    last = min((d for d in map(end, windows) if d is not None), default=None)
    if first is not None and last is not None and first > last:
        return None
    return {"from": first, "until": last}


def overlaps(a: Window | None, b: Window | None) -> bool:
    """Whether the two windows share a day."""
    return intersection(a, b) is not None


def begins_before(a: Window | None, b: Window | None) -> bool:
    """Whether `a` starts before `b` (an open start comes before any day)."""
    return (start(a) or "") < (start(b) or "")


def outside(inner: Window | None, outer: Window | None) -> tuple[str, ...]:
    """The ends ("from", "until") at which `inner` reaches beyond `outer`; () when it lies within.
    An open end reaches beyond any day."""
    sides = []
    first, limit = start(inner), start(outer)
    if limit is not None and (first is None or first < limit):
        sides.append("from")
    last, limit = end(inner), end(outer)
    if limit is not None and (last is None or last > limit):
        sides.append("until")
    return tuple(sides)


def gap(earlier: Window | None, later: Window | None) -> tuple[str, str] | None:
    """(first, last) day between two consecutive windows that neither holds; None when `later`
    starts on the day after `earlier` ends, or earlier, or either is open there."""
    last, first = end(earlier), start(later)
    if last is None or first is None or first <= day_after(last):
        return None
    return day_after(last), day_before(first)


def boundaries(windows: Iterable[Window | None]) -> list[str]:
    """Every day on which a window starts or the day after one ends, in order: the days on which
    what applies can change."""
    days = set()
    for window in windows:
        first, after = start(window), next_change(window)
        if first is not None:
            days.add(first)
        if after is not None:
            days.add(after)
    return sorted(days)


# -- dated values --------------------------------------------------------------------------------

def value_on(figure: Mapping[str, Any], day: str) -> Window | None:
    """The dated value of a figure (`values`: windows, each with its `value`) in force on `day`, or None."""
    for entry in figure["values"]:
        if contains(entry, day):
            return entry
    return None
