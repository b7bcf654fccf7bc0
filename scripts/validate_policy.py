"""Check the policy/ folder and report every problem at once, each with file:line:column.

This is what stands between a staff member's edit and the public site, so messages speak the
language of the YAML file ("unknown figure 'hiring_awrd'") and say what to do about it.
Two layers: the JSON Schemas in policy/schema/ (shapes: keys, types, texts) and the semantic
checks below (references between files, dates, figures quoted from the notice).

    python -m scripts.validate_policy [policy_dir]      exit 1 and one line per problem, or 0
"""
from __future__ import annotations

import difflib
import json
import re
import string
import sys
import time
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from scripts.policy_trace import trace_problems
from scripts.policy_load import (
    POLICY_DIR, MEASURE_FILE, Doc, PathT, PolicyDocs, Problem, read_policy,
)

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "policy" / "schema"
FIGURE_REF = re.compile(r"\[\[([^\[\]]*)\]\]")
NUMERIC = ("integer", "money")
# A visible text: {zh, en}, optionally with `notice` (the words of the notice it rests on) or
# `guidance: true` (general guidance the notice does not give; shown labelled as such).
TEXT_KEYS = frozenset(("zh", "en", "notice", "guidance"))


# ---- schemas --------------------------------------------------------------------------------

@cache
def _validators() -> dict[str, Draft202012Validator]:
    """One validator per kind of file; the schemas are read from the repository, never from
    the folder being checked, so a bad edit cannot switch its own checks off."""
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMA_DIR.glob("*.schema.json")}
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT202012))
        for name, schema in schemas.items())
    return {name.removesuffix(".schema.json"): Draft202012Validator(
        schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
        for name, schema in schemas.items() if name != "common.schema.json"}


def _did_you_mean(word: Any, choices: Iterable[Any]) -> str:
    names = list(dict.fromkeys(str(c) for c in choices))
    close = difflib.get_close_matches(str(word), names, n=1, cutoff=0.6)
    listed = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    return (f"did you mean '{close[0]}'? " if close else "") + (f"possible: {listed}" if names else "")


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "..."


_TYPE_NAMES = {"object": "a mapping (key: value lines)", "array": "a list", "string": "a text",
               "number": "a number", "integer": "a whole number", "boolean": "true or false",
               "null": "null"}


def _type_of(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {_shown(value)}"
    return "a list" if isinstance(value, list) else "a mapping"


def _type_problem(error: ValidationError) -> tuple[str, str]:
    wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
    value = error.instance
    message = f"expected {' or '.join(_TYPE_NAMES.get(w, w) for w in wanted)}, got {_type_of(value)}"
    hint = ""
    if ("number" in wanted or "integer" in wanted) and isinstance(value, str):
        cleaned = re.sub(r"[,\s]|yuan|元", "", value)
        if re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
            hint = f"write the number without quotes or thousands separators: {cleaned}"
        else:
            hint = "write a plain number such as 2111"
    elif "integer" in wanted and isinstance(value, float):
        hint = "a whole number is needed here"
    elif "string" in wanted and isinstance(value, bool):
        hint = "YAML reads yes/no/on/off/true/false as true or false; put the text in quotes"
    elif "string" in wanted and isinstance(value, (int, float)):
        hint = "put it in quotes if it is meant as text"
    elif wanted == ["object"] and isinstance(value, str) and isinstance(error.schema, dict) \
            and "zh" in error.schema.get("properties", {}):
        hint = "a text needs both languages: {zh: ..., en: ...}"
    elif value is None:
        hint = "fill in a value after the ':' (or remove the key)"
    return message, hint


_SPLIT_TEXT = ("inside { } a comma ends the text and starts a new key: put a text containing ',' in quotes, "
               "e.g. en: \"Measure 5, second sentence\"")


def _get(data: Any, path: PathT) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _required_keys(subschemas: Any) -> list[str] | None:
    """['question', 'all', ...] when every branch of a oneOf is {required: [key]}."""
    if isinstance(subschemas, list) and all(
            isinstance(s, dict) and set(s) == {"required"} and len(s["required"]) == 1 for s in subschemas):
        return [s["required"][0] for s in subschemas]
    return None


def _schema_problems(doc: Doc, error: ValidationError) -> list[Problem]:
    """One jsonschema error -> problems in the staff's terms, at the right line."""
    path: PathT = tuple(error.absolute_path)
    value, kind, rule = error.instance, error.validator, error.validator_value
    schema = error.schema if isinstance(error.schema, dict) else {}
    if "propertyNames" in error.absolute_schema_path and isinstance(value, str) \
            and isinstance(_get(doc.data, path), dict) and value in _get(doc.data, path):
        return [doc.problem(path + (value,), f"'{value}' is not a valid name here", schema.get("description", ""),
                            key=True)]
    if kind == "not" and rule == {}:
        return [doc.problem(path, f"'{path[-1]}' is not allowed here" if path else "not allowed here",
                            schema.get("description", ""), key=True)]
    if kind in ("oneOf", "anyOf", "dependentRequired", "dependentSchemas", "not", "required",
                "additionalProperties", "propertyNames", "minProperties") and not isinstance(value, dict):
        return []  # the "type" error at the same place says it better
    if kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        extra = [k for k in value if k not in allowed]
        return [doc.problem(path + (k,), f"unknown key '{k}'", _SPLIT_TEXT if value[k] is None and " " in k
                            else _did_you_mean(k, allowed), key=True) for k in extra]
    if kind == "required":
        missing = [k for k in rule if k not in value]
        hint = "every text needs both zh and en" if set(missing) <= {"zh", "en"} else ""
        return [doc.problem(path, f"missing '{k}'", hint) for k in missing]
    if kind in ("oneOf", "anyOf") and (keys := _required_keys(rule)) is not None:
        found = [k for k in keys if k in value]
        if not found:
            return [doc.problem(path, f"needs one of: {', '.join(keys)}", schema.get("description", ""))]
        return [doc.problem(path, f"only one of {', '.join(keys)} may be used here (found {', '.join(found)})",
                            schema.get("description", "") or "split it, e.g. into {all: [..., ...]}")]
    if kind in ("oneOf", "anyOf"):
        best = best_match(error.context) if error.context else None
        return _schema_problems(doc, best) if best is not None else [doc.problem(path, error.message)]
    if kind == "dependentRequired":
        return [doc.problem(path + (k,), f"'{k}' needs '{need}' too", key=True)
                for k, needs in rule.items() if k in value for need in needs if need not in value]
    if kind == "not" and isinstance(rule, dict) and "required" in rule:
        return [doc.problem(path, f"{' and '.join(repr(k) for k in rule['required'])} cannot be used together")]
    if kind == "type":
        return [doc.problem(path, *_type_problem(error))]
    if kind == "pattern":
        if rule == r"\S":
            return [doc.problem(path, "the text is empty", "write the text, or remove the key if it is optional")]
        return [doc.problem(path, f"{_shown(value)} is not {schema.get('description', 'valid here')}")]
    if kind == "format":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
            return []  # the pattern error at the same place says it
        return [doc.problem(path, f"{_shown(value)} is not a real date", "write YYYY-MM-DD, e.g. 2026-11-26")]
    if kind == "minimum":
        hint = "amounts and figures cannot be negative" if rule == 0 else ""
        return [doc.problem(path, f"{value} is below the minimum {rule}", hint)]
    if kind == "enum":
        return [doc.problem(path, f"{_shown(value)} is not allowed here", _did_you_mean(value, rule))]
    if kind == "const":
        return [doc.problem(path, f"must be {_shown(rule)}, got {_shown(value)}")]
    if kind == "minItems":
        return [doc.problem(path, "the list is empty" if not value else f"needs at least {rule} items")]
    if kind == "minProperties":
        return [doc.problem(path, "this mapping is empty")]
    return [doc.problem(path, error.message)]


def schema_check(doc: Doc, kind: str) -> list[Problem]:
    """Problems of one document against the schema of its kind."""
    problems: list[Problem] = []
    for error in _validators()[kind].iter_errors(doc.data):
        problems.extend(_schema_problems(doc, error))
    return problems


# ---- safe access (semantic checks run even when the shape is wrong, so never trust it) ----------

def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, item) of the mapping items of a list."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def _hashable(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) or value is None


def _texts(value: Any, path: PathT = ()) -> Iterator[tuple[PathT, str]]:
    """Every string inside a {zh, en} text, with its path."""
    if isinstance(value, dict):
        if value and set(value) <= TEXT_KEYS and set(value) & {"zh", "en"}:
            for lang, text in value.items():
                if lang in ("zh", "en") and isinstance(text, str):
                    yield path + (lang,), text
            return
        for key, sub in value.items():
            yield from _texts(sub, path + (key,))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from _texts(sub, path + (i,))


# ---- numbers as the notice writes them ---------------------------------------------------------

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "twelve": 12, "half": 0.5}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "ten thousand": 1e4}
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(ten thousand|thousand|million|billion))?",
                     re.IGNORECASE)
