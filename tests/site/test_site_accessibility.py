"""axe's full rule set (tests/axe_check.py) on every built page of the guide, both languages, and
on a measure page at phone size with its menu open; every measure page is also read at phone width
on the same visit (title, amounts, nothing wider than the screen). The calculator pages, in each
state a visitor sees, are checked by tests/calculator_page/test_calculator_accessibility.py."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from axe_check import axe_violations, report
from site_helpers import LANGS, SITE, amounts, measure_path, prefix

PHONE: ViewportSize = {"width": 375, "height": 800}


def _built_pages() -> list[str]:
    """Every page of site/ as a URL path: a new page is checked without being listed here."""
    paths = []
    for file in sorted(SITE.rglob("*.html")):
        rel = file.relative_to(SITE).as_posix()
        if rel.startswith("assets/") or rel.endswith("calculator/index.html"):
            continue
        paths.append("/" + rel.removesuffix("index.html"))
    return paths


PAGES = _built_pages()


@pytest.mark.skipif(not PAGES, reason="site/ not built: run `make site`")
@pytest.mark.parametrize("path", PAGES or ["/"])
def test_no_axe_violations(reader: Page, policy: dict, path: str) -> None:
    reader.goto(path)
    violations = axe_violations(reader)
    assert not violations, report(violations)
    measure = next(((m, lang) for m in policy["measures"] for lang in LANGS if measure_path(m, lang) == path), None)
    if measure:
        _reads_on_a_phone(reader, *measure)


def _reads_on_a_phone(page: Page, measure: dict, lang: str) -> None:
    """The measure page just checked, narrowed to a phone's width: its title, every amount,
    nothing wider than the screen, and the table of amounts as one card per benefit."""
    desktop = page.viewport_size
    assert desktop is not None
    page.set_viewport_size(PHONE)
    try:
        expect(page.locator("h1")).to_have_text(measure["title"][lang])
        benefits = page.locator("article .benefits")
        for amount in amounts(measure, lang):
            expect(benefits).to_contain_text(amount)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (measure["id"], width)
        if measure["number"] == 5:  # each value of a card labelled
            label = page.evaluate("e => getComputedStyle(e, '::before').content",
                                  page.locator(".benefits td").first.element_handle())
            assert label.strip('"') == ("金额" if lang == "zh" else "Amount")
    finally:
        page.set_viewport_size(desktop)


@pytest.mark.browser_context_args(viewport={"width": 375, "height": 800})
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_axe_violations_on_a_phone(page: Page, lang: str) -> None:
    page.goto(prefix(lang) + "/measures/employment-entrepreneurship-subsidies/")
    violations = axe_violations(page)
    assert not violations, report(violations)
    page.locator('label[for="__drawer"].md-header__button').click()  # the menu, opened
    page.wait_for_timeout(300)
    violations = axe_violations(page)
    assert not violations, report(violations)
