"""Statuses, amounts, reasons and grouping by recipient (the result shape: calculator/README.md).

`Rules(bundle)` compiles the rules bundle once: rules become closures, questions and figures
are indexed. Everything that depends only on the day and the language (figures in force, texts
with their `[[figure]]` filled in) is prepared once per (day, language) and kept in a small
cache, so `Rules.evaluate` only checks answers, runs the rules and assembles the result.
"""
from __future__ import annotations

import datetime as _dt
import json
import re
from fractions import Fraction
from heapq import merge
from itertools import islice
from math import floor
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from .amounts import ShapeError, problems as amount_problems, read_amount, read_duration
from .answers import Question, check_answers, compile_questions
from .formatting import format_count, format_date, format_money, format_numeral, format_quantity, render_text
from .library import Ended, change_days, measure_endings
from .rules import ON_DAY, Rule, RulesError, compile_conditions, question_refs
from .texts import LANGS, fill, result_texts, with_duration
from . import periods, whatif

ROLE = "role"                      # the question that says who is asking
STATUSES = ("eligible", "may_be_eligible", "needs_answers", "not_eligible", "not_in_force")  # best first
_RANK = {status: rank for rank, status in enumerate(STATUSES)}
_SHOWS_AMOUNT = frozenset(("eligible", "may_be_eligible", "needs_answers"))
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_UNITS = ("yuan", "month", "year")
# How a benefit is paid, only as the notice says it; not_stated where the notice is silent.
FREQUENCIES = ("one_time", "recurring", "not_stated")
_VIEW_CACHE = 64                   # (day, language) pairs kept
CARDS = 10                         # a recipient's cards in the page's result, unless it asks for more
_UNANSWERED = object()             # an answer not given, in the key of an assessment
_NEEDS = _RANK["needs_answers"]   # a card waiting for answers (its rank)


def _yuan(value: Any, count: int = 1) -> int:
    """value x count in whole yuan (half up), never negative; exact for any size of count."""
    if type(value) is int:
        return max(0, value * count)
    exact = Fraction(repr(value)) * count
    return max(0, floor(exact + Fraction(1, 2)))


def _period(raw: Mapping[str, Any], where: str) -> Mapping[str, Any] | None:
    """`in_force: {from, until}` of a measure, benefit or condition (None: as long as the notice)."""
    period = raw.get("in_force")
    if period is None:
        return None
    if not isinstance(period, Mapping) or any(
            period.get(k) is not None and not (isinstance(period.get(k), str) and _DATE.match(period[k]))
            for k in ("from", "until")):
        raise RulesError(f"{where}.in_force: must be {{from: YYYY-MM-DD | null, until: YYYY-MM-DD | null}}")
    return period


class Benefit:
    __slots__ = ("id", "raw", "amount", "duration_figure", "roles", "recipient_of", "conditions", "figures_used",
                 "period", "condition_periods")

    def __init__(self, raw: Mapping[str, Any], where: str, measure_figures: Mapping[str, Any],
                 questions: Mapping[str, Question], recipients: Mapping[str, Any], role_values: frozenset) -> None:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
            raise RulesError(f"{where}: a benefit needs an id")
        self.id: str = raw["id"]
        self.raw = raw
        where = f"{where}({self.id})"
        self.conditions: list[tuple[Mapping[str, Any], Rule]] = compile_conditions(
            raw.get("conditions"), f"{where}.conditions", questions, measure_figures)
        used = set().union(*(rule.figures for _, rule in self.conditions))
        self.period = _period(raw, where)
        self.condition_periods = [_period(c, f"{where}.conditions[{i}]") for i, (c, _) in enumerate(self.conditions)]

        try:
            amount, self.duration_figure = read_amount(raw.get("amount")), read_duration(raw.get("duration"))
        except ShapeError as e:
            raise RulesError(f"{where}.{e}") from None
        for problem in amount_problems(amount, self.duration_figure,
                                       lambda f: (measure_figures.get(f) or {}).get("unit"),
                                       lambda q: getattr(questions.get(q), "type", None)):
            raise RulesError(f"{where}.{'.'.join(problem.path)}: {problem.text()}")
        self.amount = amount
        used.update(f for f in (amount.figure, self.duration_figure) if f is not None)
        self.figures_used = frozenset(used)

        roles = raw.get("roles")
        if roles is not None and (not isinstance(roles, list) or not set(roles) <= role_values):
            raise RulesError(f"{where}.roles: must be a list of {sorted(role_values)}")
        self.roles = frozenset(roles) if roles is not None else None
        recipient = raw.get("recipient")
        targets = list(recipient.values()) if isinstance(recipient, Mapping) else [recipient]
        if not targets or any(t not in recipients for t in targets):
            raise RulesError(f"{where}.recipient: must be a recipient id of notice.yaml or {{role: recipient}}")
        # who receives the money, by the visitor's role ({role: recipient} or one recipient for all)
        self.recipient_of = {role: recipient.get(role, targets[0]) if isinstance(recipient, Mapping) else recipient
                             for role in role_values}
        if raw.get("frequency") not in FREQUENCIES:
            raise RulesError(f"{where}.frequency: must be one of {', '.join(FREQUENCIES)}")