_WORD_NUMBER = re.compile(r"\b(" + "|".join(_WORDS) + r")\b(?!-time)", re.IGNORECASE)


def published_numbers(text: str) -> list[float]:
    """The numbers in a figure as published: '1,111 yuan' -> [1111]; 'RMB 1 million' -> [1000000];
    'more than 1 years' -> [1]; 'up to three years' -> [3]; 'one-time 311 yuan' -> [311]."""
    found = []
    for digits, scale in _NUMBER.findall(text):
        number = float(digits.replace(",", ""))
        found.append(number * _SCALES[scale.lower()] if scale else number)
    if not found:
        found = [float(_WORDS[w.lower()]) for w in _WORD_NUMBER.findall(text)]
    return found


# ---- semantic checks ---------------------------------------------------------------------------

class _Checker:
    """Cross-file checks: ids, references, dates, figures and placeholders."""

    def __init__(self, docs: PolicyDocs, root: Path | None) -> None:
        self.docs, self.root = docs, root
        self.problems: list[Problem] = []
        notice = _dict(docs.notice.data) if docs.notice else {}
        self.notice = notice
        self.have_notice = docs.notice is not None
        self.parts = self._ids(docs.notice, notice.get("parts"), ("parts",), "part")
        self.groups = self._ids(docs.notice, notice.get("audience_groups"), ("audience_groups",), "audience group")
        self.audiences = self._ids(docs.notice, notice.get("audiences"), ("audiences",), "audience")
        self.recipients = self._ids(docs.notice, notice.get("recipients"), ("recipients",), "recipient")
        qdata = _dict(docs.questions.data).get("questions") if docs.questions else None
        self.have_questions = docs.questions is not None
        self.questions = self._ids(docs.questions, qdata, ("questions",), "question")
        self.order = {qid: n for n, qid in enumerate(self.questions)}
        role = self.questions.get("role", {})
        self.roles = [o.get("value") for _, o in _items(role.get("options"))] if role else None
        self.measures: dict[str, tuple[Doc, dict[str, Any]]] = {}
        # a measure file that could not be read would make every reference to it look wrong
        self.all_measures = not any(f.startswith("measures/") for f in docs.unreadable)

    def add(self, doc: Doc, path: PathT, message: str, hint: str = "", key: bool = False) -> None:
        self.problems.append(doc.problem(path, message, hint, key))

    def _ids(self, doc: Doc | None, items: Any, path: PathT, what: str) -> dict[str, dict[str, Any]]:
        """{id: item} of a list of {id: ...}; duplicates are reported."""
        found: dict[str, dict[str, Any]] = {}
        for i, item in _items(items):
            ident = item.get("id")
            if not isinstance(ident, str) or doc is None:
                continue
            if ident in found:
                self.add(doc, path + (i, "id"), f"duplicate {what} id '{ident}'",
                         f"each {what} needs its own id")
            else:
                found[ident] = item
        return found

    def _unknown(self, doc: Doc, path: PathT, what: str, value: Any, known: Iterable[Any], where: str,
                 key: bool = False) -> None:
        known = list(known)
        self.add(doc, path, f"unknown {what} {_shown(value)}", f"{where}: " + (_did_you_mean(value, known) or "none"),
                 key)

    def _numbers_1_to_n(self, numbered: list[tuple[Doc, PathT, Any]], what: str) -> None:
        """Numbers must be unique and run 1..N with no gap."""
        seen: dict[int, Doc] = {}
        for doc, path, number in numbered:
            if not isinstance(number, int) or isinstance(number, bool):
                continue
            if number in seen:
                self.add(doc, path, f"duplicate {what} number {number} (also in {seen[number].file})")
            seen[number] = doc
        count = len(numbered)
        for doc, path, number in numbered:
            if isinstance(number, int) and not isinstance(number, bool) and not 1 <= number <= count:
                missing = sorted(set(range(1, count + 1)) - set(seen))
                self.add(doc, path, f"{what} number {number} is out of sequence: {count} {what}s must be "
                                    f"numbered 1 to {count}", f"missing: {', '.join(map(str, missing))}")

    # -- rules --

    def rule(self, doc: Doc, path: PathT, rule: Any, figures: dict[str, Any] | None,
             conditions: dict[str, Any] | None, before: str | None = None) -> None:
        """A condition or ask_when rule: questions, option values, figures, condition refs."""
        if not isinstance(rule, dict):
            return
        for op in ("all", "any"):
            for i, sub in enumerate(rule.get(op) if isinstance(rule.get(op), list) else []):
                self.rule(doc, path + (op, i), sub, figures, conditions, before)
        if "not" in rule:
            self.rule(doc, path + ("not",), rule["not"], figures, conditions, before)
        if isinstance(rule.get("condition"), str):
            if conditions is None:
                self.add(doc, path + ("condition",), "{condition: ...} can only be used in a benefit's conditions")
            elif rule["condition"] not in conditions:
                self._unknown(doc, path + ("condition",), "condition", rule["condition"], conditions,
                              "conditions of this benefit")
        qid = rule.get("question")
        if not isinstance(qid, str) or not self.have_questions:
            return
        question = self.questions.get(qid)
        if question is None:
            self._unknown(doc, path + ("question",), "question", qid, self.questions, "questions in questions.yaml")
            return
        if before is not None and self.order.get(qid, -1) >= self.order.get(before, -1):
            self.add(doc, path + ("question",), f"ask_when uses question '{qid}', which is not asked before '{before}'",
                     "ask_when may only use earlier questions; move this question further down")
        qtype = question.get("type")
        options = [o.get("value") for _, o in _items(question.get("options"))]
        values = [(("equals",), rule["equals"])] if "equals" in rule else []
        if isinstance(rule.get("in"), list):
            values += [(("in", i), v) for i, v in enumerate(rule["in"])]
        for sub, value in values:
            if qtype == "choice" and _hashable(value) and value not in options:
                self._unknown(doc, path + sub, f"option of '{qid}':", value, options, "its options")
            elif qtype == "boolean" and not isinstance(value, bool):
                self.add(doc, path + sub, f"'{qid}' is a yes/no question; compare it with true or false, "
                                          f"not {_shown(value)}")
            elif qtype in NUMERIC and (isinstance(value, bool) or not isinstance(value, (int, float))):
                self.add(doc, path + sub, f"'{qid}' takes a number; {_shown(value)} is not one")
        for op in ("min", "max", "above", "below"):
            if op not in rule:
                continue
            if qtype not in NUMERIC and isinstance(qtype, str):
                self.add(doc, path + (op,), f"'{op}' compares numbers but '{qid}' is a {qtype} question",
                         "use equals or in")
            ref = rule[op].get("figure") if isinstance(rule[op], dict) else None
            if isinstance(ref, str):
                if figures is None:
                    self.add(doc, path + (op, "figure"), "figures can only be used in a measure's conditions")
                elif ref not in figures:
                    self._unknown(doc, path + (op, "figure"), "figure", ref, figures, "figures of this measure")
        for op in ("within", "same_year"):
            if op not in rule:
                continue
            if qtype != "month" and isinstance(qtype, str):
                self.add(doc, path + (op,), f"'{op}' is a dated check of a month answer, but '{qid}' is a "
                         f"{qtype} question", "use it with a question of type: month")
            if figures is None:
                self.add(doc, path + (op,), f"'{op}' depends on the evaluation date: only a measure's conditions "
                         "can use it, not ask_when")
            ref = rule[op].get("figure") if isinstance(rule[op], dict) else None
            if op == "within" and isinstance(ref, str) and figures is not None:
                self._figure(doc, path + (op, "figure"), ref, figures, "month", "year")

    # -- placeholders --

    def placeholders(self, doc: Doc, root: Any, own_figures: dict[str, Any] | None) -> None:
        """[[figure]] in every text; with own_figures None, only [[measure-id.figure]] is allowed."""
        by_text: dict[PathT, dict[str, set[str]]] = {}
        for path, text in _texts(root):
            names = set(FIGURE_REF.findall(text))
            by_text.setdefault(path[:-1], {})[str(path[-1])] = names
            rest = FIGURE_REF.sub("", text)
            if "[[" in rest or "]]" in rest:
                self.add(doc, path, "a [[ is not closed by ]] (or the other way round)",
                         "write a figure as [[figure_id]]")
            for name in FIGURE_REF.findall(text):
                self.figure_ref(doc, path, name, own_figures)
        for path, langs in by_text.items():
            if len(langs) == 2 and langs.get("zh") != langs.get("en"):
                only_zh, only_en = langs["zh"] - langs["en"], langs["en"] - langs["zh"]
                self.add(doc, path, "zh and en do not use the same figures: " + "; ".join(
                    f"[[{n}]] only in {lang}" for lang, names in (("zh", only_zh), ("en", only_en))
                    for n in sorted(names)), "write the figure as [[...]] in both languages, never as a number")

    def figure_ref(self, doc: Doc, path: PathT, name: str, own_figures: dict[str, Any] | None) -> None:
        if "." not in name:
            if own_figures is None:
                self.add(doc, path, f"[[{name}]] must name its measure: [[measure-id.{name}]]")
            elif name not in own_figures:
                self._unknown(doc, path, "figure", f"[[{name}]]", own_figures, "figures of this measure")
            return
        if own_figures is not None:
            self.add(doc, path, f"[[{name}]]: a measure text may only use figures of its own measure",
                     "write [[figure_id]]")
            return
        measure_id, _, figure = name.partition(".")
        if measure_id not in self.measures and not self.all_measures:
            return
        if measure_id not in self.measures:
            self._unknown(doc, path, "measure", measure_id, self.measures, f"in [[{name}]]; measures")
            return
        figures = _dict(self.measures[measure_id][1].get("figures"))
        if figure not in figures:
            self._unknown(doc, path, "figure", figure, figures, f"in [[{name}]]; figures of {measure_id}")

    # -- files --

    def check_notice(self) -> None:
        doc = self.docs.notice
        if doc is None:
            return
        self._numbers_1_to_n([(doc, ("parts", i, "number"), p.get("number"))
                              for i, p in _items(self.notice.get("parts"))], "part")
        for i, group in _items(self.notice.get("audience_groups")):
            role = group.get("role")
            if role is not None and self.roles is not None and _hashable(role) and role not in self.roles:
                self._unknown(doc, ("audience_groups", i, "role"), "role", role, self.roles,
                              "options of the 'role' question")
        for i, audience in _items(self.notice.get("audiences")):
            group = audience.get("group")
            if isinstance(group, str) and group not in self.groups:
                self._unknown(doc, ("audiences", i, "group"), "audience group", group, self.groups, "audience_groups")
        self._date_range(doc, ("in_force",), _dict(self.notice.get("in_force")))
        self.placeholders(doc, self.notice, None)

    def _date_range(self, doc: Doc, path: PathT, entry: dict[str, Any]) -> bool:
        start, end = entry.get("from"), entry.get("until")
        if isinstance(start, str) and isinstance(end, str) and start > end:
            self.add(doc, path + ("until",), f"until {end} is before from {start}",
                     "until is the last day in force; it cannot come before from")
            return False
        return True

    def check_questions(self) -> None:
        doc = self.docs.questions
        if doc is None:
            return
        questions = _dict(doc.data).get("questions")
        for i, question in _items(questions):
            qid = question.get("id")
            path: PathT = ("questions", i)
            seen: set[Any] = set()
            for j, option in _items(question.get("options")):
                value = option.get("value")
                if _hashable(value) and value in seen:
                    self.add(doc, path + ("options", j, "value"), f"duplicate option value {_shown(value)}")
                seen.add(value if _hashable(value) else None)
            if "ask_when" in question:
                self.rule(doc, path + ("ask_when",), question["ask_when"], None, None,
                          before=qid if isinstance(qid, str) else None)
            for limit in ("min", "max"):
                ref = question.get(limit)
                if isinstance(ref, dict) and isinstance(ref.get("question"), str):
                    other = self.questions.get(ref["question"])
                    if other is None:
                        self._unknown(doc, path + (limit, "question"), "question", ref["question"], self.questions,
                                      "questions in questions.yaml")
                    elif other.get("type") not in NUMERIC:
                        self.add(doc, path + (limit, "question"), f"'{ref['question']}' is not a number question")
                    elif isinstance(qid, str) and self.order.get(ref["question"], 0) >= self.order.get(qid, 0):
                        self.add(doc, path + (limit, "question"),
                                 f"'{ref['question']}' must be asked before '{qid}' to be its {limit}")
            low, high = question.get("min"), question.get("max")
            if all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (low, high)) and low > high:
                self.add(doc, path + ("max",), f"max {high} is below min {low}")
        if self.roles is None and self.have_questions and questions:
            self.add(doc, ("questions",), "there is no 'role' question",
                     "the first question must be 'role' (type: choice): benefits' roles refer to its options")
        self.placeholders(doc, doc.data, None)

    def collect_measures(self) -> None:
        """Index measures first: questions' [[measure.figure]] refer to them."""
        numbered = []
        for doc in self.docs.measures:
            measure = _dict(doc.data)
            ident = measure.get("id")
            if isinstance(ident, str):
                if ident in self.measures:
                    self.add(doc, ("id",), f"duplicate measure id '{ident}' (also in {self.measures[ident][0].file})")
                else:
                    self.measures[ident] = (doc, measure)
            numbered.append((doc, ("number",), measure.get("number")))
            match = MEASURE_FILE.match(doc.file.rsplit("/", 1)[-1])
            number = measure.get("number")
            if match is None:
                self.add(doc, (), "the file name must be NN-<measure id>.yaml, e.g. 05-employment-subsidies.yaml")
            elif isinstance(number, int) and isinstance(ident, str) and \
                    (int(match.group(1)) != number or match.group(2) != ident):
                self.add(doc, ("id",), f"the file name does not match the measure: expected {number:02d}-{ident}.yaml",
                         "rename the file (or correct id/number)")
        if self.all_measures:  # else the count is off
            self._numbers_1_to_n(numbered, "measure")

    def check_measure(self, doc: Doc, measure: dict[str, Any], notice_text: str | None) -> None:
        part = measure.get("part")
        if isinstance(part, str) and self.have_notice and part not in self.parts:
            self._unknown(doc, ("part",), "part", part, self.parts, "parts in notice.yaml")
        for i, audience in enumerate(measure.get("audiences") if isinstance(measure.get("audiences"), list) else []):
            if isinstance(audience, str) and self.have_notice and audience not in self.audiences:
                self._unknown(doc, ("audiences", i), "audience", audience, self.audiences, "audiences in notice.yaml")
        figures = _dict(measure.get("figures"))
        source = _dict(measure.get("source"))
        quotes = [source.get("as_published")] + [e.get("quote") for _, e in _items(measure.get("change_log"))]
        quotes = [q for q in quotes if isinstance(q, str)]
        for name, figure in figures.items():
            self.check_figure(doc, ("figures", name), _dict(figure), quotes)
        seen: set[str] = set()
        for i, benefit in _items(measure.get("benefits")):
            ident = benefit.get("id")
            if isinstance(ident, str):
                if ident in seen:
                    self.add(doc, ("benefits", i, "id"), f"duplicate benefit id '{ident}' in this measure")
                seen.add(ident)
            self.check_benefit(doc, ("benefits", i), benefit, figures)
        self.placeholders(doc, measure, figures)
        for path, message, hint in trace_problems(measure):
            self.add(doc, path, message, hint)
        published = source.get("as_published")
        if notice_text is not None and isinstance(published, str) and published.strip() not in notice_text:
            self.add(doc, ("source", "as_published"), "not found word for word in the published notice "
                     f"({self.notice.get('source_file')})", "copy the paragraph from the notice unchanged")

    def check_figure(self, doc: Doc, path: PathT, figure: dict[str, Any], quotes: list[str]) -> None:
        values = list(_items(figure.get("values")))
        for i, entry in values:
            vpath = path + ("values", i)
            published, value = entry.get("as_published"), entry.get("value")
            if isinstance(published, str) and quotes and not any(published in q for q in quotes):
                self.add(doc, vpath + ("as_published",), f"'{published}' does not appear in source.as_published",
                         "copy it word for word from source.as_published (or quote a later notice in change_log)")
            if isinstance(published, str) and isinstance(value, (int, float)) and not isinstance(value, bool):
                numbers = published_numbers(published)
                if numbers and value not in numbers:
                    self.add(doc, vpath + ("value",), f"value {value:g} does not match as_published "
                             f"'{published}' ({', '.join(f'{n:g}' for n in numbers)})",
                             "the value must be the number the notice publishes")
            self._date_range(doc, vpath, entry)
        ranges = [(i, e.get("from"), e.get("until")) for i, e in values
                  if all(isinstance(d, str) or d is None for d in (e.get("from"), e.get("until")))
                  and not (isinstance(e.get("from"), str) and isinstance(e.get("until"), str)
                           and e["from"] > e["until"])]
        for n, (i, start, end) in enumerate(ranges):
            for j, other_start, other_end in ranges[:n]:
                if (start is None or other_end is None or start <= other_end) and \
                        (other_start is None or end is None or other_start <= end):
                    self.add(doc, path + ("values", i, "from"),
                             f"the dates of values[{i}] overlap values[{j}] (in force "
                             f"{'from ' + other_start if other_start else 'from the start'}"
                             f"{' until ' + other_end if other_end else ' with no end'})",
                             f"set until on values[{j}] to the day before from of values[{i}]")
                elif (start or "") < (other_start or ""):
                    self.add(doc, path + ("values", i, "from"), "values are not in date order",
                             "list the values oldest first: the last one is the latest")

    def check_benefit(self, doc: Doc, path: PathT, benefit: dict[str, Any], figures: dict[str, Any]) -> None:
        roles = benefit.get("roles") if isinstance(benefit.get("roles"), list) else []
        if self.roles is not None:
            for i, role in enumerate(roles):
                if _hashable(role) and role not in self.roles:
                    self._unknown(doc, path + ("roles", i), "role", role, self.roles, "options of the 'role' question")
        recipient = benefit.get("recipient")
        if isinstance(recipient, str) and self.have_notice and recipient not in self.recipients:
            self._unknown(doc, path + ("recipient",), "recipient", recipient, self.recipients,
                          "recipients in notice.yaml")
        if isinstance(recipient, dict):
            for role, who in recipient.items():
                if self.roles is not None and role not in self.roles:
                    self.add(doc, path + ("recipient", role), f"'{role}' is not a role",
                             "the keys of a recipient mapping are roles: " + _did_you_mean(role, self.roles), key=True)
                if isinstance(who, str) and self.have_notice and who not in self.recipients:
                    self._unknown(doc, path + ("recipient", role), "recipient", who, self.recipients,
                                  "recipients in notice.yaml")
            for role in roles:
                if _hashable(role) and role not in recipient:
                    self.add(doc, path + ("recipient",), f"no recipient for role '{role}'",
                             "add it to the mapping, or remove the role from roles")
        amount = _dict(benefit.get("amount"))
        self._figure(doc, path + ("amount", "figure"), amount.get("figure"), figures, "yuan")
        self._figure(doc, path + ("duration", "figure"), _dict(benefit.get("duration")).get("figure"), figures,
                     "month", "year")
        for key, sub in (("per", ()), ("each", ()), ("total", ("left_out",))):
            qid = _dict(amount.get("left_out")).get("total") if sub else amount.get(key)
            if isinstance(qid, str) and self.have_questions:
                where = path + ("amount",) + sub + (key,)
                if qid not in self.questions:
                    self._unknown(doc, where, "question", qid, self.questions, "questions in questions.yaml")
                elif self.questions[qid].get("type") != "integer":
                    self.add(doc, where, f"'{qid}' is not a count (type: integer) question")
        self.check_conditions(doc, path, benefit.get("conditions"), figures)

    def _figure(self, doc: Doc, path: PathT, name: Any, figures: dict[str, Any], *units: str) -> None:
        if not isinstance(name, str):
            return
        if name not in figures:
            self._unknown(doc, path, "figure", name, figures, "figures of this measure")
        elif _dict(figures[name]).get("unit") not in units:
            self.add(doc, path, f"figure '{name}' is in {_dict(figures[name]).get('unit')}, "
                                f"but here it must be in {' or '.join(units)}")

    def check_conditions(self, doc: Doc, path: PathT, conditions: Any, figures: dict[str, Any]) -> None:
        by_id: dict[str, int] = {}
        for i, condition in _items(conditions):
            ident = condition.get("id")
            if isinstance(ident, str):
                if ident in by_id:
                    self.add(doc, path + ("conditions", i, "id"), f"duplicate condition id '{ident}' in this benefit")
                else:
                    by_id[ident] = i
        for i, condition in _items(conditions):
            self.rule(doc, path + ("conditions", i, "rule"), condition.get("rule"), figures, by_id)
        # {condition: id} references must not go round in a circle
        refs = {ident: list(_condition_refs(_dict(conditions[i]).get("rule"), ("rule",)))
                for ident, i in by_id.items()}
        reported: set[frozenset[str]] = set()
        for start in by_id:
            for cycle, where in _cycles(start, refs):
                if frozenset(cycle) in reported:
                    continue
                reported.add(frozenset(cycle))
                cpath = path + ("conditions", by_id[cycle[0]]) + where + ("condition",)
                if len(cycle) == 1:
                    self.add(doc, cpath, f"condition '{cycle[0]}' refers to itself")
                else:
                    self.add(doc, cpath, "conditions refer to each other in a circle: "
                             + " -> ".join(cycle + [cycle[0]]), "one of them must state its rule directly")

    def check_texts(self, name: str, doc: Doc) -> None:
        formatter = string.Formatter()
        by_text: dict[PathT, dict[str, set[str]]] = {}
        for path, text in _texts(doc.data):
            try:
                fields = {f for _, f, _, _ in formatter.parse(text) if f is not None}
            except ValueError as error:
                self.add(doc, path, f"bad {{placeholder}}: {error}", "write {name} for a value, {{ or }} for a brace")
                continue
            for field_name in fields:
                if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", field_name):
                    self.add(doc, path, f"bad placeholder {{{field_name}}}", "a placeholder is a plain name: {total}")
            by_text.setdefault(path[:-1], {})[str(path[-1])] = fields
        for path, langs in by_text.items():
            if len(langs) == 2 and langs["zh"] != langs["en"]:
                diff = sorted(langs["zh"] ^ langs["en"])
                self.add(doc, path, "zh and en do not use the same placeholders: "
                         + ", ".join("{" + f + "}" for f in diff), "both languages need the same {names}")
        self.placeholders(doc, doc.data, None)

    def check_scenario(self, doc: Doc) -> None:
        if not self.all_measures:
            return
        benefits = [b.get("id") for _, m in self.measures.values() for _, b in _items(m.get("benefits"))]
        for i, case in _items(_dict(doc.data).get("cases")):
            expect = _dict(case.get("expect"))
            for measure_id in _dict(expect.get("measures")):
                if measure_id not in self.measures:
                    self._unknown(doc, ("cases", i, "expect", "measures", measure_id), "measure", measure_id,
                                  self.measures, "measures", key=True)
            for j, item in _items(expect.get("items")):
                bid, mid = item.get("benefit"), item.get("measure")
                if isinstance(mid, str) and mid not in self.measures:
                    self._unknown(doc, ("cases", i, "expect", "items", j, "measure"), "measure", mid,
                                  self.measures, "measures")
                elif isinstance(bid, str) and isinstance(mid, str):
                    own = [b.get("id") for _, b in _items(self.measures[mid][1].get("benefits"))]
                    if bid not in own:
                        self._unknown(doc, ("cases", i, "expect", "items", j, "benefit"), "benefit", bid, own,
                                      f"benefits of {mid}")
                elif isinstance(bid, str) and bid not in benefits:
                    self._unknown(doc, ("cases", i, "expect", "items", j, "benefit"), "benefit", bid, benefits,
                                  "benefits")

    def run(self) -> list[Problem]:
        self.collect_measures()
        self.check_notice()
        self.check_questions()
        notice_text = self._notice_text()
        for doc, measure in self.measures.values():
            self.check_measure(doc, measure, notice_text)
        for name, doc in self.docs.texts.items():
            self.check_texts(name, doc)
        for doc in self.docs.scenarios:
            self.check_scenario(doc)
        return self.problems

    def _notice_text(self) -> str | None:
        """The published notice (notice.source_file), looked for beside the repository; None if absent."""
        name = self.notice.get("source_file")
        if not isinstance(name, str) or self.root is None:
            return None
        for base in (self.root.parent, self.root.parent.parent):
            path = base / name
            if path.is_file():
                return path.read_text(encoding="utf-8", errors="replace")
        return None


