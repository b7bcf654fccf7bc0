"""Checking a visitor's answers against the questions (policy/questions.yaml).

Any JSON value is accepted as input. What cannot be used becomes a structured error in the
chosen language naming the question, and counts as not answered. An answer to a hidden
question (its `ask_when` is not met, or unknown because an earlier answer is missing: the form
does not ask it then) is ignored; `null` means "not answered".
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from .rules import Rule, RulesError, compile_rule
from .formatting import format_count
from .texts import fill
from .vocabulary import NUMBER_TYPES, QUESTION_TYPES

# The largest whole number JSON carries exactly between Python and JavaScript
# (Number.MAX_SAFE_INTEGER): a technical limit, not a policy figure.
SAFE_INTEGER = 2 ** 53 - 1
_MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")  # a month answer: "2024-07"
_NO_FIGURES: Mapping[str, Any] = {}


class Question:
    __slots__ = ("id", "index", "type", "options", "ask_when", "min", "max", "max_question", "raw")

    def __init__(self, raw: Mapping[str, Any], index: int, ask_when: Rule | None) -> None:
        self.raw = raw
        self.id: str = raw["id"]
        self.index = index
        self.type: str = raw["type"]
        self.options = frozenset(o["value"] for o in raw.get("options") or ())
        self.ask_when = ask_when
        self.min: int = -SAFE_INTEGER
        self.max: int = SAFE_INTEGER
        self.max_question: str | None = None


def _bound(value: Any, where: str, earlier: Mapping[str, Question]) -> int | str | None:
    """A number, or the id of an earlier number question ({question: other})."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return max(-SAFE_INTEGER, min(SAFE_INTEGER, value))
    if isinstance(value, Mapping) and set(value) == {"question"}:
        other = earlier.get(value["question"])
        if other is None or other.type not in NUMBER_TYPES:
            raise RulesError(f"{where}: {{question: ...}} must name an earlier number question")
        return other.id
    raise RulesError(f"{where}: must be a whole number or {{question: other}}")


def compile_questions(raw_questions: Any) -> list[Question]:
    if not isinstance(raw_questions, list) or not raw_questions:
        raise RulesError("questions: must be a non-empty list")
    result: list[Question] = []
    by_id: dict[str, Question] = {}
    for i, raw in enumerate(raw_questions):
        where = f"questions[{i}]"
        if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
            raise RulesError(f"{where}: a question needs an id")
        if raw["id"] in by_id:
            raise RulesError(f"{where}: duplicate question id {raw['id']!r}")
        if raw.get("type") not in QUESTION_TYPES:
            raise RulesError(f"{where}.type: must be one of {', '.join(QUESTION_TYPES)}")
        if raw["type"] == "choice" and not raw.get("options"):
            raise RulesError(f"{where}.options: a choice question needs options")
        # ask_when may only look at earlier questions: answers are checked in order.
        ask_when = None
        if raw.get("ask_when") is not None:
            ask_when = compile_rule(raw["ask_when"], f"{where}.ask_when", by_id)
        q = Question(raw, i, ask_when)
        if q.type in NUMBER_TYPES:
            for side in ("min", "max"):
                bound = _bound(raw.get(side), f"{where}.{side}", by_id)
                if isinstance(bound, str):
                    if side == "min":
                        raise RulesError(f"{where}.min: only max may refer to another question")
                    q.max_question = bound
                elif bound is not None:
                    setattr(q, side, bound)
        result.append(q)
        by_id[q.id] = q
    return result


def _whole(value: Any) -> int | None:
    """A whole number from JSON (3 or 3.0), else None. Booleans are not numbers."""
    if type(value) is int:
        return value
    if type(value) is float and math.isfinite(value) and value.is_integer():
        return int(value)
    return None


def check_answers(questions: list[Question], answers: Any, words: Any) -> tuple[dict[str, Any], list[dict]]:
    """(usable answers, errors). `words` gives `.text` (templates), `.labels` and `.options`
    (texts by question id) in the chosen language."""
    clean: dict[str, Any] = {}
    errors: list[dict] = []
    if not isinstance(answers, Mapping):
        if answers is not None:
            errors.append({"question": None, "label": None, "code": "not_an_object",
                           "message": words.text["errors.not_an_object"]})
        return clean, errors
    text = words.text
    lang = getattr(words, "lang", "en")
    for q in questions:
        value = answers.get(q.id)
        if value is None:
            continue
        if q.ask_when is not None and q.ask_when.test(clean, _NO_FIGURES) is not True:
            continue  # not asked (as the form's rules.js decides): the answer is ignored
        kind = q.type
        if kind == "choice":
            if type(value) is str and value in q.options:
                clean[q.id] = value
                continue
            code, message = "unknown_option", fill(text["errors.unknown_option"],
                                                   label=words.labels[q.id], options=words.options[q.id])
        elif kind == "month":
            if type(value) is str and _MONTH.match(value):
                clean[q.id] = value
                continue
            code, message = "wrong_type", fill(text["errors.month"], label=words.labels[q.id])
        elif kind == "boolean":
            if type(value) is bool:
                clean[q.id] = value
                continue
            code, message = "wrong_type", fill(text["errors.boolean"], label=words.labels[q.id])
        else:
            n = _whole(value)
            other = clean.get(q.max_question) if q.max_question else None
            if n is not None and q.min <= n <= q.max and (other is None or n <= other):
                clean[q.id] = n
                continue
            if n is not None and other is not None and q.min <= n <= q.max:
                code, message = "above_other", fill(
                    text["errors.above_other"], label=words.labels[q.id],
                    other=words.labels[q.max_question], max=format_count(other, lang))
            else:
                code = "out_of_range" if n is not None else "wrong_type"
                message = fill(text["errors.money" if kind == "money" else "errors.whole_number"],
                               label=words.labels[q.id], min=format_count(q.min, lang), max=format_count(q.max, lang))
        errors.append({"question": q.id, "label": words.labels[q.id], "code": code, "message": message})
    known = words.labels  # keyed by every question id
    for key in answers:
        if key not in known:
            name = key if isinstance(key, str) else _show(key)
            if len(name) > 60:
                name = name[:57] + "..."
            errors.append({"question": name, "label": None, "code": "unknown_question",
                           "message": fill(text["errors.unknown_question"], question=name)})
    return clean, errors


def _show(key: Any) -> str:
    """A non-text key from Python callers (JSON keys are always text), shown safely."""
    try:
        return repr(key)
    except Exception:  # e.g. an int too long to print, or a deeply nested tuple
        return type(key).__name__
