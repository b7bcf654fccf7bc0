"""axe's full rule set (tests/axe_check.py) on both calculator pages in every state a visitor
sees: loading (Python not started yet, answers already given), ready, with results and an inline
error, with results on a phone, failed to start, and ready for offline use (the service worker's
note). The ready states are the shared started page's (tests/calculator_page/conftest.py)."""
from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from axe_check import axe_violations, report
from calc_page_helpers import (FAILED, TOTAL_TEXT, calculator_path, fill, seed_kept_snapshot,
                               small_enterprise_three_graduates, total, wait_ready)

LANGS = ["zh", "en"]


def _assert_clean(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, report(violations)


@pytest.mark.parametrize("lang", LANGS)
def test_while_python_loads(page: Page, lang: str) -> None:
    # Python's files never arrive: the page stays in its loading state
    for pattern in ("**/assets/pyodide/**", "**/*.whl", "**/*.snapshot*"):
        page.route(pattern, lambda route: None)
    page.goto(calculator_path(lang))
    expect(page.locator("#calc-status")).to_be_visible()
    expect(page.locator("#calc-phase-note")).to_be_visible()
    _assert_clean(page)
    if lang == "zh":  # nothing has arrived for a while: the note says so, well before a minute
        expect(page.locator("#calc-phase-note")).to_have_text(
            "加载时间比平时长。请稍候，或检查网络连接后重新加载页面。", timeout=25_000)
        _assert_clean(page)
    small_enterprise_three_graduates(page)  # answers given before Python is ready
    expect(page.locator("#q-graduates_hired-input")).to_have_value("3")
    assert page.get_attribute("#calc", "data-phase") != "ready"
    _assert_clean(page)
    page.unroute_all(behavior="ignoreErrors")


@pytest.mark.parametrize("lang", LANGS)
def test_ready_with_no_answers(started_calculator, lang: str) -> None:
    _assert_clean(started_calculator(lang))


@pytest.mark.parametrize("lang", LANGS)
def test_with_results_and_an_inline_error(started_calculator, lang: str) -> None:
    page = started_calculator(lang)
    small_enterprise_three_graduates(page)
    expect(total(page)).to_have_text(TOTAL_TEXT[lang])
    _assert_clean(page)
    fill(page, "graduates_hired", -1)
    page.locator("#q-graduates_hired-input").press("Tab")
    expect(page.locator("#q-graduates_hired-error")).to_be_visible()
    _assert_clean(page)


@pytest.mark.parametrize("lang", LANGS)
def test_failed_to_start(page: Page, lang: str) -> None:
    page.add_init_script("delete globalThis.WebAssembly")
    page.goto(calculator_path(lang))
    page.wait_for_selector(FAILED, state="attached", timeout=30_000)
    expect(page.locator("#calc-failure")).to_be_visible()
    _assert_clean(page)


@pytest.mark.parametrize("lang", LANGS)
def test_ready_for_offline_use(browser: Browser, base_url: str, kept_snapshot, lang: str) -> None:
    """As the service worker has kept the calculator (Python restored from a kept snapshot: the
    first visit's own start is tests/site/test_site_console.py's)."""
    context = browser.new_context(base_url=base_url, service_workers="allow")
    try:
        page = context.new_page()
        seed_kept_snapshot(page, kept_snapshot, base_url, base_url)
        page.goto(calculator_path(lang))
        wait_ready(page)
        page.wait_for_selector('#calc[data-offline="ready"]', state="attached", timeout=60_000)
        expect(page.locator("#calc-phase-note")).to_be_visible()
        _assert_clean(page)
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_with_results_on_a_phone(started_calculator, lang: str) -> None:
    page = started_calculator(lang)
    desktop = page.viewport_size
    page.set_viewport_size({"width": 375, "height": 800})
    try:
        small_enterprise_three_graduates(page)
        expect(total(page)).to_have_text(TOTAL_TEXT[lang])
        _assert_clean(page)
    finally:
        page.set_viewport_size(desktop)