def _condition_refs(rule: Any, path: PathT) -> Iterator[tuple[str, PathT]]:
    """(condition id, path inside the rule) of every {condition: id} in a rule."""
    if not isinstance(rule, dict):
        return
    if isinstance(rule.get("condition"), str):
        yield rule["condition"], path
    for op in ("all", "any"):
        for i, sub in enumerate(rule.get(op) if isinstance(rule.get(op), list) else []):
            yield from _condition_refs(sub, path + (op, i))
    if "not" in rule:
        yield from _condition_refs(rule["not"], path + ("not",))


def _cycles(start: str, refs: dict[str, list[tuple[str, PathT]]]) -> Iterator[tuple[list[str], PathT]]:
    """Cycles through `start`: (the ids in order, where the first id's rule makes the first step)."""
    stack: list[tuple[str, list[str], PathT | None]] = [(start, [start], None)]
    visited: set[str] = set()
    while stack:
        node, trail, first_step = stack.pop()
        for target, where in refs.get(node, []):
            step = first_step if first_step is not None else where
            if target == start:
                yield trail, step
            elif target not in visited and target in refs:
                visited.add(target)
                stack.append((target, trail + [target], step))


# ---- lists (questions.yaml `lists:`), kept self-contained ---------------------------------------

LIST_SCENARIOS = "scenarios/lists.yaml"   # the list check's cases (schema: list_scenarios)
LIST_SCENARIOS_KIND = "list_scenarios"


