"""What a measure page shows, in one language, as plain strings (escaping is the templates' job).

Figures are written by subsidy_calculator.formatting, the same code the calculator uses, so an
amount reads the same on every page and in every result. Pages are written as of the day the
site is built (`PolicyIndex.day`): a text shows the value in force that day and announces the
dated changes still to come, and a measure or benefit that has ended or not yet started says so.
"""
from __future__ import annotations

import datetime as _dt
import os
from typing import Any, Iterator, Mapping

from subsidy_calculator.amounts import read_amount
from subsidy_calculator import periods
from subsidy_calculator.formatting import PLACEHOLDER, format_date, format_numeral, format_quantity
from subsidy_calculator.library import Ended, change_days, measure_endings, notice_endings
from subsidy_calculator.library import period as cut_period

from scripts.pages.words import Texts, pick


def build_day() -> str:
    """The day the pages are written for: SITE_DATE=YYYY-MM-DD (a preview, the tests) or today."""
    day = os.environ.get("SITE_DATE") or _dt.date.today().isoformat()
    try:
        return _dt.date.fromisoformat(day).isoformat()
    except ValueError:
        raise ValueError(f"SITE_DATE={day!r}: write the day as YYYY-MM-DD") from None


def coming_changes(policy: Mapping[str, Any], day: str) -> list[str]:
    """Every day after `day` on which the pages written on `day` no longer hold, in order."""
    return [d for d in change_days(policy) if d > day]



class PolicyIndex:
    """Look-ups over the loaded policy that several pages need."""

    def __init__(self, policy: Mapping[str, Any], day: str | None = None) -> None:
        library = policy["library"]
        self.day = day or build_day()
        self.t = Texts(policy["texts"]["site"])
        self.library = library
        self.notices: dict[str, dict] = {n["id"]: n for n in policy["notices"]}   # newest first
        self.measures: list[dict] = list(policy["measures"])
        self.measure_by_id = {m["id"]: m for m in self.measures}
        # part ids are unique in the library (their pages are /parts/<id>/)
        self.parts = {p["id"]: p for n in policy["notices"] for p in n["parts"]}
        self.part_notice = {p["id"]: n for n in policy["notices"] for p in n["parts"]}
        self.groups = {g["id"]: g for g in library["audience_groups"]}
        self.audiences = {a["id"]: a for a in library["audiences"]}
        self.recipients = {r["id"]: r for r in library["recipients"]}
        self.topics = {t["id"]: t for t in library["topics"]}
        self.ended: dict[str, Ended] = measure_endings(policy["notices"])
        self.notice_ended: dict[str, Ended] = notice_endings(policy["notices"])
        self.questions = {q["id"]: q for q in policy["questions"]}
        role_question = self.questions.get("role", {})
        self.role_labels = {o["value"]: o["label"] for o in role_question.get("options", [])}

    def notice_of(self, measure: Mapping[str, Any]) -> dict:
        return self.notices[measure["notice"]]

    def period_of(self, measure: Mapping[str, Any]) -> dict:
        """The days a measure applies: its own in_force within its notice's, cut short by a later
        notice that repeals or supersedes it."""
        notice = self.notice_of(measure)
        own = dict(measure.get("in_force") or {"from": None, "until": None})
        outer = notice.get("in_force") or {}
        found = periods.intersection(own, outer) or {"from": own.get("from"), "until": own.get("until")}
        return cut_period({"in_force": found}, self.ended.get(measure["id"]))

    def notice_period(self, notice: Mapping[str, Any]) -> dict:
        return cut_period(notice, self.notice_ended.get(notice["id"]))

    def in_force(self, measure: Mapping[str, Any]) -> bool:
        """Whether the measure applies on the build day (neither ended nor to come)."""
        found = state(self, self.period_of(measure))
        return not found or found[0] == "ends"

    def notice_title(self, notice_id: str, lang: str) -> str:
        return pick(self.notices[notice_id]["short_title"], lang, f"policy/notices/{notice_id}: short_title")

    def measure_label(self, measure: Mapping[str, Any], lang: str) -> str:
        """"第五条" / "Measure 5": the number within its notice."""
        return self.t("common.measure_number", lang, number=format_numeral(measure["number"], lang))

    def measure_groups(self, measure: Mapping[str, Any]) -> list[str]:
        """Audience group ids of a measure, in the order its audiences are listed."""
        seen: list[str] = []
        for audience in measure["audiences"]:
            group = self.audiences[audience]["group"]
            if group not in seen:
                seen.append(group)
        return seen

    def calculator_role(self, measure: Mapping[str, Any]) -> str | None:
        """The kind of visitor the calculator starts with from this measure's page: the one its
        benefits are all assessed for; None when they are for several (the calculator asks) or
        when there is nothing to assess."""
        roles = {r for b in measure.get("benefits") or () for r in (b.get("roles") or ())}
        return roles.pop() if len(roles) == 1 else None