class Measure:
    __slots__ = ("id", "number", "raw", "figures", "benefits", "roles", "period", "notice", "ended", "reads")

    def __init__(self, raw: Mapping[str, Any], where: str, questions: Mapping[str, Question],
                 recipients: Mapping[str, Any], role_values: frozenset, notices: Mapping[str, Any],
                 endings: Mapping[str, Ended]) -> None:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
            raise RulesError(f"{where}: a measure needs an id")
        self.id: str = raw["id"]
        self.number = raw.get("number")
        self.raw = raw
        where = f"measures[{self.id}]"
        self.period = _period(raw, where)
        if raw.get("notice") not in notices:
            raise RulesError(f"{where}.notice: must be the id of a notice of the bundle")
        self.notice: Mapping[str, Any] = notices[raw["notice"]]
        self.ended = endings.get(self.id)   # another notice repealed or superseded it
        figures = raw.get("figures") or {}
        for fid, figure in figures.items():
            if not isinstance(figure, Mapping) or figure.get("unit") not in _UNITS \
                    or not isinstance(figure.get("values"), list):
                raise RulesError(f"{where}.figures.{fid}: needs a unit ({'/'.join(_UNITS)}) and values")
        self.figures: Mapping[str, Any] = figures
        self.benefits = [Benefit(b, f"{where}.benefits[{i}]", figures, questions, recipients, role_values)
                         for i, b in enumerate(raw.get("benefits") or ())]
        roles: list[str] = []
        for b in self.benefits:
            roles.extend(r for r in (b.raw.get("roles") or ()) if r not in roles)
        self.roles = tuple(roles)
        # the answers its assessment reads (besides the role): its conditions' questions and the
        # counts its amounts multiply by; nothing else of the answers can change its result
        reads = {q for b in self.benefits for c, _ in b.conditions for q in question_refs(c.get("rule"))}
        reads.update(q for b in self.benefits for q in (b.amount.count, b.amount.total) if q)
        self.reads = tuple(sorted(reads))