def check_lists(docs: PolicyDocs) -> list[Problem]:
    """The meaning of questions.yaml `lists:` (its shape is in questions.schema.json): the role,
    asked questions, column ids, row conditions over the columns, and counts that name number
    questions and conditions of the list; and the cases of scenarios/lists.yaml name real lists."""
    doc = docs.questions
    if doc is None:
        return []
    data = _dict(doc.data)
    questions = {q.get("id"): q for _, q in _items(data.get("questions")) if _hashable(q.get("id"))}
    role = _dict(questions.get("role"))
    roles = [o.get("value") for _, o in _items(role.get("options"))]
    problems: list[Problem] = []

    def add(path: PathT, message: str, hint: str = "", key: bool = False) -> None:
        problems.append(doc.problem(path, message, hint, key))

    def rule(path: PathT, node: Any, columns: dict[str, dict[str, Any]]) -> None:
        node = _dict(node)
        if "question" in node:
            cid = node["question"]
            column = columns.get(cid) if _hashable(cid) else None
            if column is None:
                add(path + ("question",), f"unknown column {_shown(cid)}",
                    "in a list's conditions, question: names a column of the list: "
                    + (_did_you_mean(cid, columns) or "none"))
                return
            values = [node["equals"]] if "equals" in node else node.get("in") if isinstance(node.get("in"), list) else []
            kind = column.get("type")
            for j, value in enumerate(values):
                where = path + (("equals",) if "equals" in node else ("in", j))
                if kind == "boolean" and not isinstance(value, bool):
                    add(where, f"column '{cid}' is yes/no: compare it with true or false")
                elif kind == "choice":
                    options = [o.get("value") for _, o in _items(column.get("options"))]
                    if not _hashable(value) or value not in options:
                        add(where, f"'{value}' is not an option of column '{cid}'",
                            "options: " + (_did_you_mean(value, options) or ", ".join(map(str, options))))
            if kind in ("text", "date") and any(k in node for k in ("min", "max", "above", "below")):
                add(path, f"column '{cid}' is not a number: use equals or in")
            return
        for kind in ("all", "any"):
            for j, part in _items(node.get(kind)):
                rule(path + (kind, j), part, columns)
        if "not" in node:
            rule(path + ("not",), node["not"], columns)
        if "condition" in node:
            add(path + ("condition",), "a list's conditions cannot refer to each other",
                "list the condition ids under counts instead")

    ids: set[str] = set()
    for i, spec in _items(data.get("lists")):
        path: PathT = ("lists", i)
        if not _hashable(spec.get("id")):
            continue
        if spec.get("id") in ids:
            add(path + ("id",), f"duplicate list id '{spec.get('id')}'")
        ids.add(spec.get("id"))
        if role and spec.get("role") not in roles:
            add(path + ("role",), f"unknown role {_shown(spec.get('role'))}",
                "roles (options of the question 'role'): " + (_did_you_mean(spec.get("role"), roles) or ", ".join(roles)))
        for j, qid in enumerate(spec.get("asks") or []):
            if not _hashable(qid) or qid not in questions:
                add(path + ("asks", j), f"unknown question {_shown(qid)}",
                    "questions in questions.yaml: " + (_did_you_mean(qid, questions) or "none"))
        columns: dict[str, dict[str, Any]] = {}
        for j, column in _items(spec.get("columns")):
            if not _hashable(column.get("id")):
                continue
            if column.get("id") in columns:
                add(path + ("columns", j, "id"), f"duplicate column id '{column.get('id')}'")
            columns[column.get("id")] = column
        if not any(c.get("required") for c in columns.values()):
            add(path + ("columns",), "no column is required: a list needs at least one required column",
                "add required: true to the columns every row must fill in")
        conditions: dict[str, int] = {}
        for j, condition in _items(spec.get("conditions")):
            if not _hashable(condition.get("id")):
                continue
            if condition.get("id") in conditions:
                add(path + ("conditions", j, "id"), f"duplicate condition id '{condition.get('id')}'")
            conditions[condition.get("id")] = j
            rule(path + ("conditions", j, "rule"), condition.get("rule"), columns)
        counts = _dict(spec.get("counts"))
        for qid, names in counts.items():
            question = questions.get(qid) if _hashable(qid) else None
            if question is None:
                add(path + ("counts", qid), f"unknown question {_shown(qid)}",
                    "questions in questions.yaml: " + (_did_you_mean(qid, questions) or "none"), key=True)
            elif question.get("type") != "integer":
                add(path + ("counts", qid), f"question '{qid}' is not a whole-number question", key=True)
            for j, name in enumerate(names if isinstance(names, list) else []):
                if not _hashable(name) or name not in conditions:
                    add(path + ("counts", qid, j), f"unknown condition {_shown(name)}",
                        "conditions of this list: " + (_did_you_mean(name, conditions) or "none"))
            # a count that may not exceed another answer must count only rows the other counts
            limit = _dict(_dict(question).get("max")).get("question")
            if _hashable(limit) and limit in counts and isinstance(names, list) and isinstance(counts[limit], list) \
                    and all(map(_hashable, names + counts[limit])) and not set(counts[limit]) <= set(names):
                add(path + ("counts", qid), f"'{qid}' may not be more than '{limit}', so its conditions must "
                    f"include all of those of '{limit}'", "add " + ", ".join(sorted(set(counts[limit]) - set(names))),
                    key=True)
    for scenarios in docs.scenarios:
        if scenarios.file != LIST_SCENARIOS:
            continue
        for i, case in _items(_dict(scenarios.data).get("cases")):
            if not _hashable(case.get("list")) or case.get("list") not in ids:
                problems.append(scenarios.problem(("cases", i, "list"), f"unknown list {_shown(case.get('list'))}",
                                                  "lists in questions.yaml: " + (_did_you_mean(case.get("list"), ids) or "none")))
    return problems