def state(index: PolicyIndex, period: Mapping[str, Any] | None) -> tuple[str, str] | None:
    """("ended" | "not_started" | "ends", date) of a period on the build day; None when it is in
    force with no end date (nothing to say)."""
    start, end = periods.start(period), periods.end(period)
    if periods.ended(period, index.day):
        return "ended", str(end)
    if periods.to_come(period, index.day):
        return "not_started", str(start)
    return None if end is None else ("ends", end)


def ended_by(index: PolicyIndex, ended: Ended | None, lang: str, short: bool = False) -> str:
    """"Repealed by <notice> from <date>" (or superseded; to come: "will be ..."); '' when no
    notice ends it."""
    if ended is None:
        return ""
    kind = "repealed" if ended.action == "repeals" else "superseded"
    tense = "" if ended.in_effect(index.day) else "_to_come"
    return index.t(f"measure.{'short' if short else 'state'}_{kind}{tense}", lang,
                   notice=index.notice_title(ended.by, lang), date=format_date(ended.date, lang))


def measure_state(index: PolicyIndex, measure: Mapping[str, Any], lang: str, short: bool = False) -> str:
    """"This measure ended on ..." (or "applies from/until ...", or "repealed by ... from ...");
    '' when it is in force with no end date. `short`: "ended on ..." for lists."""
    ended = index.ended.get(measure["id"])
    period = index.period_of(measure)
    if ended is not None and period.get("until") == ended.last_day:
        return ended_by(index, ended, lang, short)
    found = state(index, period)
    if not found:
        return ""
    kind, day = found
    return index.t(f"measure.{'short' if short else 'state'}_{kind}", lang, date=format_date(day, lang))


def measure_state_kind(index: PolicyIndex, measure: Mapping[str, Any]) -> str:
    """"ended", "not_started", "ends" or '' on the build day (for the page's colour)."""
    return (state(index, index.period_of(measure)) or ("",))[0]


def with_state(index: PolicyIndex, title: str, period: Mapping[str, Any] | None, lang: str) -> str:
    """"Title (ended on ...)" for a benefit or a condition dated with in_force."""
    found = state(index, period)
    if not found:
        return title
    kind, day = found
    return index.t("measure.with_state", lang, title=title,
                   state=index.t(f"measure.short_{kind}", lang, date=format_date(day, lang)))


def figure_text(index: PolicyIndex, figure: Mapping[str, Any], lang: str) -> str:
    """A figure in a text: the value in force on the build day, with the dated changes to come
    ("1111元（自2027年1月1日起调整为1500元）" / "1,111 yuan (1,500 yuan from 1 January 2027)")."""
    t, day = index.t, index.day
    values, unit = figure["values"], figure["unit"]
    quantity = lambda v: format_quantity(v["value"], unit, lang)  # noqa: E731
    current = periods.value_on(figure, day)
    later = [v for v in values if periods.to_come(v, day)]
    notes = []
    if current is not None:
        text = quantity(current)
    elif later:  # not in force yet
        first, later = later[0], later[1:]
        text = t("measure.figure_starts", lang, value=quantity(first), date=format_date(str(first["from"]), lang))
        current = first
    else:  # every value has ended: the last one, with its end
        current = [v for v in values if periods.end(v) is not None][-1]
        text = quantity(current)
    notes = [t("measure.figure_change", lang, value=quantity(v), date=format_date(str(v["from"]), lang))
             for v in later]
    last = later[-1] if later else current
    last_day = periods.end(last)
    if last_day is not None:
        notes.append(t("measure.figure_until", lang, date=format_date(last_day, lang)))
    if not notes:
        return text
    return t("measure.figure_with_notes", lang, value=text, notes=t("measure.figure_note_separator", lang).join(notes))