class Rules:
    """A compiled rules bundle. Build it once (`load_rules`), evaluate as often as needed."""

    def __init__(self, bundle: Mapping[str, Any]) -> None:
        if not isinstance(bundle, Mapping):
            raise RulesError("the rules bundle must be a JSON object")
        self.version = str(bundle.get("version") or "")
        self.bundle = bundle  # the lists (lists.py) are compiled from it when first needed
        self.texts = result_texts(bundle.get("texts"))
        self.questions = compile_questions(bundle.get("questions"))
        self.question_by_id = {q.id: q for q in self.questions}
        self.question_index = {q.id: q.index for q in self.questions}
        role_question = self.question_by_id.get(ROLE)
        if role_question is None or role_question.type != "choice":
            raise RulesError(f"questions: a choice question {ROLE!r} (who is asking) is required")
        notices = bundle.get("notices")
        if not isinstance(notices, list) or not all(isinstance(n, Mapping) and isinstance(n.get("id"), str)
                                                   and _period(n, f"notices[{n.get('id')}]") is not None
                                                   for n in notices):
            raise RulesError("notices: must be a list of notices, each with an id and in_force")
        self.notices = {n["id"]: n for n in notices}
        try:
            endings = measure_endings(notices)
        except (KeyError, TypeError, IndexError) as error:
            raise RulesError(f"notices: acts_on is malformed: {error!r}") from error
        self.recipients = {r["id"]: r for r in bundle.get("recipients") or () if isinstance(r, Mapping)}
        measures = bundle.get("measures")
        if not isinstance(measures, list):
            raise RulesError("measures: must be a list")
        self.measures = [Measure(m, f"measures[{i}]", self.question_by_id, self.recipients, role_question.options,
                                 self.notices, endings)
                         for i, m in enumerate(measures)]
        # "measure-id.figure_id" -> figure, for [[...]] in question texts
        self.all_figures = {f"{m.id}.{fid}": fig for m in self.measures for fid, fig in m.figures.items()}
        self._views: dict[tuple[str, str], _View] = {}
        self.change_days = change_days(bundle)  # when the rules read differently
        self.measures_using = whatif.measures_using(self)  # question -> measures whose result it can change
        # A missing text fails here, not in evaluate(); the texts are prepared for a day and a
        # language when first asked for (the first evaluation, or the worker's warm-up after ready)
        for where, text in _texts(self):
            if not isinstance(text, Mapping) or not all(isinstance(text.get(lang), str) for lang in LANGS):
                raise RulesError(f"{where}: a text needs {' and '.join(LANGS)}")

    # -- preparation per (day, language) --------------------------------------------------------

    def view(self, iso: str, lang: str) -> "_View":
        key = (iso, lang)
        view = self._views.get(key)
        if view is None:
            if len(self._views) >= _VIEW_CACHE:
                self._views.clear()
            view = self._views[key] = _View(self, iso, lang)
        return view

    # -- evaluation ------------------------------------------------------------------------------

    def evaluate(self, answers: Any, on: Any = None, lang: Any = "zh", what_if: bool = False,
                 only: Any = None, shared: bool = False) -> dict[str, Any]:
        """The result for `answers` on day `on` (YYYY-MM-DD; None: today) in `lang`. Never raises
        on any answers, day or language: what cannot be used is reported in `errors`.
        `what_if`: add what would change the answer (whatif.py). `only`: a set of measure ids to
        list, the others left out (what-if compares only the measures a change can touch).
        `shared`: the measures and items are the kept assessments themselves, to be read and never
        changed (faster: for the browser, which writes the result out at once, and the what-if);
        otherwise they are the caller's own copies."""
        view, clean, errors, done = self._assess(answers, on, lang)
        return self._result(view, clean, errors, done, what_if, only, shared)

    def evaluate_page(self, answers: Any, on: Any = None, lang: Any = "zh", errors_first: Sequence[dict] = (),
                      cards: Any = None, skipped: Any = (), table: Any = None) -> dict[str, Any]:
        """evaluate(answers, on, lang, what_if=True) as the page gets it (browser_shape, from what
        the engine keeps of each chunk of measures), with `errors_first` before its errors."""
        view, clean, errors = self._prepare(answers, on, lang)
        chunks = view.chunks(clean, clean.get(ROLE))
        result = self._result(view, clean, [*errors_first, *errors], view.in_order(chunks), True, None, True)
        return browser_shape(self, result, cards, skipped, table, [chunk.summary() for chunk in chunks])

    def _result(self, view: "_View", clean: dict[str, Any], errors: list[dict], done: list["_Done"],
                what_if: bool, only: Any, shared: bool) -> dict[str, Any]:
        measures_out = [d.entry for d in done if only is None or d.entry["id"] in only]
        if not shared:
            measures_out = _copy(measures_out)
        elif what_if is True:  # the what-if writes into the items: copies, not the kept assessments
            measures_out = [{**entry, "items": [dict(item) for item in entry["items"]]} for entry in measures_out]
        items = [item for entry in measures_out for item in entry["items"]]
        result = self._head(view, errors)
        result["groups"] = [{**head, "items": [items[i] for i in members]}
                            for head, members in self._groups(items, view)]
        result["measures"] = measures_out
        if what_if is True:
            whatif.annotate(self, result, clean, view, done)
        return result

    def evaluate_json(self, answers: Any, on: Any = None, lang: Any = "zh", errors_first: Sequence[dict] = (),
                      cards: Any = None, skipped: Any = (), table: Any = None) -> str:
        """evaluate(answers, on, lang) as the browser gets it (browser_shape: `cards`, `skipped` and
        `table` as there), as JSON text, with `errors_first` before the result's errors. Written
        from the JSON of each measure's assessment, kept with it: a visitor changes one answer at a
        time, and most of the result stays the same text."""
        view, clean, errors = self._prepare(answers, on, lang)
        chunks = [chunk.summary() for chunk in view.chunks(clean, clean.get(ROLE))]
        result = self._head(view, [*errors_first, *errors])
        pages, labels = self.shown_groups(view, chunks, cards, skipped)
        groups = [to_json(head)[:-1] + ',"items":[' + ",".join(d.items_json()[j] for _, _, j, d in shown) + "]}"
                  for head, shown in pages]
        others = _others_text(sum(chunk.others for chunk in chunks), view.lang, view.text)
        key, table_json = view.table()
        return (to_json(result)[:-1] + ',"groups":[' + ",".join(groups) + '],"skipped":' + to_json(labels)
                + ',"measures":[' + ",".join(chunk.lines for chunk in chunks if chunk.lines)
                + '],"other_measures":' + to_json(others)
                + ',"table":' + to_json(key) + (',"measure_table":' + table_json if table != key else "") + "}")

    def shown_groups(self, view: "_View", chunks: Sequence["_Summary"], cards: Any,
                     skipped: Any) -> tuple[list[tuple[dict, list[tuple[int, int, int, "_Done"]]]], list[str]]:
        """browser_shape's groups from the chunks' summaries: each group's head (with its total
        and count) and its cards to send ((rank, position, index, assessment)); the labels of the
        skipped questions that the cards left out wait for."""
        wanted = cards if isinstance(cards, Mapping) else {}
        passed = frozenset(q for q in skipped if isinstance(q, str)) if isinstance(skipped, (list, tuple)) else frozenset()
        labels: dict[str, None] = {}
        pages = []
        for rid in self.recipients:
            lists = [chunk.cards[rid] for chunk in chunks if rid in chunk.cards]
            if not lists:
                continue
            n = wanted.get(rid)
            n = n if type(n) is int and n >= 0 else CARDS
            ordered = merge(*lists) if len(lists) > 1 else iter(lists[0])
            shown: list[tuple[int, int, int, _Done]]
            if passed:
                shown, count = [], 0
                for card in ordered:
                    missing = card[3].entry["items"][card[2]]["missing"]
                    if card[0] == _NEEDS and missing and all(m["question"] in passed for m in missing):
                        for m in missing:
                            labels.setdefault(m["label"] or m["question"])
                        continue
                    count += 1
                    if len(shown) < n:
                        shown.append(card)
                if not count:
                    continue  # every card waits for a question the visitor went past
            else:
                count = sum(map(len, lists))
                shown = list(islice(ordered, n))
            totals = [chunk.totals[rid] for chunk in chunks if rid in chunk.totals]
            total = sum(totals) if totals else None
            pages.append(({"recipient": rid, "title": view.recipient_titles.get(rid, rid), "total": total,
                           "total_text": format_money(total, view.lang) if total is not None else None,
                           "count": count}, shown))
        return pages, list(labels)

    def _prepare(self, answers: Any, on: Any, lang: Any) -> tuple["_View", dict[str, Any], list[dict]]:
        """The view of the day and language, the checked answers and the errors so far."""
        errors: list[dict] = []
        if lang is None:
            lang = LANGS[0]
        elif lang not in LANGS:
            lang = LANGS[0]
            errors.append(_error(None, "invalid_lang", self.texts[lang]["errors.invalid_lang"]))
        day = _day(on)
        if day is None:
            day = _dt.date.today()
            errors.append(_error(None, "invalid_date", self.texts[lang]["errors.invalid_date"]))
        view = self.view(day.isoformat(), lang)
        clean, answer_errors = check_answers(self.questions, answers, view)
        errors.extend(answer_errors)
        return view, clean, errors

    def _assess(self, answers: Any, on: Any, lang: Any) -> tuple["_View", dict[str, Any], list[dict], list["_Done"]]:
        """The view of the day and language, the checked answers, the errors so far and every
        measure's assessment, in the order of the bundle."""
        view, clean, errors = self._prepare(answers, on, lang)
        return view, clean, errors, view.assess(clean, clean.get(ROLE))

    def assessments(self, clean: Mapping[str, Any], iso: str, lang: str) -> list["_Done"]:
        """Every measure's assessment for answers already checked, on day `iso` in `lang`."""
        return self._assess(clean, iso, lang)[3]

    def _head(self, view: "_View", errors: list[dict]) -> dict[str, Any]:
        return {
            "rules_version": self.version,
            "date": view.iso,
            "date_text": view.date_text,
            "lang": view.lang,
            "errors": errors,
            "disclaimer": view.text["disclaimer"],
        }

    def measure(self, mv: "_MeasureView", view: "_View", clean: Mapping[str, Any],
                role: str | None) -> dict[str, Any]:
        """A measure's entry of the result, with its items (one per benefit for the role)."""
        text = view.text
        items: list[dict] = []
        missing: list[dict] = []
        if role is not None:
            items = [self._item(bv, mv, view, clean, role) for bv in mv.benefits
                     if bv.benefit.roles is None or role in bv.benefit.roles]
        if mv.period_reason:
            status, reasons = "not_in_force", [mv.period_reason]
        elif not mv.benefits:
            status, reasons = "info_only", [text["reasons.info_only"]]
        elif role is None:
            status, missing = "needs_answers", [view.missing_entry(ROLE)]
            reasons = [view.missing_reason(missing)]
        elif not items:
            status, reasons = "not_eligible", [mv.for_roles]
        else:
            status = min((item["status"] for item in items), key=_RANK.__getitem__)
            reasons, missing = self._measure_reasons(status, items, view)
        entry = {
            "id": mv.measure.id,
            "number": mv.measure.number,
            "notice": mv.measure.notice["id"],
            "notice_title": mv.notice_title,
            "label": mv.label,
            "title": mv.title,
            "url": mv.url,
            "status": status,
            "status_text": text["status." + status],
            "reasons": reasons,
            "missing": missing,
            "items": items,
        }
        return entry

    @staticmethod
    def _measure_reasons(status: str, items: list[dict], view: "_View") -> tuple[list[str], list[dict]]:
        text = view.text
        if status == "needs_answers":
            seen: dict[str, dict] = {}
            for item in items:
                if item["status"] == status:
                    for m in item["missing"]:
                        seen.setdefault(m["question"], m)
            missing = sorted(seen.values(), key=lambda m: view.question_index[m["question"]])
            return [view.missing_reason(missing)], missing
        if status == "not_eligible":
            return [fill(text["reasons.not_met"], name=item["name"], condition=r["text"])
                    for item in items if item["status"] == status
                    for r in item["reasons"] if r["met"] is False], []
        if status == "not_in_force":
            return list(dict.fromkeys(r["text"] for item in items for r in item["reasons"])), []
        # "name: amount for up to ...", unless the amount text already names the benefit
        lines = []
        for item in items:
            if item["status"] in ("eligible", "may_be_eligible"):
                amount = with_duration(text, item["amount_text"], item["duration_text"])
                lines.append(amount if item["name"] in amount else
                             fill(text["reasons.benefit"], name=item["name"], amount=amount))
        return lines, []

    @staticmethod
    def _item(bv: "_BenefitView", mv: "_MeasureView", view: "_View", clean: Mapping[str, Any],
              role: str) -> dict[str, Any]:
        b = bv.benefit
        reasons: list[dict] = []
        missing: set[str] = set()
        if not bv.in_force:
            status = "not_in_force"
            reasons.append({"met": False, "text": bv.not_in_force_reason})
        else:
            figures = mv.figure_values
            failed = False
            for rule, condition_text in zip(bv.conditions, bv.condition_texts):
                met = rule.test(clean, figures)
                if met is False:
                    failed = True
                elif met is None:
                    rule.unknowns(clean, figures, missing)
                reasons.append({"met": met, "text": condition_text})
            if b.amount.count is not None and b.amount.count not in clean:
                missing.add(b.amount.count)
            if failed:
                status = "not_eligible"
            elif missing:
                status = "needs_answers"
            else:
                status = "may_be_eligible" if bv.self_check else "eligible"

        amount = amount_text = duration_text = None
        arithmetic: list[str] = []
        left_out: list[str] = []
        if status in _SHOWS_AMOUNT:
            amount, amount_text, duration_text = bv.amount, bv.amount_text, bv.duration_text
            count = clean.get(b.amount.count) if b.amount.count is not None else None
            if count is not None and b.amount.count is not None:
                text = view.text
                unit = view.units[b.amount.count]
                figure_text = bv.amount_text
                assert figure_text is not None  # a benefit in force has its amount written
                if b.amount.kind == "per":
                    amount = _yuan(bv.value, count)
                    amount_text = format_money(amount, view.lang)
                    arithmetic.append(fill(text["amount.per_one" if count == 1 else "amount.per"],
                                           count=format_count(count, view.lang), unit=unit, amount=figure_text,
                                           total=amount_text))
                    total = clean.get(b.amount.total) if b.amount.total is not None else None
                    if total is not None and b.amount.total is not None and total > count:
                        assert bv.left_out_reason is not None  # a `left_out` has its reason, written with the amount
                        left_out.append(fill(text["amount.left_out"], count=format_count(total - count, view.lang),
                                             total=format_count(total, view.lang), unit=view.units[b.amount.total],
                                             reason=bv.left_out_reason))
                else:  # each: `amount` is what one of them receives; the text also says all of it
                    amount_text = fill(text["amount.each_one" if count == 1 else "amount.each"],
                                       count=format_count(count, view.lang), unit=unit, amount=figure_text,
                                       total=format_money(_yuan(bv.value, count), view.lang))
            elif b.amount.count is not None:
                amount, amount_text = None, bv.rate_text

        recipient = b.recipient_of[role]
        return {
            "measure_id": mv.measure.id,
            "measure_number": mv.measure.number,
            "measure_label": mv.label,
            "measure_title": mv.title,
            "benefit_id": b.id,
            "name": bv.name,
            "recipient": recipient,
            "recipient_title": view.recipient_titles.get(recipient, recipient),
            "status": status,
            "status_text": view.text["status." + status],
            "amount": amount,
            "amount_text": amount_text,
            "arithmetic": arithmetic,
            "duration_text": duration_text,
            "frequency_text": bv.frequency_text,
            "reasons": reasons,
            "self_check": list(bv.self_check) if status in _SHOWS_AMOUNT else [],
            "missing": [view.missing_entry(q) for q in sorted(missing, key=view.question_index.__getitem__)]
            if status == "needs_answers" else [],
            "left_out": left_out,
            "how_to_apply": mv.how_to_apply,
            "url": mv.url,
        }

    def _groups(self, items: list[dict], view: "_View") -> list[tuple[dict, list[int]]]:
        """The items by recipient: each group's head and the indices of its items, in the order of
        the recipients in the bundle. The total adds the eligible items' amounts (what one
        recipient receives)."""
        by_recipient: dict[str, list[int]] = {}
        for i, item in enumerate(items):  # what the visitor may get on the day: not what has ended or not started
            if item["status"] not in ("not_eligible", "not_in_force"):
                by_recipient.setdefault(item["recipient"], []).append(i)
        order = [r for r in self.recipients if r in by_recipient]
        order += [r for r in by_recipient if r not in self.recipients]
        groups = []
        for rid in order:
            members = by_recipient[rid]
            fixed = [items[i] for i in members if items[i]["status"] == "eligible" and items[i]["amount"] is not None]
            total = sum(item["amount"] for item in fixed) if fixed else None
            total_text = format_money(total, view.lang) if total is not None else None
            groups.append(({
                "recipient": rid,
                "title": view.recipient_titles.get(rid, rid),
                "total": total,
                "total_text": total_text,
            }, members))
        return groups


