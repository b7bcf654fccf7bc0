"""What a measure page shows, in one language, as plain strings (escaping is the templates' job).

Figures are written by subsidy_calculator.formatting, the same code the calculator uses, so an
amount reads the same on every page and in every result.
"""
from __future__ import annotations

from typing import Any, Iterator, Mapping

from subsidy_calculator.formatting import format_date, format_quantity, render_text, value_on

from scripts.site_text import Texts, pick


class PolicyIndex:
    """Look-ups over the loaded policy that several pages need."""

    def __init__(self, policy: Mapping[str, Any]) -> None:
        notice = policy["notice"]
        self.notice = notice
        self.measures: list[dict] = list(policy["measures"])
        self.parts = {p["id"]: p for p in notice["parts"]}
        self.groups = {g["id"]: g for g in notice["audience_groups"]}
        self.audiences = {a["id"]: a for a in notice["audiences"]}
        self.recipients = {r["id"]: r for r in notice["recipients"]}
        self.questions = {q["id"]: q for q in policy["questions"]}
        role_question = self.questions.get("role", {})
        self.role_labels = {o["value"]: o["label"] for o in role_question.get("options", [])}

    def measure_groups(self, measure: Mapping[str, Any]) -> list[str]:
        """Audience group ids of a measure, in the order its audiences are listed."""
        seen: list[str] = []
        for audience in measure["audiences"]:
            group = self.audiences[audience]["group"]
            if group not in seen:
                seen.append(group)
        return seen

    def calculator_role(self, measure: Mapping[str, Any]) -> str | None:
        """The calculator role of the measure's first audience group that has one; None for an
        information-only measure (nothing to assess) or one with no role at all."""
        if not measure.get("benefits"):
            return None
        for group in self.measure_groups(measure):
            role = self.groups[group].get("role")
            if role:
                return role
        return None


def period_text(entry: Mapping[str, Any], lang: str, t: Texts) -> str:
    """'From 1 February 2123 until ...' for one dated value (the table's column says 'In force')."""
    start, end = entry.get("from"), entry.get("until")
    values = {}
    if start:
        values["from"] = format_date(str(start), lang)
    if end:
        values["until"] = format_date(str(end), lang)
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
    """The benefit's amount as (text, dated value) pairs, one per dated value of its figure.
    Benefits without a figure give one pair whose dated value is None."""
    amount = benefit.get("amount") or {"none": True}
    if "figure" not in amount:
        return [(t("measure.by_regulations" if amount.get("by_regulations") else "measure.not_money", lang), None)]
    pairs = _figure_values(measure, amount["figure"], lang)
    if "per" not in amount:  # `each`: the recipient column already says "each graduate"
        return pairs
    unit = _question_unit(index, amount["per"], lang)
    if unit:
        return [(t("measure.amount_per", lang, amount=text, unit=unit), v) for text, v in pairs]
    return [(t("measure.amount_per_plain", lang, amount=text), v) for text, v in pairs]


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
        pick(index.recipients[r]["name"], lang, f"policy/notice.yaml: recipients.{r}") for r in ids)


def benefit_rows(index: PolicyIndex, measure: Mapping[str, Any], lang: str, t: Texts) -> list[dict]:
    """Rows of the "what you get" table: one per benefit and dated value. Benefits assessed for
    different roles but reading exactly the same (same name, amount, recipient...) show once."""
    rows: list[dict] = []
    for benefit in measure.get("benefits") or []:
        common = {
            "name": render(measure, benefit["name"], lang),
            "duration": duration_text(measure, benefit, lang, t),
            "recipient": recipient_text(index, benefit, lang, t),
            "frequency": t(f"measure.{benefit['frequency']}", lang),
        }
        for text, entry in amount_texts(index, measure, benefit, lang, t):
            period = period_text(entry or {}, lang, t)
            row = {**common, "amount": text, "period": period}
            if row not in rows:
                rows.append(row)
    return rows


def render(measure: Mapping[str, Any], text: Mapping[str, str], lang: str, where: str = "") -> str:
    """A measure text in one language, with its [[figure]] placeholders written out (the
    latest value: pages show every dated value in the table)."""
    label = f"policy/measures: {measure['id']}{'.' + where if where else ''}"
    return render_text(pick(text, lang, label), lang, measure.get("figures") or {})


def traced(measure: Mapping[str, Any], text: Mapping[str, Any], lang: str, t: Texts, where: str = "") -> str:
    """A text that rests on the notice (`notice:`), or general guidance the notice does not give
    (`guidance: true`), which is labelled as such wherever it is shown."""
    rendered = render(measure, text, lang, where)
    return t("measure.guidance", lang, text=rendered) if text.get("guidance") is True else rendered


def condition_blocks(index: PolicyIndex, measure: Mapping[str, Any], lang: str, t: Texts) -> list[dict]:
    """Per benefit: what the calculator checks and what the visitor checks. A benefit name that
    appears twice (assessed for different roles) gets the roles added to tell them apart."""
    benefits = measure.get("benefits") or []
    names = [render(measure, b["name"], lang) for b in benefits]
    blocks: list[dict] = []
    for benefit, name in zip(benefits, names):
        title = name
        if names.count(name) > 1:
            roles = t("common.list_separator", lang).join(
                pick(index.role_labels[r], lang, f"policy/questions.yaml: role.{r}")
                for r in benefit.get("roles", []) if r in index.role_labels)
            title += t("measure.for_roles", lang, roles=roles)
        block = {
            "title": title,
            "checks": [render(measure, c["text"], lang) for c in benefit.get("conditions") or []],
            "self_checks": [traced(measure, s, lang, t) for s in benefit.get("self_check") or []],
        }
        if block not in blocks:
            blocks.append(block)
    return blocks


def key_amounts(index: PolicyIndex, measure: Mapping[str, Any], lang: str, t: Texts) -> list[str]:
    """"Name: amount (paid to: recipient)" for each benefit with a figure, for the audience
    pages; a figure with several dated values gives one line per value, with its period."""
    out: list[str] = []
    for benefit in measure.get("benefits") or []:
        if "figure" not in (benefit.get("amount") or {}):
            continue
        pairs = amount_texts(index, measure, benefit, lang, t)
        values = {"name": render(measure, benefit["name"], lang),
                  "recipient": recipient_text(index, benefit, lang, t)}
        for text, entry in pairs:
            if len(pairs) > 1 or (entry or {}).get("from") or (entry or {}).get("until"):
                line = t("audience.key_amount_dated", lang, amount=text, period=period_text(entry, lang, t),
                         **values)
            else:
                line = t("audience.key_amount", lang, amount=text, **values)
            if line not in out:
                out.append(line)
    return out


def change_entries(index: PolicyIndex) -> Iterator[tuple[str, int, Mapping, Mapping]]:
    """(date, position, measure, entry) for every change log entry of every measure."""
    for measure in index.measures:
        for position, entry in enumerate(measure.get("change_log") or []):
            yield str(entry["date"]), position, measure, entry


def newest_first(index: PolicyIndex) -> list[tuple[str, int, Mapping, Mapping]]:
    """Change log entries, newest date first; within a date, by measure number."""
    entries = list(change_entries(index))
    entries.sort(key=lambda e: (e[2]["number"], e[1]))
    entries.sort(key=lambda e: e[0], reverse=True)
    return entries