def period_text(entry: Mapping[str, Any], lang: str, t: Texts) -> str:
    """'From 1 February 2123 until ...' for one dated value (the table's column says 'In force')."""
    start, end = periods.start(entry), periods.end(entry)
    values = {}
    if start:
        values["from"] = format_date(start, lang)
    if end:
        values["until"] = format_date(end, lang)
    key = {(False, False): "period_open", (True, False): "period_from",
           (False, True): "period_until", (True, True): "period_from_until"}[(bool(start), bool(end))]
    return t(f"measure.{key}", lang, **values)


def _figure_values(measure: Mapping[str, Any], figure_id: str, lang: str) -> list[tuple[str, Mapping]]:
    figure = measure["figures"][figure_id]
    return [(format_quantity(v["value"], figure["unit"], lang), v) for v in figure["values"]]


def _question_unit(index: PolicyIndex, question_id: str, lang: str) -> str | None:
    unit = index.questions.get(question_id, {}).get("unit")
    return pick(unit, lang, f"policy/questions.yaml: {question_id}.unit") if unit else None


def amount_texts(index: PolicyIndex, measure: Mapping[str, Any], benefit: Mapping[str, Any],
                 lang: str, t: Texts) -> list[tuple[str, Mapping | None]]:
    """The benefit's amount as (text, period) pairs, one per dated value of its figure, each
    period cut to the benefit's and the measure's `in_force` (values never in force then are
    left out). Benefits without a figure give one pair, with the benefit's and measure's period."""
    amount = read_amount(benefit.get("amount"))
    limits = (benefit.get("in_force"), index.period_of(measure))
    if amount.figure is None:
        text = t("measure.by_regulations" if amount.kind == "by_regulations" else "measure.not_money", lang)
        return [(text, periods.intersection(*limits))]
    cut = [(text, periods.intersection(v, *limits)) for text, v in _figure_values(measure, amount.figure, lang)]
    pairs: list[tuple[str, Mapping | None]] = [(text, period) for text, period in cut if period is not None]
    if amount.kind != "per" or amount.count is None:  # `each`: the recipient column already says "each graduate"
        return pairs
    unit = _question_unit(index, amount.count, lang)
    if unit:
        return [(t("measure.amount_per", lang, amount=text, unit=unit), v) for text, v in pairs]
    return [(t("measure.amount_per_plain", lang, amount=text), v) for text, v in pairs]


def period_state_text(index: PolicyIndex, period: Mapping[str, Any] | None, lang: str) -> str:
    """The "In force" cell: the period, marked when it has ended or not yet started on the build day."""
    text = period_text(period or {}, lang, index.t)
    found = state(index, period)
    if found and found[0] in ("ended", "not_started"):
        return index.t(f"measure.period_{found[0]}", lang, period=text)
    return text


def duration_text(measure: Mapping[str, Any], benefit: Mapping[str, Any], lang: str, t: Texts) -> str:
    duration = benefit.get("duration")
    if not duration:
        return t("common.empty_cell", lang)
    pairs = _figure_values(measure, duration["figure"], lang)
    if len(pairs) == 1:
        return t("measure.duration_up_to", lang, value=pairs[0][0])
    return t("common.list_separator", lang).join(
        t("measure.duration_dated", lang, value=text, period=period_text(v, lang, t)) for text, v in pairs)


def recipient_text(index: PolicyIndex, benefit: Mapping[str, Any], lang: str, t: Texts) -> str:
    recipient = benefit["recipient"]
    ids = [recipient] if isinstance(recipient, str) else list(dict.fromkeys(recipient.values()))
    return t("common.list_separator", lang).join(
        pick(index.recipients[r]["name"], lang, f"policy/library.yaml: recipients.{r}") for r in ids)