def browser_shape(rules: Rules, result: dict[str, Any], cards: Any = None, skipped: Any = (),
                  table: Any = None, kept: Sequence["_Summary"] | None = None) -> dict[str, Any]:
    """The result as the page gets it, the size of what the visitor sees (ARCHITECTURE.md, D14):
    - `groups`: each recipient's `total` over all its items, `count` (its cards in all) and the
      first of them (`items`): eligible, then may be eligible, then needs answers, in the bundle's
      order within each; `cards`: {recipient: how many} (else CARDS); a card that only waits for
      questions in `skipped` (ids of questions the visitor went past) is not counted nor sent,
      and `skipped` of the result names those questions (their labels), each once;
    - `measures`: [position in the measure table, status] of each measure, with its reasons when
      it is not in force, without those whose benefits are all for other visitors
      (`other_measures` says how many); in the order of the measures the engine assesses
      together (_View.chunked), not the table's (the page sorts them by position);
    - `table`: the key of the measure table of the rules, day and language, and `measure_table`
      itself ({key, statuses: {status: text}, measures: [[id, notice, notice title, label,
      title, url], ...]}) unless the request's `table` named that key (the page has it).
    `result` lists every measure (`only` None); `kept`: the summaries of the chunks it was made
    from (Rules.evaluate_page), else they are made from `result`."""
    view = rules.view(result["date"], result["lang"])
    measures = result["measures"]
    if kept is None:
        own = [_Done(entry) for entry in measures]
        kept = [_Summary(positions, [own[i] for i in positions], lines=False) for positions in view.chunked]
    pages, labels = rules.shown_groups(view, kept, cards, skipped)
    listed = [_line(i, measures[i]) for positions in view.chunked for i in positions if not _for_others(measures[i])]
    key, table_json = view.table()
    # the result's own items (with what_if), in the order and number the summaries give
    shaped = {**result, "groups": [{**head, "items": [measures[i]["items"][j] for _, i, j, _ in shown]}
                                   for head, shown in pages],
              "skipped": labels, "measures": listed,
              "other_measures": _others_text(len(measures) - len(listed), view.lang, view.text),
              "table": key}
    if table != key:
        shaped["measure_table"] = json.loads(table_json)
    return shaped


