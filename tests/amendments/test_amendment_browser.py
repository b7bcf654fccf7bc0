"""In Chromium, the site of the amended policy built as of 2027-01-02: measure 8 has ended. Its
page says so in both languages, and the calculator lists it under "All measures" with its end
date, not among a graduate's results; choosing a day before the end in the calculator's date
field brings it back. The site is built once from tests/amendments/amended_policy.py (POLICY_DIR,
SITE_DATE) and served by its own nginx."""
from __future__ import annotations

import re
from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

import amended_policy
from served_policy import served_site, visitor_page
from scripts.server.local_nginx import LocalNginx

BUILT_ON = "2027-01-02"
PY_TIMEOUT = 120_000  # a cold Pyodide start on a busy 2-core machine
ENDED = {"zh": "本措施已于2026年12月31日终止。", "en": "This measure ended on 31 December 2026."}
GRADUATE = ("role=person&is_college_graduate=true&education=bachelor&full_time=true&left_school_month=2025-07"
            "&employment=flexible&employment_difficulties=false")
BENEFIT = '.calc-group .calc-item[data-benefit="flexible-employment-social-insurance-subsidy"]'


@pytest.fixture(scope="module")
def amended_server(tmp_path_factory) -> Iterator[LocalNginx]:
    with served_site(tmp_path_factory, "amended-site", amended_policy.write, BUILT_ON) as (server, _work):
        yield server


@pytest.fixture()
def visitor(browser: Browser, amended_server: LocalNginx, request) -> Iterator[Page]:
    with visitor_page(browser, amended_server, getattr(request, "param", "zh")) as page:
        yield page


def _url(server: LocalNginx, lang: str, path: str) -> str:
    return server.url + ("/en" if lang == "en" else "") + path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_ended_measure_says_so_on_its_page_and_in_lists(visitor: Page, amended_server, lang: str) -> None:
    visitor.goto(_url(amended_server, lang, "/measures/flexible-employment/"))
    article = visitor.locator("article")
    expect(article.locator(".measure-state")).to_have_text(ENDED[lang])
    expect(article.locator(".benefits")).to_contain_text("（已结束）" if lang == "zh" else "(ended)")
    expect(article).not_to_contain_text("无截止日期" if lang == "zh" else "no end date")
    visitor.goto(_url(amended_server, lang, "/parts/reduce-burdens/"))
    expect(visitor.locator("article li", has_text="第八条" if lang == "zh" else "Measure 8 ")).to_contain_text(
        "已于2026年12月31日终止" if lang == "zh" else "ended on 31 December 2026")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_calculator_lists_the_ended_measure_with_its_end_date_only(visitor: Page, amended_server, lang: str) -> None:
    label = {"zh": "测算日期", "en": "Work out for the date"}[lang]
    visitor.goto(_url(amended_server, lang, f"/calculator/#{GRADUATE}&on={BUILT_ON}"))
    visitor.wait_for_selector('#calc[data-phase="ready"], #calc[data-phase="failed"]', state="attached",
                              timeout=PY_TIMEOUT)
    day = visitor.get_by_label(label)
    expect(day).to_have_value(BUILT_ON)
    assert day.get_attribute("type") == "date"
    results = visitor.locator('#calc-results[data-state="done"]')
    expect(results).to_contain_text("2027年1月2日" if lang == "zh" else "2 January 2027")
    expect(visitor.locator(BENEFIT)).to_have_count(0)
    row = visitor.locator('.calc-measures li[data-measure="flexible-employment"]')
    expect(row).to_have_attribute("data-status", "not_in_force")
    expect(row).to_contain_text(ENDED[lang])
    # the day before the end, chosen in the date field: a result again, and the share link keeps the day
    day.fill("2026-12-31")
    expect(visitor.locator(BENEFIT)).to_have_count(1)
    expect(visitor.locator("#calc-share-link")).to_have_value(re.compile(r"&on=2026-12-31$"))
