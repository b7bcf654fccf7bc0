"""What every check needs: the files read, indexes of their ids, and checks shared by several kinds
of file (rules, [[figure]] references, date ranges, numbering).

Checks run even when the shape is wrong (the schema reports that), so they never trust it:
read values through `as_dict`, `as_list` and `items`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeGuard

from subsidy_calculator import periods
from subsidy_calculator.vocabulary import COMPARISONS, DATED, FIGURE_REF, NUMBER_TYPES  # noqa: F401 (FIGURE_REF: for the checks)
from scripts.policy.messages import Hint, Joined, Message, Shown, did_you_mean, msg
from scripts.policy.problems import PathT, Problem
from scripts.policy.reader import Doc, NoticeDocs, PolicyDocs, as_text_file

NUMERIC = NUMBER_TYPES
# A visible text: {zh, en}, optionally with `rests_on` (the words of the notice it rests on) or
# `guidance: true` (general guidance the notice does not give; shown labelled as such).
TEXT_KEYS = frozenset(("zh", "en", "rests_on", "guidance"))


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def window(value: Any) -> dict[str, Any]:
    """A `{from, until}` as written, for subsidy_calculator.periods: an end that is not text
    is taken as open (the schema reports it)."""
    raw = as_dict(value)
    return {side: raw[side] if isinstance(raw.get(side), str) else None for side in ("from", "until")}


def is_number(value: Any) -> TypeGuard[int | float]:
    """A number as the schema counts one: true and false are not."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, item) of the mapping items of a list."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def flat(text: str) -> str:
    """A text with its runs of white space made one space: quotes are compared this way."""
    return re.sub(r"\s+", " ", text).strip()


def wrapped_in_chinese_quotes(text: str) -> bool:
    """“…” around a whole text (a Chinese keyboard's quotes, which YAML keeps as part of the text);
    not a text that starts and ends with two quoted terms (“A”和“B”)."""
    text = text.strip()
    return len(text) > 2 and text[0] == "“" and text[-1] == "”" and "“" not in text[1:-1] and "”" not in text[1:-1]


def hashable(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) or value is None


def texts(value: Any, path: PathT = ()) -> Iterator[tuple[PathT, str]]:
    """Every string inside a {zh, en} text, with its path."""
    if isinstance(value, dict):
        if value and set(value) <= TEXT_KEYS and set(value) & {"zh", "en"}:
            for lang, text in value.items():
                if lang in ("zh", "en") and isinstance(text, str):
                    yield path + (lang,), text
            return
        for key, sub in value.items():
            yield from texts(sub, path + (key,))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from texts(sub, path + (i,))