def benefit_rows(index: PolicyIndex, measure: Mapping[str, Any], lang: str, t: Texts) -> list[dict]:
    """Rows of the "what you get" table: one per benefit and dated value. Benefits assessed for
    different roles but reading exactly the same (same name, amount, recipient...) show once."""
    rows: list[dict] = []
    for benefit in measure.get("benefits") or []:
        common = {
            "name": render(index, measure, benefit["name"], lang),
            "duration": duration_text(measure, benefit, lang, t),
            "recipient": recipient_text(index, benefit, lang, t),
            "frequency": t(f"measure.{benefit['frequency']}", lang),
        }
        for text, period in amount_texts(index, measure, benefit, lang, t):
            row = {**common, "amount": text, "period": period_state_text(index, period, lang)}
            if row not in rows:
                rows.append(row)
    return rows


def render(index: PolicyIndex, measure: Mapping[str, Any], text: Mapping[str, str], lang: str,
           where: str = "") -> str:
    """A measure text in one language, with its [[figure]] placeholders written out as of the
    build day (figure_text)."""
    label = f"policy/measures: {measure['id']}{'.' + where if where else ''}"
    figures = measure.get("figures") or {}
    return PLACEHOLDER.sub(lambda m: figure_text(index, figures[m.group(1)], lang), pick(text, lang, label))


def traced(index: PolicyIndex, measure: Mapping[str, Any], text: Mapping[str, Any], lang: str, t: Texts,
           where: str = "") -> str:
    """A text that rests on the notice (`notice:`), or general guidance the notice does not give
    (`guidance: true`), which is labelled as such wherever it is shown."""
    rendered = render(index, measure, text, lang, where)
    return t("measure.guidance", lang, text=rendered) if text.get("guidance") is True else rendered


def condition_blocks(index: PolicyIndex, measure: Mapping[str, Any], lang: str, t: Texts) -> list[dict]:
    """Per benefit: what the calculator checks and what the visitor checks. A benefit name that
    appears twice (assessed for different roles) gets the roles added to tell them apart."""
    benefits = measure.get("benefits") or []
    names = [render(index, measure, b["name"], lang) for b in benefits]
    blocks: list[dict] = []
    for benefit, name in zip(benefits, names):
        title = name
        if names.count(name) > 1:
            roles = t("common.list_separator", lang).join(
                pick(index.role_labels[r], lang, f"policy/questions.yaml: role.{r}")
                for r in benefit.get("roles", []) if r in index.role_labels)
            title += t("measure.for_roles", lang, roles=roles)
        block = {
            "title": with_state(index, title, benefit.get("in_force"), lang),
            # a condition dated with in_force: shown until it ends, with its dates
            "checks": [with_state(index, render(index, measure, c["text"], lang), c.get("in_force"), lang)
                       for c in benefit.get("conditions") or []
                       if (state(index, c.get("in_force")) or ("",))[0] != "ended"],
            "self_checks": [traced(index, measure, s, lang, t) for s in benefit.get("self_check") or []],
        }
        if block not in blocks:
            blocks.append(block)
    return blocks


def key_amounts(index: PolicyIndex, measure: Mapping[str, Any], lang: str, t: Texts) -> list[str]:
    """"Name: amount (paid to: recipient)" for each benefit with a figure, for the audience
    pages; a figure with several dated values gives one line per value still in force or to
    come on the build day, with its period."""
    out: list[str] = []
    for benefit in measure.get("benefits") or []:
        if read_amount(benefit.get("amount")).figure is None:
            continue
        pairs = [(text, period) for text, period in amount_texts(index, measure, benefit, lang, t)
                 if (state(index, period) or ("",))[0] != "ended"]
        values = {"name": render(index, measure, benefit["name"], lang),
                  "recipient": recipient_text(index, benefit, lang, t)}
        for text, entry in pairs:
            if len(pairs) > 1 or periods.dated(entry):
                line = t("audience.key_amount_dated", lang, amount=text, period=period_text(entry or {}, lang, t),
                         **values)
            else:
                line = t("audience.key_amount", lang, amount=text, **values)
            if line not in out:
                out.append(line)
    return out


def quote_label(index: PolicyIndex, entry: Mapping[str, Any], lang: str) -> str:
    """"As published in <notice>:" before a change log entry's quote ("As published:" when the
    entry names no notice)."""
    notice = entry.get("notice")
    if not notice or notice not in index.notices:
        return index.t("changes.quote", lang)
    return index.t("changes.quote_from", lang, notice=index.notice_title(notice, lang))


