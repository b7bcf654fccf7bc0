"""The calculator where the visitor is: the language switcher keeps the answers, a share link
shows its result, and a measure page starts it as the kind of visitor its benefits are for."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from calc_page_helpers import TOTAL_TEXT, small_enterprise_three_graduates, total, wait_ready


def test_switching_language_keeps_the_answers(started_calculator) -> None:
    page = started_calculator("zh")
    small_enterprise_three_graduates(page)
    expect(total(page)).to_have_text(TOTAL_TEXT["zh"])
    link = page.locator('a.md-select__link[hreflang="en"]')
    expect(link).to_have_attribute("href", re.compile(r"#role=enterprise&enterprise_size=small&graduates_hired=3$"))
    other = page.context.new_page()   # the same visitor following the link (the shared page stays as it is)
    other.goto(link.get_attribute("href"))
    wait_ready(other)
    expect(total(other)).to_have_text(TOTAL_TEXT["en"])
    expect(other.locator("#q-graduates_hired-input")).to_have_value("3")
    other.close()


def test_a_share_link_shows_its_result(started_calculator) -> None:
    page = started_calculator("zh")
    small_enterprise_three_graduates(page)
    expect(total(page)).to_have_text(TOTAL_TEXT["zh"])
    link = page.input_value("#calc-share-link")
    other = page.context.new_page()
    other.set_viewport_size({"width": 390, "height": 844})
    other.goto(link)
    wait_ready(other)
    expect(total(other)).to_have_text(TOTAL_TEXT["zh"])
    # the result the visitor was sent is in view, not the first question
    top = other.evaluate("document.getElementById('calc-results').getBoundingClientRect().top")
    assert 0 <= top < 844 / 2, top
    other.close()


def test_a_question_left_blank_brings_no_card_asking_for_it(started_calculator) -> None:
    """An individual business that does not want a loan leaves the amount blank and goes on: no
    "more answers needed" card about the loan, one line says what was left unanswered."""
    page = started_calculator("zh")
    page.locator('#q-role input[value="individual_business"]').check()
    field = page.locator("#q-guarantee_loan_amount-input")
    field.focus()
    field.blur()
    results = page.locator('#calc-results[data-state="done"]')
    expect(results.locator(".calc-skipped")).to_contain_text("您未回答“")
    expect(results.locator('.calc-group .calc-item[data-status="needs_answers"]')).to_have_count(0)
    # answering it brings the loan's result back
    field.fill("200000")
    field.blur()
    expect(page.locator('#calc-results[data-state="done"] .calc-skipped')).to_have_count(0)
    expect(page.locator('#calc-results[data-state="done"] .calc-item[data-benefit="counter-guarantee-exemption"]')).to_be_visible()


def test_the_amounts_for_each_recipient_are_written_alike(started_calculator) -> None:
    """A small enterprise hiring 3 graduates, on a phone: the enterprise's card and the graduates'
    card both say 6333 and how it is made up (issue 33: they disagreed in form)."""
    words = {"zh": ("6333元", "3名 × 2111元 = 6333元", "每名2111元，共3名，6333元"),
             "en": ("6,333 yuan", "3 graduates × 2,111 yuan = 6,333 yuan",
                    "2,111 yuan for each of the 3 graduates, 6,333 yuan in all")}
    for lang, (amount, arithmetic, each) in words.items():
        page = started_calculator(lang)
        page.set_viewport_size({"width": 390, "height": 844})
        small_enterprise_three_graduates(page)
        expect(total(page)).to_have_text(TOTAL_TEXT[lang])
        enterprise = page.locator('.calc-group[data-recipient="enterprise"] .calc-item[data-benefit="graduate-hiring-award"]')
        expect(enterprise.locator(".calc-amount")).to_have_text(amount)
        expect(enterprise.locator(".calc-arithmetic")).to_contain_text(arithmetic)
        graduate = page.locator('.calc-group[data-recipient="graduate"] .calc-item[data-benefit="graduate-employment-subsidy"]')
        expect(graduate.locator(".calc-amount")).to_have_text(each)
        assert graduate.bounding_box()["width"] <= 390