class Context:
    """The policy read, its ids indexed, and the problems found so far."""

    def __init__(self, docs: PolicyDocs, root: Path | None) -> None:
        self.docs, self.root = docs, root
        self.problems: list[Problem] = []
        library = as_dict(docs.library.data) if docs.library else {}
        self.library = library
        self.have_library = docs.library is not None
        self.groups = self.ids(docs.library, library.get("audience_groups"), ("audience_groups",), "audience_group")
        self.audiences = self.ids(docs.library, library.get("audiences"), ("audiences",), "audience")
        self.recipients = self.ids(docs.library, library.get("recipients"), ("recipients",), "recipient")
        self.topics = self.ids(docs.library, library.get("topics"), ("topics",), "topic")
        # the notices by id (their folder's name), each one's notice.yaml data, parts and text
        self.notices: dict[str, NoticeDocs] = {n.id: n for n in docs.notices}
        self.notice_data = {n.id: as_dict(n.notice.data) if n.notice else {} for n in docs.notices}
        self.parts = {n.id: self.ids(n.notice, self.notice_data[n.id].get("parts"), ("parts",), "part")
                      for n in docs.notices}
        self.notice_texts = {n.id: flat(n.text) for n in docs.notices if n.text is not None}
        self._notice_of_file = {d.file: n for n in docs.notices for d in n.measures}
        qdata = as_dict(docs.questions.data).get("questions") if docs.questions else None
        self.have_questions = docs.questions is not None
        self.questions = self.ids(docs.questions, qdata, ("questions",), "question")
        self.order = {qid: n for n, qid in enumerate(self.questions)}
        role = self.questions.get("role", {})
        self.roles = [o.get("value") for _, o in items(role.get("options"))] if role else None
        self.measures: dict[str, tuple[Doc, dict[str, Any]]] = {}  # filled by the measure checks
        # a measure file that could not be read would make every reference to it look wrong
        self.all_measures = not any("/measures/" in f for f in docs.unreadable)

    def notice_of(self, doc: Doc) -> NoticeDocs | None:
        """The notice whose folder holds this measure file."""
        return self._notice_of_file.get(doc.file)

    def text_file(self, notice_id: str) -> str:
        """Where a notice's published text is, for messages: notices/<id>/<text_file>."""
        notice = self.notices.get(notice_id)
        name = as_text_file(notice.notice) if notice else None
        return f"{notice.folder}/{name}" if notice and name else f"notices/{notice_id}/"

    # -- reporting --

    def add(self, doc: Doc, path: PathT, code: str, hint: Hint | None = None, key: bool = False,
            **args: Any) -> None:
        """Report the catalogue message `code` (with its own hint unless `hint` is given) at `path`."""
        self.problems.append(doc.problem(path, code, hint, key, **args))

    def unknown(self, doc: Doc, path: PathT, what: Message, value: Any, known: Iterable[Any], where: Message,
                key: bool = False) -> None:
        """'unknown part 'x' — hint: parts in notice.yaml: did you mean 'y'? possible: ...'."""
        self.add(doc, path, "unknown", msg("hint.known", where=where, suggestion=did_you_mean(value, known)),
                 key, what=what, value=Shown.of(value))

    def ids(self, doc: Doc | None, listed: Any, path: PathT, what: str) -> dict[str, dict[str, Any]]:
        """{id: item} of a list of {id: ...}; duplicates are reported."""
        found: dict[str, dict[str, Any]] = {}
        for i, item in items(listed):
            ident = item.get("id")
            if not isinstance(ident, str) or doc is None:
                continue
            if ident in found:
                self.add(doc, path + (i, "id"), "duplicate_id", what=msg(f"thing.{what}"), ident=ident)
            else:
                found[ident] = item
        return found

    def numbers_1_to_n(self, numbered: list[tuple[Doc, PathT, Any]], what: str) -> None:
        """Numbers must be unique and run 1..N with no gap."""
        thing = msg(f"thing.{what}")
        seen: dict[int, Doc] = {}
        for doc, path, number in numbered:
            if not isinstance(number, int) or isinstance(number, bool):
                continue
            if number in seen:
                self.add(doc, path, "duplicate_number", what=thing, number=number, other=seen[number].file)
            seen[number] = doc
        count = len(numbered)
        for doc, path, number in numbered:
            if isinstance(number, int) and not isinstance(number, bool) and not 1 <= number <= count:
                missing = sorted(set(range(1, count + 1)) - set(seen))
                self.add(doc, path, "out_of_sequence", what=thing, number=number, count=count,
                         missing=tuple(str(n) for n in missing))

    def date_range(self, doc: Doc, path: PathT, entry: dict[str, Any]) -> bool:
        """A window that ends before it starts."""
        if periods.valid(window(entry)):
            return True
        self.add(doc, path + ("until",), "until_before_from", until=entry["until"], since=entry["from"])
        return False

    # -- rules (a benefit's conditions, a question's ask_when) --

    def rule(self, doc: Doc, path: PathT, rule: Any, figures: dict[str, Any] | None,
             conditions: dict[str, Any] | None, before: str | None = None) -> None:
        """A condition or ask_when rule: questions, option values, figures, condition refs."""
        if not isinstance(rule, dict):
            return
        for op in ("all", "any"):
            for i, sub in enumerate(as_list(rule.get(op))):
                self.rule(doc, path + (op, i), sub, figures, conditions, before)
        if "not" in rule:
            self.rule(doc, path + ("not",), rule["not"], figures, conditions, before)
        if isinstance(rule.get("condition"), str):
            if conditions is None:
                self.add(doc, path + ("condition",), "condition_outside_benefit")
            elif rule["condition"] not in conditions:
                self.unknown(doc, path + ("condition",), msg("thing.condition"), rule["condition"], conditions,
                             msg("where.benefit_conditions"))
        qid = rule.get("question")
        if not isinstance(qid, str) or not self.have_questions:
            return
        question = self.questions.get(qid)
        if question is None:
            self.unknown(doc, path + ("question",), msg("thing.question"), qid, self.questions,
                         msg("where.questions"))
            return
        if before is not None and self.order.get(qid, -1) >= self.order.get(before, -1):
            self.add(doc, path + ("question",), "ask_when_order", question=qid, before=before)
        qtype = question.get("type")
        options = [o.get("value") for _, o in items(question.get("options"))]
        values: list[tuple[PathT, Any]] = [(("equals",), rule["equals"])] if "equals" in rule else []
        if isinstance(rule.get("in"), list):
            values += [(("in", i), v) for i, v in enumerate(rule["in"])]
        for sub, value in values:
            if qtype == "choice" and hashable(value) and value not in options:
                self.unknown(doc, path + sub, msg("thing.option_of", question=qid), value, options,
                             msg("where.its_options"))
            elif qtype == "boolean" and not isinstance(value, bool):
                self.add(doc, path + sub, "yes_no_compare", question=qid, value=Shown.of(value))
            elif qtype in NUMERIC and (isinstance(value, bool) or not isinstance(value, (int, float))):
                self.add(doc, path + sub, "takes_number", question=qid, value=Shown.of(value))
        for op in COMPARISONS:
            if op not in rule:
                continue
            if qtype not in NUMERIC and isinstance(qtype, str):
                self.add(doc, path + (op,), "compares_numbers", op=op, question=qid, type=qtype)
            ref = rule[op].get("figure") if isinstance(rule[op], dict) else None
            if isinstance(ref, str):
                if figures is None:
                    self.add(doc, path + (op, "figure"), "figures_outside_measure")
                elif ref not in figures:
                    self.unknown(doc, path + (op, "figure"), msg("thing.figure"), ref, figures,
                                 msg("where.measure_figures"))

        for op in DATED:
            if op not in rule:
                continue
            if qtype != "month" and isinstance(qtype, str):
                self.add(doc, path + (op,), "dated_rule_needs_month", op=op, question=qid, type=qtype)
            if figures is None:
                self.add(doc, path + (op,), "dated_rule_outside_measure", op=op)
            ref = rule[op].get("figure") if isinstance(rule[op], dict) else None
            if op == "within" and isinstance(ref, str) and figures is not None:
                if ref not in figures:
                    self.unknown(doc, path + (op, "figure"), msg("thing.figure"), ref, figures,
                                 msg("where.measure_figures"))
                elif as_dict(figures[ref]).get("unit") not in ("month", "year"):
                    self.add(doc, path + (op, "figure"), "figure_unit", name=ref,
                             unit=str(as_dict(figures[ref]).get("unit")), units=Joined(("month", "year")))

    # -- [[figure]] in texts --

    def placeholders(self, doc: Doc, root: Any, own_figures: dict[str, Any] | None) -> None:
        """[[figure]] in every text; with own_figures None, only [[measure-id.figure]] is allowed."""
        by_text: dict[PathT, dict[str, set[str]]] = {}
        for path, text in texts(root):
            if path[-1] == "zh" and wrapped_in_chinese_quotes(text) and not re.fullmatch(r"\{[a-z_]+\}", text.strip()[1:-1]):
                self.add(doc, path, "text_in_chinese_quotes", text=text, inner=text[1:-1])
            names = set(FIGURE_REF.findall(text))
            by_text.setdefault(path[:-1], {})[str(path[-1])] = names
            rest = FIGURE_REF.sub("", text)
            if "[[" in rest or "]]" in rest:
                self.add(doc, path, "brackets_unclosed")
            for name in FIGURE_REF.findall(text):
                self.figure_ref(doc, path, name, own_figures)
        for path, langs in by_text.items():
            if len(langs) == 2 and langs.get("zh") != langs.get("en"):
                only_zh, only_en = langs["zh"] - langs["en"], langs["en"] - langs["zh"]
                details = tuple(msg("figure_only_in", name=n, lang=lang)
                                for lang, names in (("zh", only_zh), ("en", only_en)) for n in sorted(names))
                self.add(doc, path, "figures_differ", details=Joined(details, "word.semicolon"))

    def figure_ref(self, doc: Doc, path: PathT, name: str, own_figures: dict[str, Any] | None) -> None:
        if "." not in name:
            if own_figures is None:
                self.add(doc, path, "figure_needs_measure", name=name)
            elif name not in own_figures:
                self.unknown(doc, path, msg("thing.figure"), f"[[{name}]]", own_figures,
                             msg("where.measure_figures"))
            return
        if own_figures is not None:
            self.add(doc, path, "own_figures_only", name=name)
            return
        measure_id, _, figure = name.partition(".")
        if measure_id not in self.measures and not self.all_measures:
            return
        if measure_id not in self.measures:
            self.unknown(doc, path, msg("thing.measure"), measure_id, self.measures,
                         msg("where.measures_in", name=name))
            return
        figures = as_dict(self.measures[measure_id][1].get("figures"))
        if figure not in figures:
            self.unknown(doc, path, msg("thing.figure"), figure, figures,
                         msg("where.figures_of_in", name=name, measure=measure_id))