def _others_text(count: int, lang: str, text: Mapping[str, str]) -> str | None:
    return fill(text["labels.other_measures"], count=format_count(count, lang)) if count else None


def _line(position: int, entry: Mapping[str, Any]) -> list:
    """A measure in the page's list (browser_shape): its position in the measure table and its
    status, with its reasons when it is not in force."""
    return [position, entry["status"], entry["reasons"]] if entry["status"] == "not_in_force" \
        else [position, entry["status"]]


def _for_others(entry: Mapping[str, Any]) -> bool:
    """A measure's entry says its benefits are all for other kinds of visitor."""
    return entry["status"] == "not_eligible" and not entry["items"]


def _copy(data: Any) -> Any:
    """A copy of JSON-like data (dicts and lists of them, strings, numbers) sharing nothing changeable."""
    if type(data) is dict:
        return {k: _copy(v) if type(v) in (dict, list) else v for k, v in data.items()}
    if type(data) is list:
        return [_copy(v) if type(v) in (dict, list) else v for v in data]
    return data


def to_json(data: Any) -> str:
    """The one way results are written (browser.py's too), so CPython and Pyodide give the same text."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class _Done:
    """One measure's assessment for one set of the answers it reads: its entry of the result (with
    its items) and, once asked for, its items' JSON text and its items' and its benefits' dated changes
    ahead (whatif.py). Shared: never change its entry."""
    __slots__ = ("entry", "_json", "_line", "ahead")

    def __init__(self, entry: dict[str, Any]) -> None:
        self.entry = entry
        self._json: list[str] | None = None
        self._line: str | None = None
        self.ahead: dict[str, list[str]] | None = None

    def line(self, position: int) -> str:
        """The measure in the page's list (_line), as JSON text."""
        if self._line is None:
            self._line = to_json(_line(position, self.entry))
        return self._line

    def items_json(self) -> list[str]:
        """The JSON text of each of its items, as the page gets them."""
        if self._json is None:
            self._json = [to_json(item) for item in self.entry["items"]]
        return self._json


