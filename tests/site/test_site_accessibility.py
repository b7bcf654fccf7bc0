"""axe's full rule set (tests/axe_check.py) on every built page of the guide, both languages, and
on a measure page at phone size. The calculator pages, in each state a visitor sees, are checked
by tests/calculator_page/test_calculator_accessibility.py."""
from __future__ import annotations

from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page

from axe_check import axe_violations, report
from site_helpers import SITE, prefix


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


@pytest.fixture(scope="module")
def reader(browser: Browser, browser_context_args: dict, base_url: str) -> Iterator[Page]:
    """One tab per test process that goes from page to page, as a reader does (a new browser
    context for each of some sixty pages would double what this module costs)."""
    context = browser.new_context(**{**browser_context_args, "base_url": base_url})
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    yield context.new_page()
    context.close()
    outside = [u for u in seen if not u.startswith(base_url + "/") and not u.startswith(("data:", "blob:"))]
    assert not outside, f"requests left the test server: {outside}"


@pytest.mark.skipif(not PAGES, reason="site/ not built: run `make site`")
@pytest.mark.parametrize("path", PAGES or ["/"])
def test_no_axe_violations(reader: Page, path: str) -> None:
    reader.goto(path)
    violations = axe_violations(reader)
    assert not violations, report(violations)


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
