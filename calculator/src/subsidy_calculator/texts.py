"""The calculator's own words (policy/texts/results.yaml) and `{placeholder}` filling."""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .rules import RulesError

LANGS = ("zh", "en")
FIELD = re.compile(r"\{([a-z_]+)\}")  # the one placeholder syntax of policy/texts

# Every text the engine uses, by dotted key: results.yaml must hold exactly these.
REQUIRED = (
    "status.eligible", "status.may_be_eligible", "status.needs_answers", "status.not_eligible",
    "status.info_only", "status.not_in_force",
    "frequency.one_time", "frequency.recurring", "frequency.not_stated",
    "amount.per", "amount.per_one", "amount.rate", "amount.each", "amount.each_one",
    "amount.by_regulations", "amount.none", "amount.duration", "amount.with_duration", "amount.left_out",
    "reasons.for_roles", "reasons.missing", "reasons.not_met", "reasons.figure_not_in_force",
    "reasons.measure_ended", "reasons.measure_not_started", "reasons.benefit_ended", "reasons.benefit_not_started",
    "reasons.notice_not_in_force", "reasons.measure_repealed", "reasons.measure_superseded",
    "reasons.info_only", "reasons.benefit", "reasons.quoted",
    "separator", "links.measure", "labels.measure", "labels.other_measures", "disclaimer", "guidance",
    "errors.not_an_object", "errors.request", "errors.request_field", "errors.invalid_json",
    "errors.unknown_question", "errors.unknown_option", "errors.boolean", "errors.month", "errors.whole_number",
    "errors.money", "errors.above_other", "errors.invalid_date", "errors.invalid_lang", "errors.internal",
    "what_if.remaining", "what_if.yes", "what_if.no", "what_if.count", "what_if.answer",
    "what_if.would_be_eligible", "what_if.would_maybe", "what_if.change", "what_if.closes", "what_if.opens",
    "what_if.named_amount", "what_if.named_maybe", "what_if.adds", "what_if.adds_many",
    "what_if.each_more", "what_if.one_more", "what_if.ahead_ends", "what_if.ahead_amount",
    "report.heading", "report.what_if", "report.errors", "report.nothing", "report.total", "report.measures",
    "report.self_check", "report.how_to_apply", "report.line",
)


def fill(template: str, **values: str) -> str:
    """'{count} × {amount}' with count='3', amount='5 yuan' -> '3 × 5 yuan' (one pass, so a
    value containing braces is never filled again)."""
    return FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def with_duration(words: Mapping[str, str], amount: str | None, duration: str | None) -> str:
    """An amount and its duration, joined as results.yaml says (amount.with_duration)."""
    if amount and duration:
        return fill(words["amount.with_duration"], amount=amount, duration=duration)
    return amount or duration or ""


def is_text(node: Any) -> bool:
    return isinstance(node, Mapping) and all(isinstance(node.get(lang), str) for lang in LANGS)


def flatten(group: Any, prefix: str = "") -> dict[str, Mapping[str, str]]:
    """{'status': {'eligible': {zh, en}}} -> {'status.eligible': {zh, en}}."""
    out: dict[str, Mapping[str, str]] = {}
    if not isinstance(group, Mapping):
        return out
    for key, node in group.items():
        name = f"{prefix}{key}"
        if is_text(node):
            out[name] = node
        else:
            out.update(flatten(node, name + "."))
    return out


def result_texts(bundle_texts: Any) -> dict[str, dict[str, str]]:
    """{lang: {key: text}} from the bundle's texts.results; RulesError names any missing text."""
    results = bundle_texts.get("results") if isinstance(bundle_texts, Mapping) else None
    flat = flatten(results)
    missing = [k for k in REQUIRED if k not in flat]
    if missing:
        raise RulesError(f"texts.results: missing {', '.join(missing)} (policy/texts/results.yaml)")
    return {lang: {k: flat[k][lang] for k in REQUIRED} for lang in LANGS}