class _Summary:
    """What the page's result needs of a chunk's assessments (browser_shape): its measures' lines
    (`lines`, JSON, joined; unless `lines` is false), how many are for other visitors (`others`), and by recipient its
    cards, (rank, position, index of the item, assessment) in the order they are shown, and the
    total of its eligible amounts (only for a recipient that has one)."""
    __slots__ = ("lines", "others", "cards", "totals")

    def __init__(self, positions: Sequence[int], done: Sequence[_Done], lines: bool = True) -> None:
        listed = []
        self.others = 0
        self.cards: dict[str, list[tuple[int, int, int, _Done]]] = {}
        self.totals: dict[str, int] = {}
        for position, d in zip(positions, done):
            if _for_others(d.entry):
                self.others += 1
            elif lines:
                listed.append(d.line(position))
            for j, item in enumerate(d.entry["items"]):
                status = item["status"]
                if status in ("not_eligible", "not_in_force"):
                    continue  # what the visitor may get on the day: not what has ended or not started
                rid = item["recipient"]
                self.cards.setdefault(rid, []).append((_RANK[status], position, j, d))
                if status == "eligible" and item["amount"] is not None:
                    self.totals[rid] = self.totals.get(rid, 0) + item["amount"]
        self.lines = ",".join(listed)
        for cards in self.cards.values():
            cards.sort(key=lambda card: card[:3])


class _Chunk:
    """The assessments of the measures at `positions` (that read the same answers) for one set of
    those answers; shared, as the assessments are."""
    __slots__ = ("positions", "done", "_summary")

    def __init__(self, positions: list[int], done: list[_Done]) -> None:
        self.positions, self.done = positions, done
        self._summary: _Summary | None = None

    def summary(self) -> _Summary:
        if self._summary is None:
            self._summary = _Summary(self.positions, self.done)
        return self._summary


def _texts(rules: Rules) -> Iterator[tuple[str, Any]]:
    """(where, {zh, en}) of every text of the bundle that the result shows."""
    for q in rules.questions:
        yield f"questions[{q.id}].label", q.raw.get("label")
        for o in q.raw.get("options") or ():
            yield f"questions[{q.id}].options", o.get("label") if isinstance(o, Mapping) else None
    for n in rules.notices.values():
        yield f"notices[{n['id']}].short_title", n.get("short_title")
    for r in rules.recipients.values():
        yield f"recipients[{r.get('id')}].name", r.get("name")
    for m in rules.measures:
        yield f"measures[{m.id}].title", m.raw.get("title")
        how = (m.raw.get("apply") or {}).get("how")
        if how is not None:
            yield f"measures[{m.id}].apply.how", how
        for b in m.benefits:
            yield f"measures[{m.id}].benefits({b.id}).name", b.raw.get("name")
            for c, _ in b.conditions:
                yield f"measures[{m.id}].benefits({b.id}).conditions({c.get('id')}).text", c.get("text")
            for t in b.raw.get("self_check") or ():
                yield f"measures[{m.id}].benefits({b.id}).self_check", t


def _error(question: str | None, code: str, message: str) -> dict:
    return {"question": question, "label": None, "code": code, "message": message}


def _day(on: Any) -> _dt.date | None:
    """The chosen day: None -> today; a date; or 'YYYY-MM-DD' exactly. Anything else -> None."""
    if on is None:
        return _dt.date.today()
    if type(on) is _dt.date:
        return on
    if isinstance(on, str) and _DATE.match(on):
        try:
            return _dt.date.fromisoformat(on)
        except ValueError:
            return None
    return None


