"""What a benefit pays and for how long: the one reading of a benefit's `amount:` and
`duration:` that the validator (scripts/policy/checks/measures.py), the engine (engine.Benefit)
and the guide pages (scripts/pages/view.py, list_page.py) share. The JSON Schema
(policy/schema/measure.schema.json, `$defs/amount`) gives staff the same shapes.

    {figure: F}                          fixed: every recipient receives F yuan
    {figure: F, per: Q}                  per: F yuan for every one that question Q counts, added up
    {figure: F, per: Q,                  per, and of the T that question T counts, T - Q are left
     left_out: {total: T, text}}           out for the reason `text` (said beside the arithmetic)
    {figure: F, each: Q}                 each: F yuan to each of the Q recipients, never added up
    {by_regulations: true}               by_regulations: set by regulations the notice names only
    {none: true}                         none: the benefit is not money

    duration: {figure: D}                a month or year figure of the measure: "for up to D"

F and D are figures of the benefit's own measure; Q and T are count questions (type: integer).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

KINDS = ("fixed", "per", "each", "by_regulations", "none")
COUNTED = ("per", "each")               # the kinds whose amount is for every one counted
AMOUNT_UNITS = ("yuan",)                # the unit of an amount figure
DURATION_UNITS = ("month", "year")      # the units of a duration figure
COUNT_TYPES = ("integer",)              # the question types that count (per, each, left_out.total)


@dataclass(frozen=True)
class Amount:
    """A benefit's `amount:` as read (a dataclass: a NamedTuple's `count` field would hide tuple.count)."""
    kind: str
    figure: str | None = None            # the yuan figure (fixed, per, each)
    count: str | None = None             # the question that counts (per, each)
    total: str | None = None             # left_out: the question that counts all of them
    left_out_text: Mapping[str, Any] | None = None  # left_out: why the rest are left out

    @property
    def questions(self) -> tuple[str, ...]:
        """The questions the amount reads."""
        return tuple(q for q in (self.count, self.total) if q is not None)


class Problem(NamedTuple):
    path: tuple[str, ...]   # below the benefit: ("amount", "per"), ("duration", "figure") ...
    code: str               # unknown_figure | figure_unit | unknown_question | not_a_count
    name: str               # the figure or question named there
    found: str = ""         # figure_unit: the figure's unit; not_a_count: the question's type
    allowed: tuple[str, ...] = ()  # figure_unit: the units allowed there; not_a_count: COUNT_TYPES

    def text(self) -> str:
        """An English one-liner (the engine's RulesError; the validator has its own messages)."""
        return {"unknown_figure": f"{self.name!r} is not a figure of this measure",
                "figure_unit": f"{self.name!r} is a {self.found} figure, not a {' or '.join(self.allowed)} one",
                "unknown_question": f"there is no question {self.name!r}",
                "not_a_count": f"{self.name!r} is a {self.found} question, not a count (type: integer)",
                }[self.code]


class ShapeError(ValueError):
    """An `amount:` or `duration:` of a shape the schema forbids (the validator's schema step
    reports it to staff; the engine refuses the bundle)."""


def read_amount(raw: Any) -> Amount:
    """The benefit's `amount:` read into an Amount; ShapeError if it is none of the shapes above."""
    if not isinstance(raw, Mapping):
        raise ShapeError("amount: missing")
    if raw.get("by_regulations") is True:
        return Amount("by_regulations")
    if raw.get("none") is True:
        return Amount("none")
    figure = raw.get("figure")
    if not isinstance(figure, str):
        raise ShapeError("amount: must be {figure}, {by_regulations: true} or {none: true}")
    if "per" in raw and "each" in raw:
        raise ShapeError("amount: per and each cannot both be given")
    kind = next((k for k in COUNTED if k in raw), "fixed")
    count = raw.get(kind) if kind != "fixed" else None
    if kind != "fixed" and not isinstance(count, str):
        raise ShapeError(f"amount.{kind}: must name a question")
    if "left_out" not in raw:
        return Amount(kind, figure, count)
    left_out = raw["left_out"]
    if kind != "per" or not isinstance(left_out, Mapping) or not isinstance(left_out.get("total"), str) \
            or not isinstance(left_out.get("text"), Mapping):
        raise ShapeError("amount.left_out: needs per, and total (a question) and text")
    return Amount(kind, figure, count, left_out["total"], left_out["text"])


def read_duration(raw: Any) -> str | None:
    """The figure of the benefit's `duration:` (None: no duration); ShapeError if malformed."""
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or not isinstance(raw.get("figure"), str):
        raise ShapeError("duration: must be {figure: F}")
    return raw["figure"]


def problems(amount: Amount, duration: str | None, figure_unit: Callable[[str], str | None],
             question_type: Callable[[str], str | None]) -> Iterator[Problem]:
    """What is wrong with the figures and questions an amount and a duration name.
    figure_unit(F): the unit of the measure's figure F, None if there is none;
    question_type(Q): the type of question Q, None if there is none."""
    figure_codes, question_codes = ("unknown_figure", "figure_unit"), ("unknown_question", "not_a_count")
    checks = ((("amount", "figure"), amount.figure, figure_unit, AMOUNT_UNITS, figure_codes),
              (("duration", "figure"), duration, figure_unit, DURATION_UNITS, figure_codes),
              (("amount", amount.kind), amount.count, question_type, COUNT_TYPES, question_codes),
              (("amount", "left_out", "total"), amount.total, question_type, COUNT_TYPES, question_codes))
    for path, name, look_up, allowed, (unknown, wrong) in checks:
        if name is None:
            continue
        found = look_up(name)
        if found is None:
            yield Problem(path, unknown, name)
        elif found not in allowed:
            yield Problem(path, wrong, name, found, allowed)