def check(docs: PolicyDocs, root: Path | None = None) -> list[Problem]:
    """Every problem of policy files already read: reading, schema, then meaning."""
    problems = list(docs.problems)
    kinds = [(docs.notice, "notice"), (docs.questions, "questions")]
    kinds += [(d, "measure") for d in docs.measures] + [(d, "texts") for d in docs.texts.values()]
    kinds += [(d, LIST_SCENARIOS_KIND if d.file == LIST_SCENARIOS else "scenarios") for d in docs.scenarios]
    for doc, kind in kinds:
        if doc is not None:
            problems.extend(schema_check(doc, kind))
    problems.extend(_Checker(docs, root).run())
    problems.extend(check_lists(docs))
    return sorted(set(problems))


def validate(root: Path = POLICY_DIR) -> list[Problem]:
    """Every problem of the policy folder, sorted by file and line; empty when it may be published."""
    root = Path(root)
    return check(read_policy(root), root)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else POLICY_DIR
    started = time.perf_counter()
    docs = read_policy(root)
    problems = check(docs, root)
    try:
        label = root.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        label = str(root)
    for problem in problems:
        print(problem.format(label))
    if problems:
        print(f"{len(problems)} problem(s); nothing may be published until they are fixed.", file=sys.stderr)
        return 1
    print(f"policy OK: {len(docs.measures)} measures, {len(docs.texts)} text files, {len(docs.scenarios)} "
          f"scenario files checked in {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