def _render(text: Any, lang: str, figures: Mapping[str, Any], iso: str) -> str:
    """A {zh, en} text in `lang` with its [[figure]] placeholders filled for the day."""
    s = text[lang]
    if "[[" not in s:
        return s
    try:
        return render_text(s, lang, figures, iso)
    except (KeyError, IndexError):  # an unknown figure: leave the placeholder (validation reports it)
        return s


class _View:
    """Everything that depends only on the day and the language."""

    def __init__(self, rules: Rules, iso: str, lang: str) -> None:
        self.iso, self.lang = iso, lang
        self.text = text = rules.texts[lang]
        self.date_text = format_date(iso, lang)
        sep = text["separator"]
        self.question_index = rules.question_index
        self.labels = {q.id: _render(q.raw["label"], lang, rules.all_figures, iso) for q in rules.questions}
        self.options = {q.id: sep.join(o["label"][lang] for o in q.raw.get("options") or ())
                        for q in rules.questions}
        self.units = {q.id: (q.raw.get("unit") or {}).get(lang, "") for q in rules.questions}
        self.notice_titles = {nid: n["short_title"][lang] for nid, n in rules.notices.items()}
        self.recipient_titles = {rid: r["name"][lang] for rid, r in rules.recipients.items()}
        role_labels = {o["value"]: o["label"][lang] for o in rules.question_by_id[ROLE].raw["options"]}
        self.measures = [_MeasureView(m, self, role_labels) for m in rules.measures]
        self.rules = rules
        # measures that read the same answers, assessed together: (those answers, a placeholder
        # for each unanswered one, the measures' positions)
        together: dict[tuple[str, ...], list[int]] = {}
        for i, mv in enumerate(self.measures):
            together.setdefault(mv.measure.reads, []).append(i)
        self._together = [(reads, (_UNANSWERED,) * len(reads), positions) for reads, positions in together.items()]
        self.chunked = [positions for _, _, positions in self._together]  # the measures' positions, chunk by chunk
        # assessments already made on this day in this language, by role and the answers read: a
        # visitor changes one answer at a time, and most measures do not read it
        # (room for about 4 full results: the what-if tries other answers, mostly for a few measures)
        self._assessed: dict[tuple, _Chunk] = {}
        self._assessed_count, self._assessed_limit = 0, 4 * len(self.measures) + 64
        self._table: tuple[str, str] | None = None

    def assess(self, clean: Mapping[str, Any], role: str | None) -> list["_Done"]:
        """Every measure's assessment for these answers (Rules.measure), in the bundle's order;
        made once for each role and each distinct set of the answers the measure reads."""
        return self.in_order(self.chunks(clean, role))

    def in_order(self, chunks: list["_Chunk"]) -> list["_Done"]:
        """The chunks' assessments in the bundle's order."""
        out: list[Any] = [None] * len(self.measures)
        for chunk in chunks:
            for i, d in zip(chunk.positions, chunk.done):
                out[i] = d
        return out

    def chunks(self, clean: Mapping[str, Any], role: str | None) -> list["_Chunk"]:
        """The assessments of the measures that read the same answers, for these answers, each
        kept with what the page's result needs of them (_Chunk.summary)."""
        out = []
        for reads, unanswered, positions in self._together:
            values = tuple(map(clean.get, reads, unanswered))
            # the types too: True == 1 and 1 == 1.0 in a key, not in a rule
            key = (reads, role, values, tuple(map(type, values)))
            chunk = self._assessed.get(key)
            if chunk is None:
                if self._assessed_count >= self._assessed_limit:
                    self._assessed.clear()
                    self._assessed_count = 0
                self._assessed_count += len(positions)
                chunk = self._assessed[key] = _Chunk(positions, [
                    _Done(self.rules.measure(self.measures[i], self, clean, role)) for i in positions])
            out.append(chunk)
        return out

    def table(self) -> tuple[str, str]:
        """(key, JSON text) of the measure table the page lists the measures against
        (browser_shape): the same for every evaluation on this day in this language."""
        if self._table is None:
            key = f"{self.rules.version}/{self.lang}/{self.iso}"
            self._table = (key, to_json({
                "key": key,
                "statuses": {status: self.text["status." + status] for status in (*STATUSES, "info_only")},
                "measures": [[mv.measure.id, mv.measure.notice["id"], mv.notice_title, mv.label, mv.title, mv.url]
                             for mv in self.measures]}))
        return self._table

    def missing_entry(self, question: str) -> dict:
        return {"question": question, "label": self.labels[question]}

    def missing_reason(self, missing: list[dict]) -> str:
        quoted = self.text["reasons.quoted"]
        labels = self.text["separator"].join(fill(quoted, text=m["label"]) for m in missing)
        return fill(self.text["reasons.missing"], labels=labels)


def _period_reason(period: Mapping[str, Any] | None, view: "_View", kind: str, **values: str) -> str | None:
    """None when the day is in the period; else "... ended on <until>" / "... applies from <from>"."""
    iso, lang, text = view.iso, view.lang, view.text
    if periods.contains(period, iso):
        return None
    if periods.ended(period, iso):
        return fill(text[f"reasons.{kind}_ended"], date=format_date(str(periods.end(period)), lang), **values)
    return fill(text[f"reasons.{kind}_not_started"], date=format_date(str(periods.start(period)), lang), **values)


