"""A normal visit in each language, from the first visit through offline use: the guide pages, the
calculator until it has results and is kept for offline use with Python's snapshot, then with the
server stopped the calculator (restored from that snapshot, in the same tab and in a new one) and
the same pages. Nothing in the console is an error, no request of a page fails (what Lighthouse's
best-practices audits and a visitor's developer tools would show) and none leaves the site."""
from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from request_check import assert_only_local
from site_helpers import prefix

PAGES = ["/", "/measures/employment-entrepreneurship-subsidies/", "/audiences/enterprises/", "/changes/"]
ANSWERS = "#role=enterprise&enterprise_size=small&graduates_hired=3"
RESULT = '#calc-results[data-state="done"] .calc-total'
TOTAL = {"zh": "6333元", "en": "6,333 yuan"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_visit_from_first_to_offline_is_silent(browser: Browser, site_server, base_url: str, lang: str) -> None:
    problems: list[str] = []
    context = browser.new_context(base_url=base_url, service_workers="allow")

    def watch(page) -> None:
        page.on("console", lambda m: problems.append(f"{page.url}: console {m.type}: {m.text}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))
        # ERR_ABORTED: a load the visitor's next navigation cancelled, not a failure
        page.on("requestfailed", lambda r: problems.append(f"{page.url}: failed {r.url} {r.failure}")
                if "ERR_ABORTED" not in (r.failure or "") else None)
        page.on("response", lambda r: problems.append(f"{page.url}: {r.status} {r.url}") if r.status >= 400 else None)

    context.on("page", watch)
    seen: list[str] = []
    context.on("request", lambda r: seen.append(r.url))
    try:
        page = context.new_page()
        for i, path in enumerate(PAGES):
            page.goto(prefix(lang) + path)
            expect(page.locator("h1").first).to_be_visible()
            if i == 0:  # the next pages are visited once the service worker is there (it claims the page)
                page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
        page.locator(".md-search__input").click()  # search loads its index and worker
        page.locator(".md-search__input").fill("graduates" if lang == "en" else "高校")
        page.keyboard.press("End")
        expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=30_000)
        page.goto(prefix(lang) + "/calculator/" + ANSWERS)
        expect(page.locator(RESULT).first).to_have_text(TOTAL[lang], timeout=120_000)
        page.wait_for_selector('#calc[data-offline="ready"]', state="attached", timeout=60_000)
        expect(page.locator("#calc-phase-note")).to_be_visible()
        # Python's memory snapshot, made here after this first start, is kept too
        page.wait_for_selector('#calc[data-snapshot="kept"]', state="attached", timeout=60_000)
        page.wait_for_timeout(1000)  # late requests (sitemap, search index) have time to fail
        site_server.stop()
        try:
            page.reload()
            expect(page.locator(RESULT).first).to_have_text(TOTAL[lang], timeout=120_000)
            expect(page.locator("#calc")).to_have_attribute("data-python-start", "snapshot")
            # a new tab of the same visitor, opened while offline, with other answers
            other = context.new_page()
            other.goto(prefix(lang) + "/calculator/#role=enterprise&enterprise_size=micro&graduates_hired=2")
            expect(other.locator(RESULT).first).to_have_text("4222元" if lang == "zh" else "4,222 yuan",
                                                             timeout=120_000)
            other.close()
            for path in PAGES[1:3]:  # pages visited once the service worker was there
                page.goto(prefix(lang) + path)
                expect(page.locator("h1").first).to_be_visible()
            page.wait_for_timeout(1000)
        finally:
            site_server.start()
    finally:
        context.close()
    assert not problems, "\n".join(problems)
    assert_only_local(seen, base_url)
