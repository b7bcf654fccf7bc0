"""Dated validity (subsidy_calculator/periods.py): what a `{from, until}` window means. Both ends
are included, None is open, and the first day a window no longer applies is the day after `until`."""
from __future__ import annotations

from typing import Any

import pytest

from subsidy_calculator import periods


def w(start: str | None = None, until: str | None = None) -> dict[str, Any]:
    return {"from": start, "until": until}


OPEN = w()
YEAR = w("2027-01-01", "2027-12-31")
ONE_DAY = w("2027-03-01", "2027-03-01")


@pytest.mark.parametrize(("window", "day", "expected"), [
    (None, "2027-01-01", True),                           # no window: every day
    ({}, "2027-01-01", True),
    (OPEN, "1900-01-01", True),
    (YEAR, "2027-01-01", True),                           # the first day is included
    (YEAR, "2027-12-31", True),                           # so is the last
    (YEAR, "2026-12-31", False),                          # the day before it starts
    (YEAR, "2028-01-01", False),                          # the day after `until`
    (ONE_DAY, "2027-03-01", True),                        # from and until on the same day
    (ONE_DAY, "2027-03-02", False),
    (w("2027-01-01"), "2999-12-31", True),                # open end
    (w("2027-01-01"), "2026-12-31", False),
    (w(None, "2026-12-31"), "1900-01-01", True),          # open start
    (w(None, "2026-12-31"), "2027-01-01", False),
])
def test_contains(window: dict | None, day: str, expected: bool) -> None:
    assert periods.contains(window, day) is expected


@pytest.mark.parametrize(("window", "day", "ended", "to_come"), [
    (YEAR, "2026-12-31", False, True),
    (YEAR, "2027-01-01", False, False),
    (YEAR, "2027-12-31", False, False),
    (YEAR, "2028-01-01", True, False),
    (OPEN, "2027-01-01", False, False),
    (None, "2027-01-01", False, False),
])
def test_ended_and_to_come(window: dict | None, day: str, ended: bool, to_come: bool) -> None:
    assert periods.ended(window, day) is ended
    assert periods.to_come(window, day) is to_come


@pytest.mark.parametrize(("window", "expected"), [
    (OPEN, True),
    (YEAR, True),
    (ONE_DAY, True),                                      # one day is a window
    (w("2027-01-02", "2027-01-01"), False),               # ends before it starts
    (w("2027-01-02"), True),
    (w(None, "2027-01-01"), True),
])
def test_valid(window: dict, expected: bool) -> None:
    assert periods.valid(window) is expected


@pytest.mark.parametrize(("a", "b", "expected"), [
    (OPEN, YEAR, True),
    (YEAR, w("2027-12-31", "2028-06-30"), True),          # share the last day
    (YEAR, w("2028-01-01", "2028-06-30"), False),         # adjacent: no common day
    (w(None, "2026-12-31"), w("2027-01-01"), False),      # adjacent, open ends
    (w(None, "2027-01-01"), w("2027-01-01"), True),       # one ends the day the other starts
    (ONE_DAY, YEAR, True),
    (ONE_DAY, w("2027-03-02"), False),
    (w("2027-01-02", "2027-01-01"), OPEN, False),         # an empty window shares no day
])
def test_overlaps(a: dict, b: dict, expected: bool) -> None:
    assert periods.overlaps(a, b) is expected
    assert periods.overlaps(b, a) is expected


@pytest.mark.parametrize(("windows", "expected"), [
    ((OPEN, YEAR), YEAR),
    ((YEAR, None), YEAR),                                 # no window: no limit
    ((YEAR, w("2027-06-01"), w(None, "2027-09-30")), w("2027-06-01", "2027-09-30")),
    ((YEAR, w("2027-12-31")), w("2027-12-31", "2027-12-31")),
    ((YEAR, w("2028-01-01")), None),                      # adjacent: nothing in common
    ((), OPEN),
])
def test_intersection(windows: tuple, expected: dict | None) -> None:
    assert periods.intersection(*windows) == expected


