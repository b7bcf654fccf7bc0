"""What would change the answer, in Chromium against the built site, at phone width and in both
languages: the nearest change of answers for a benefit that does not apply, what one more adds for
each recipient, and "only these points remain" (computed by the same Python in Pyodide)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from calc_page_helpers import choose, fill

CHANGES = ".calc-changes li"
ONE_MORE = {
    "zh": "“招用了多少名毕业年度或择业期内的高校毕业生？”的回答每增加1名：企业增加2111元（3名 × 2111元 = 6333元）、"
          "每名高校毕业生：新增的1人可获得2111元。",
    "en": "With one more (graduates) for “How many college graduates in their graduation year or job-selection period "
          "did you hire?”: The enterprise: 2,111 yuan more (3 graduates × 2,111 yuan = 6,333 yuan); "
          "Each graduate: one more person gets 2,111 yuan.",
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_micro_enterprise_that_hired_two_graduates(started_calculator, lang: str) -> None:
    page = started_calculator(lang)
    page.set_viewport_size({"width": 390, "height": 844})
    choose(page, "role", "enterprise")
    choose(page, "enterprise_size", "micro")
    fill(page, "graduates_hired", 2)
    choose(page, "offers_internships", "false")
    choose(page, "provides_training", "true")
    award = page.locator('#calc-results[data-state="done"] .calc-group .calc-item[data-benefit="graduate-hiring-award"]')
    expect(award.locator(".calc-what-if")).to_have_text(ONE_MORE[lang])
    internships = page.locator(f'{CHANGES}[data-opens~="internship-subsidy"]')
    expect(internships).to_have_text(
        "如对“企业是否作为见习单位开发就业见习岗位、吸纳见习人员？”的回答为“是”，即可享受：就业见习补贴（可能符合，需自行确认）。"
        if lang == "zh" else
        "If your answer to “Does the enterprise offer employment internship positions and take on trainees?” were "
        "“yes”: Employment internship subsidy (you may be eligible; check yourself).")
    training = page.locator('#calc-results .calc-group .calc-item[data-benefit="vocational-training-subsidy"]')
    expect(training.locator(".calc-what-if")).to_have_text(
        "只剩上述1项需要您自行确认。" if lang == "zh" else "Only the points above remain (1); you check them yourself.")
    # nothing wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_agency_with_one_placement_on_a_one_year_contract(started_calculator, lang: str) -> None:
    page = started_calculator(lang)
    choose(page, "role", "hr_agency")
    choose(page, "agency_qualified", "true")
    fill(page, "placements_free", 1)
    fill(page, "placements_qualifying", 0)
    expect(page.locator(f'{CHANGES}[data-opens~="placement-subsidy"]')).to_contain_text(
        "的回答为“1人”，即可享受：职业介绍补贴（311元）。" if lang == "zh" else "were “1 (people)”: Job placement subsidy (311 yuan).")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_graduate_in_flexible_work(started_calculator, lang: str) -> None:
    page = started_calculator(lang)
    choose(page, "role", "person")
    choose(page, "is_college_graduate", "true")
    choose(page, "education", "bachelor")
    choose(page, "full_time", "true")
    page.locator("#q-left_school_month-input").fill("2025-07")
    choose(page, "employment", "flexible")
    choose(page, "employment_difficulties", "false")
    seeking = page.locator(f'{CHANGES}[data-opens~="job-seeking-subsidy"]')
    expect(seeking).to_contain_text("在本市前1110亿工业企业就业" if lang == "zh" else "top 111 billion industrial enterprises")
    # a change that opens one benefit but closes another says so
    expect(seeking).to_contain_text("但灵活就业社会保险补贴将不再符合条件。" if lang == "zh"
                                    else "But Social insurance subsidy for flexible employment would no longer apply.")