def change_entries(index: PolicyIndex) -> Iterator[dict]:
    """Every change, as {date, order, key, measure | None, notice, entry}: each change log entry of
    each measure, and once for each act of a notice that repeals or supersedes (dated as the acting
    notice, or the day the act takes effect when that notice gives no date)."""
    order = {nid: i for i, nid in enumerate(index.notices)}
    for measure in index.measures:
        for position, entry in enumerate(measure.get("change_log") or []):
            yield {"date": str(entry["date"]), "order": (order[measure["notice"]], measure["number"], position),
                   "key": f"{measure['id']}/{entry['date']}/{position}", "measure": measure,
                   "notice": index.notices[measure["notice"]], "entry": entry}
    for notice in index.notices.values():
        for position, act in enumerate(notice.get("acts_on") or []):
            day = str(notice.get("published") or act["from"])
            yield {"date": day, "order": (order[notice["id"]], 0, position), "key": f"notice/{notice['id']}/{position}",
                   "measure": None, "notice": notice, "act": act,
                   "entry": {"notice": notice["id"], "quote": act["quote"]}}


def act_text(index: PolicyIndex, act: Mapping[str, Any], by: Mapping[str, Any], lang: str) -> str:
    """"<by> repeals <notice> (measures 5 and 7) from <date>." for the change log and the feeds."""
    target = index.notices[act["notice"]]
    measures = act.get("measures")
    what = index.notice_title(target["id"], lang)
    if measures:
        numbers = index.t("common.list_separator", lang).join(
            index.measure_label(index.measure_by_id[target["measures"][n - 1]], lang) for n in measures)
        what = index.t("notice.some_measures", lang, notice=what, measures=numbers)
    return index.t(f"notice.act_{act['action']}", lang, by=index.notice_title(by["id"], lang), what=what,
                   date=format_date(str(act["from"]), lang))


def newest_first(index: PolicyIndex, notice_id: str | None = None) -> list[dict]:
    """Change entries (of one notice's measures and acts, when given), newest date first; within
    a date, notice by notice, a notice's acts before its measures, by measure number."""
    everything = index.__dict__.get("_newest_first")
    if everything is None:  # once per index: the home page, each notice's page and feed and the
        # changes pages all ask (a walk over every measure for each notice was quadratic)
        everything = sorted(change_entries(index), key=lambda e: e["order"])
        everything.sort(key=lambda e: e["date"], reverse=True)
        index.__dict__["_newest_first"] = everything
    # `order` differs for every entry, so one notice's entries in this order are its own sorted
    return [e for e in everything if notice_id is None or e["notice"]["id"] == notice_id]


def contact_lines(t: Texts, contact: Mapping[str, Any], lang: str, where: str) -> dict:
    """A contact as {name, lines: [(label, value, href)]}: only links that are safe (tel:, mailto:,
    http(s):), never a javascript: one."""
    lines: list[tuple[str, str, str]] = []
    if contact.get("phone"):
        phone = str(contact["phone"])
        lines.append((t("measure.phone", lang), phone, "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+")))
    if contact.get("email"):
        lines.append((t("measure.email", lang), contact["email"], f"mailto:{contact['email']}"))
    for key in ("address", "hours"):
        if contact.get(key):
            lines.append((t(f"measure.{key}", lang), pick(contact[key], lang, f"{where}.contacts.{key}"), ""))
    if contact.get("url"):
        url = str(contact["url"])
        safe = url.startswith(("https://", "http://"))
        lines.append((t("measure.website", lang), url, url if safe else ""))
    return {"name": pick(contact["name"], lang, f"{where}.contacts.name"), "lines": lines}


def publisher_contact(library: Mapping[str, Any], t: Texts, lang: str) -> dict | None:
    """The publishing bureau's own contact (library.yaml `publisher`), None until staff fill it."""
    given = {k: v for k, v in (library.get("publisher") or {}).items() if v}
    if not given:
        return None
    contact = {"name": given.get("name") or {lang: t("measure.where_to_ask", lang)},
               **{k: v for k, v in given.items() if k in ("phone", "hours", "url")},
               **({"address": given["hall"]} if given.get("hall") else {})}
    return contact_lines(t, contact, lang, "policy/library.yaml: publisher")
