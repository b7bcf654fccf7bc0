"""The staff's scenario cases (policy/scenarios/*.yaml) answered through the real form, as a
visitor would, in both languages: one sample case per assessable measure, asserting the status
and the amount the visitor reads."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

from calc_page_helpers import choose, fill, wait_result_for

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = yaml.safe_load((ROOT / "policy" / "questions.yaml").read_text(encoding="utf-8"))["questions"]
ORDER = {q["id"]: i for i, q in enumerate(QUESTIONS)}
TYPES = {q["id"]: q["type"] for q in QUESTIONS}


def _sample_cases() -> list[tuple[str, dict]]:
    """Per measure, the first case with no answer errors and an item the visitor sees in the
    results (anything but "not eligible"). The form computes for today, so a case with a dated
    answer (a month, checked against the case's date) is left to tests/calculator."""
    samples = []
    for path in sorted((ROOT / "policy" / "scenarios").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            expect_ = case["expect"]
            shown = [i for i in expect_.get("items", []) if i["status"] != "not_eligible"]
            dated = any(TYPES.get(q) == "month" for q in case["answers"])
            if "list" in case:  # a list check case (tests/calculator_page/test_list_check_browser.py)
                break
            if not dated and not expect_.get("errors") and shown:
                samples.append((path.stem, case))
                break
    return samples


SAMPLES = _sample_cases()


def answer_in_form(page: Page, answers: dict) -> None:
    for question in sorted(answers, key=ORDER.__getitem__):
        value = answers[question]
        if TYPES[question] in ("choice", "boolean"):
            choose(page, question, str(value).lower() if isinstance(value, bool) else str(value))
        else:
            fill(page, question, value)


def test_every_assessable_measure_has_a_sample() -> None:
    assert len(SAMPLES) >= 8, [name for name, _ in SAMPLES]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name, case", SAMPLES, ids=[name for name, _ in SAMPLES])
def test_scenario_through_the_form(started_calculator, lang: str, name: str, case: dict) -> None:
    page = started_calculator(lang)
    answer_in_form(page, case["answers"])
    wait_result_for(page, case["answers"], ORDER)
    results = page.locator('#calc-results[data-state="done"]')
    for item in case["expect"]["items"]:
        shown = results.locator(f'.calc-item[data-benefit="{item["benefit"]}"]')
        if item["status"] == "not_eligible":
            expect(shown).to_have_count(0)
            continue
        expect(shown.first).to_have_attribute("data-status", item["status"])
        if item.get("amount"):
            expect(shown.first).to_contain_text(f"{item['amount']}元" if lang == "zh" else f"{item['amount']:,} yuan")