def _ended_reason(m: Measure, view: "_View") -> str | None:
    """Why a measure does not apply on the day because of its notice: another notice ended it,
    or its notice is not in force; None when neither."""
    if m.ended is not None and m.ended.in_effect(view.iso):
        return fill(view.text[f"reasons.measure_{'repealed' if m.ended.action == 'repeals' else 'superseded'}"],
                    notice=view.notice_titles[m.ended.by], date=format_date(m.ended.date, view.lang))
    if not periods.contains(m.notice.get("in_force"), view.iso):
        return fill(view.text["reasons.notice_not_in_force"], notice=view.notice_titles[m.notice["id"]],
                    date=view.date_text)
    return None


class _MeasureView:
    __slots__ = ("measure", "title", "url", "how_to_apply", "figure_values", "benefits", "for_roles",
                 "period_reason", "notice_title", "label")

    def __init__(self, m: Measure, view: _View, role_labels: Mapping[str, str]) -> None:
        lang, iso, text = view.lang, view.iso, view.text
        self.measure = m
        self.title = _render(m.raw["title"], lang, m.figures, iso)
        self.notice_title = view.notice_titles[m.notice["id"]]
        self.label = fill(text["labels.measure"], notice=self.notice_title,
                          number=format_numeral(m.number, lang) if isinstance(m.number, int) else str(m.number))
        self.period_reason = _ended_reason(m, view) or _period_reason(m.period, view, "measure")
        self.url = fill(text["links.measure"], id=m.id)
        how = (m.raw.get("apply") or {}).get("how")
        self.how_to_apply = _render(how, lang, m.figures, iso) if how else None
        if how and how.get("guidance") is True:
            self.how_to_apply = fill(text["guidance"], text=_render(how, lang, m.figures, iso))
        self.figure_values: dict[str, Any] = {fid: (periods.value_on(fig, iso) or {}).get("value")
                                              for fid, fig in m.figures.items()}
        self.figure_values[ON_DAY] = iso  # for dated rules (`within`, `same_year`)
        self.for_roles = fill(text["reasons.for_roles"],
                              roles=text["separator"].join(role_labels.get(r, r) for r in m.roles))
        self.benefits = [_BenefitView(b, self, view) for b in m.benefits]


class _BenefitView:
    __slots__ = ("benefit", "name", "conditions", "condition_texts", "self_check", "frequency_text", "in_force",
                 "not_in_force_reason", "value", "amount", "amount_text", "rate_text", "duration_text",
                 "left_out_reason")

    def __init__(self, b: Benefit, mv: _MeasureView, view: _View) -> None:
        lang, iso, text = view.lang, view.iso, view.text
        figures, values = mv.measure.figures, mv.figure_values
        raw = b.raw
        self.benefit = b
        self.name = name = _render(raw["name"], lang, figures, iso)
        # a condition dated with in_force applies only in its period
        active = [(c, rule) for (c, rule), period in zip(b.conditions, b.condition_periods) if periods.contains(period, iso)]
        self.conditions = [rule for _, rule in active]
        self.condition_texts = [_render(c["text"], lang, figures, iso) for c, _ in active]
        # general guidance the notice does not give is labelled as such in the result
        self.self_check = [fill(text["guidance"], text=_render(t, lang, figures, iso)) if t.get("guidance") is True
                           else _render(t, lang, figures, iso) for t in raw.get("self_check") or ()]
        self.frequency_text = text["frequency." + raw["frequency"]]
        reason = mv.period_reason or _period_reason(b.period, view, "benefit", name=name)
        self.in_force = reason is None and all(values.get(f) is not None for f in b.figures_used)
        self.not_in_force_reason = reason or fill(text["reasons.figure_not_in_force"], name=name, date=view.date_text)
        kind = b.amount.kind
        self.value = values.get(b.amount.figure) if b.amount.figure else None
        self.amount = self.amount_text = self.rate_text = self.duration_text = self.left_out_reason = None
        if not self.in_force:
            return
        if kind in ("fixed", "each"):  # what one recipient receives, in whole yuan
            self.amount = _yuan(self.value)
            self.amount_text = format_money(self.amount, lang)
        elif kind == "per":  # the rate as published; only the product is rounded
            assert self.value is not None  # in force: every figure it uses has a value on the day
            self.amount_text = format_money(self.value, lang)
        elif kind == "by_regulations":
            self.amount_text = text["amount.by_regulations"]
        else:
            self.amount_text = fill(text["amount.none"], name=name)
        if b.amount.count:
            self.rate_text = fill(text["amount.rate"], unit=view.units[b.amount.count], amount=self.amount_text)
        if b.duration_figure:
            duration = format_quantity(values[b.duration_figure], figures[b.duration_figure]["unit"], lang)
            self.duration_text = fill(text["amount.duration"], duration=duration)
        if b.amount.left_out_text:
            self.left_out_reason = _render(b.amount.left_out_text, lang, figures, iso)


def load_rules(bundle: Mapping[str, Any]) -> Rules:
    """Compile a rules bundle ({"version", "notices", "recipients", "questions", "measures", "texts"})."""
    return Rules(bundle)


def evaluate(rules: Rules | Mapping[str, Any], answers: Any, on: Any = None, lang: Any = "zh") -> dict[str, Any]:
    """Evaluate `answers` on day `on` in `lang`. `rules`: a `Rules` (fast: compile once with
    `load_rules`) or a bundle dict (compiled on every call)."""
    if not isinstance(rules, Rules):
        rules = Rules(rules)
    return rules.evaluate(answers, on, lang)