@pytest.mark.parametrize(("earlier", "later", "expected"), [
    (YEAR, w("2028-01-01"), None),                        # the day after until: no gap
    (YEAR, w("2028-01-02"), ("2028-01-01", "2028-01-01")),
    (YEAR, w("2028-03-01"), ("2028-01-01", "2028-02-29")),   # a leap year
    (YEAR, w("2027-06-01"), None),                        # overlapping is not a gap
    (w("2027-01-01"), w("2029-01-01"), None),             # open end
    (YEAR, OPEN, None),                                   # open start
])
def test_gap(earlier: dict, later: dict, expected: tuple | None) -> None:
    assert periods.gap(earlier, later) == expected


@pytest.mark.parametrize(("window", "expected"), [
    (YEAR, "2028-01-01"),
    (w(None, "2028-02-28"), "2028-02-29"),
    (w(None, "2027-02-28"), "2027-03-01"),
    (w("2027-01-01"), None),
    (None, None),
])
def test_next_change(window: dict | None, expected: str | None) -> None:
    assert periods.next_change(window) == expected


def test_day_after_and_before() -> None:
    assert periods.day_after("2026-12-31") == "2027-01-01"
    assert periods.day_before("2027-01-01") == "2026-12-31"
    assert periods.day_before("2028-03-01") == "2028-02-29"


@pytest.mark.parametrize(("value", "expected"), [
    ("2027-01-01", True), ("2028-02-29", True), ("2027-02-29", False), ("2027-1-1", False),
    ("", False), (None, False), (20270101, False),
])
def test_is_day(value: Any, expected: bool) -> None:
    assert periods.is_day(value) is expected


@pytest.mark.parametrize(("window", "last_day", "expected"), [
    (OPEN, "2027-06-30", w(None, "2027-06-30")),
    (None, "2027-06-30", w(None, "2027-06-30")),
    (YEAR, "2027-06-30", w("2027-01-01", "2027-06-30")),   # cut short
    (YEAR, "2028-06-30", YEAR),                            # ends before: unchanged
    (YEAR, "2027-12-31", YEAR),
])
def test_ending_by(window: dict | None, last_day: str, expected: dict) -> None:
    assert periods.ending_by(window, last_day) == expected


@pytest.mark.parametrize(("inner", "outer", "expected"), [
    (YEAR, OPEN, ()),
    (YEAR, YEAR, ()),
    (ONE_DAY, YEAR, ()),
    (OPEN, YEAR, ("from", "until")),                      # open ends reach beyond any day
    (w("2026-12-31", "2027-12-31"), YEAR, ("from",)),
    (w("2027-01-01", "2028-01-01"), YEAR, ("until",)),
])
def test_outside(inner: dict, outer: dict, expected: tuple) -> None:
    assert periods.outside(inner, outer) == expected


def test_begins_before() -> None:
    assert periods.begins_before(OPEN, YEAR)
    assert periods.begins_before(YEAR, w("2027-01-02"))
    assert not periods.begins_before(YEAR, YEAR)
    assert not periods.begins_before(YEAR, OPEN)


def test_dated() -> None:
    assert not periods.dated(None) and not periods.dated(OPEN)
    assert periods.dated(w("2027-01-01")) and periods.dated(w(None, "2027-01-01"))


def test_boundaries() -> None:
    """A window's start and the day after its end; open ends give none."""
    assert periods.boundaries([YEAR, OPEN, None, w("2027-01-01"), w(None, "2026-12-31"), ONE_DAY]) == [
        "2027-01-01", "2027-03-01", "2027-03-02", "2028-01-01"]


FIGURE = {"values": [
    {"value": 1111, "from": None, "until": "2026-12-31"},
    {"value": 1500, "from": "2027-01-01", "until": "2027-12-31"},
]}


@pytest.mark.parametrize(("day", "expected"), [
    ("2000-01-01", 1111),
    ("2026-12-31", 1111),                                 # the last day of the first value
    ("2027-01-01", 1500),                                 # the day after its until: the next one
    ("2027-12-31", 1500),
    ("2028-01-01", None),                                 # after the last value: none
])
def test_value_on(day: str, expected: int | None) -> None:
    found = periods.value_on(FIGURE, day)
    assert (found or {}).get("value") == expected
