"""What an edit changed in the policy: a generic comparison of two loaded policies, file by file
and measure by measure, so a field added to the model later is reported without code changes.

    units(policy)                      -> {unit: data}: the library, each notice (by id), the
                                          questions, each measure (by id) and each texts/ file of a
                                          loaded policy
    diff(before, after, docs)          -> [Change, ...]: every value that differs, with the file
                                          and line of the edited side (docs: read_policy's PolicyDocs)

Lists of mappings with an `id` are matched by id (a condition keeps its identity when another is
inserted before it), other lists by position. A {zh, en} mapping is one text (both languages
side by side). Each change has a kind: figure, condition, date, benefit, text, log or other;
figure, condition, date and benefit changes must be announced in the measure's change log.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from subsidy_calculator import periods

from scripts.policy.problems import PathT
from scripts.policy.reader import Doc, PolicyDocs

MISSING = type("Missing", (), {"__repr__": lambda self: "MISSING", "__bool__": lambda self: False})()
NEEDS_LOG = ("figure", "condition", "date", "benefit")  # kinds the change log must announce
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_KEYS = frozenset(("from", "until", "date"))
_FIGURE_KEYS = frozenset(("figures", "amount", "duration"))
_CONDITION_KEYS = frozenset(("conditions", "rule", "ask_when", "self_check", "roles"))

Unit = tuple[str, ...]  # ("library",), ("notice", id), ("questions",), ("measure", id), ("texts", name)
_NOT_QUESTIONS = frozenset(("library", "notices", "recipients", "measures", "texts", "version"))


@dataclass
class Change:
    unit: Unit
    file: str                 # relative to the policy folder ("" when the edited side has no file)
    line: int
    col: int
    path: str                 # "benefits[graduate-hiring-award].conditions[small-or-micro].rule.min"
    kind: str
    before: Any               # MISSING when added
    after: Any                # MISSING when removed
    keys: tuple[str, ...] = field(default=(), repr=False)  # the mapping keys along the path

    @property
    def action(self) -> str:
        return "added" if self.before is MISSING else "removed" if self.after is MISSING else "changed"

    @property
    def needs_log(self) -> bool:
        return self.kind in NEEDS_LOG


def is_text(value: Any) -> bool:
    """A visible text: {zh: ..., en: ...} (either language may be missing in a broken file)."""
    return isinstance(value, Mapping) and bool(value) and set(value) <= {"zh", "en"} \
        and all(isinstance(v, str) for v in value.values())


def is_date(value: Any) -> bool:
    return isinstance(value, str) and bool(_DATE.match(value))


def units(policy: Mapping[str, Any]) -> dict[Unit, Any]:
    out: dict[Unit, Any] = {}
    if policy.get("library") is not None:
        out[("library",)] = policy["library"]
    for notice in policy.get("notices") or []:
        # what it says and does; its text is checked by the validator, its measures are units
        out[("notice", str(notice.get("id")))] = {k: v for k, v in notice.items() if k not in ("text", "measures")}
    # the rest comes from questions.yaml (its questions, its lists, and whatever it holds later)
    out[("questions",)] = {key: value for key, value in policy.items()
                           if key not in _NOT_QUESTIONS and value is not None}
    for measure in policy.get("measures") or []:
        out[("measure", str(measure.get("id")))] = {k: v for k, v in measure.items() if k != "notice"}
    for name, texts in (policy.get("texts") or {}).items():
        if texts is not None:
            out[("texts", name)] = texts
    return out


def unit_docs(docs: PolicyDocs) -> dict[Unit, Doc]:
    """The file each unit of the edited policy comes from."""
    out: dict[Unit, Doc] = {}
    if docs.library:
        out[("library",)] = docs.library
    for notice in docs.notices:
        if notice.notice:
            out[("notice", notice.id)] = notice.notice
    if docs.questions:
        out[("questions",)] = docs.questions
    for doc in docs.measures:
        if isinstance(doc.data, Mapping):
            out[("measure", str(doc.data.get("id")))] = doc
    for name, doc in docs.texts.items():
        out[("texts", name)] = doc
    return out


def kind_of(keys: tuple[str, ...], before: Any, after: Any) -> str:
    if "change_log" in keys:
        return "log"
    last = keys[-1] if keys else ""
    if before is MISSING or after is MISSING:  # a whole item came or went: what holds it says what it is
        value = after if before is MISSING else before
        if _FIGURE_KEYS & set(keys):
            return "figure"
        if last in _DATE_KEYS or is_date(value) or isinstance(value, Mapping) and value and set(value) <= _DATE_KEYS:
            return "date"  # e.g. a period {from, until} added
        if _CONDITION_KEYS & set(keys):
            return "condition"
        if "benefits" in keys:
            return "benefit"
        return "text" if is_text(value) else "other"
    if is_text(before) or is_text(after) or last in ("zh", "en"):
        return "text"
    if last in _DATE_KEYS or is_date(before) or is_date(after):
        return "date"
    if _FIGURE_KEYS & set(keys):
        return "figure"
    if _CONDITION_KEYS & set(keys):
        return "condition"
    if "benefits" in keys:
        return "benefit"
    return "other"


def _by_id(items: list) -> dict[str, Any] | None:
    """{id: item} when every item is a mapping with a distinct id, else None."""
    if not items or not all(isinstance(i, Mapping) and isinstance(i.get("id"), (str, int)) for i in items):
        return None
    ids = {str(i["id"]): i for i in items}
    return ids if len(ids) == len(items) else None


class _Walker:
    def __init__(self, unit: Unit, doc: Doc | None) -> None:
        self.unit, self.doc = unit, doc
        self.changes: list[Change] = []

    def add(self, shown: str, keys: tuple[str, ...], at: PathT, before: Any, after: Any) -> None:
        line, col = self.doc.where(at) if self.doc else (0, 0)
        self.changes.append(Change(self.unit, self.doc.file if self.doc else "", line, col, shown,
                                   kind_of(keys, before, after), before, after, keys))

    def walk(self, before: Any, after: Any, shown: str, keys: tuple[str, ...], at: PathT) -> None:
        if isinstance(before, Mapping) and isinstance(after, Mapping) and not (is_text(before) and is_text(after)):
            for key in list(after) + [k for k in before if k not in after]:
                self.walk(before.get(key, MISSING), after.get(key, MISSING),
                          f"{shown}.{key}" if shown else str(key), keys + (str(key),), at + (key,))
            return
        if isinstance(before, list) and isinstance(after, list):
            old, new = _by_id(before), _by_id(after)
            if old is not None and new is not None:
                position = {str(item["id"]): i for i, item in enumerate(after)}
                order = list(old)
                for key in list(new) + [k for k in old if k not in new]:
                    if key not in position:  # removed: point at the item that now stands where it was
                        later = [position[k] for k in order[order.index(key) + 1:] if k in position]
                        place = at + (later[0],) if later else at
                    else:
                        place = at + (position[key],)
                    self.walk(old.get(key, MISSING), new.get(key, MISSING), f"{shown}[{key}]", keys, place)
                return
            for i in range(max(len(before), len(after))):
                self.walk(before[i] if i < len(before) else MISSING, after[i] if i < len(after) else MISSING,
                          f"{shown}[{i}]", keys, at + (i,) if i < len(after) else at)
            return
        if before is MISSING and after is MISSING:
            return
        if type(before) is not type(after) or before != after:
            self.add(shown, keys, at, before, after)


def diff(before: Mapping[Unit, Any], after: Mapping[Unit, Any], docs: PolicyDocs | None = None) -> list[Change]:
    """Every difference between two policies' units (see `units`), in the edited side's order."""
    where = unit_docs(docs) if docs else {}
    changes: list[Change] = []
    for unit in list(after) + [u for u in before if u not in after]:
        walker = _Walker(unit, where.get(unit))
        old, new = before.get(unit, MISSING), after.get(unit, MISSING)
        if old is MISSING or new is MISSING:  # a whole measure (or file) came or went
            walker.add("", (), (), old, new)
            walker.changes[-1].kind = "benefit" if unit[0] == "measure" else "other"
        else:
            walker.walk(old, new, "", (), ())
        changes.extend(walker.changes)
    return changes


def by_unit(changes: list[Change]) -> Iterator[tuple[Unit, list[Change]]]:
    seen: dict[Unit, list[Change]] = {}
    for change in changes:
        seen.setdefault(change.unit, []).append(change)
    yield from seen.items()


def changed_dates(changes: list[Change]) -> set[str]:
    """Every date an edit set or moved (an `until` also gives the day after it), for the report's
    days of comparison."""
    days: set[str] = set()

    def collect(value: Any, key: str) -> None:
        if periods.is_day(value):
            days.add(value)
            if key == "until":
                days.add(periods.day_after(value))
        elif isinstance(value, Mapping):
            for k, v in value.items():
                if k != "change_log":
                    collect(v, str(k))
        elif isinstance(value, list):
            for v in value:
                collect(v, key)

    for change in changes:
        if change.kind == "log":
            continue
        last = change.keys[-1] if change.keys else ""
        collect(change.before, last)
        collect(change.after, last)
    return days
