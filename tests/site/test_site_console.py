"""A normal visit, from the first visit through offline use, by a visitor who reads in both
languages: the guide pages and search in each, the calculator in Chinese until it has results and
is kept for offline use with Python's snapshot, then in English (restored from that snapshot), then
with the server stopped the calculator again (restored, in the same tab and in a new one with other
answers) and the same pages. Nothing in the console is an error, no request of a page fails (what
Lighthouse's best-practices audits and a visitor's developer tools would show) and none leaves the
site. One visit for both languages: a second would repeat the same first start of Python."""
from __future__ import annotations

from playwright.sync_api import Browser, expect

from request_check import Downloads, assert_only_local
from site_helpers import SITE, prefix

PAGES = ["/", "/measures/employment-entrepreneurship-subsidies/", "/audiences/enterprises/", "/changes/"]
ANSWERS = "#role=enterprise&enterprise_size=small&graduates_hired=3"
OTHER_ANSWERS = "#role=enterprise&enterprise_size=micro&graduates_hired=2"
RESULT = '#calc-results[data-state="done"] .calc-total'
TOTAL = {"zh": "6333元", "en": "6,333 yuan"}
OTHER_TOTAL = {"zh": "4222元", "en": "4,222 yuan"}
SEARCH = {"zh": "高校", "en": "graduates"}


def test_a_visit_in_both_languages_from_first_to_offline_is_silent(browser: Browser, site_server, base_url: str) -> None:
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
    wasm = Downloads(context, "/pyodide/pyodide.asm.wasm")
    try:
        page = context.new_page()
        for lang in ("zh", "en"):
            for i, path in enumerate(PAGES):
                page.goto(prefix(lang) + path)
                expect(page.locator("h1").first).to_be_visible()
                if i == 0 and lang == "zh":  # the next pages are visited once the service worker is there (it claims the page)
                    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
            page.locator(".md-search__input").click()  # search loads its index and worker
            page.locator(".md-search__input").fill(SEARCH[lang])
            page.keyboard.press("End")
            expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=30_000)
        page.goto("/calculator/" + ANSWERS)
        expect(page.locator(RESULT).first).to_have_text(TOTAL["zh"], timeout=120_000)
        page.wait_for_selector('#calc[data-offline="ready"]', state="attached", timeout=60_000)
        expect(page.locator("#calc-phase-note")).to_be_visible()
        # Python's memory snapshot, made here after this first start, is kept too
        page.wait_for_selector('#calc[data-snapshot="kept"]', state="attached", timeout=60_000)
        first_visit, asked = wasm.bytes(), len(wasm.requests)
        page.goto("/en/calculator/" + ANSWERS)
        expect(page.locator(RESULT).first).to_have_text(TOTAL["en"], timeout=120_000)
        expect(page.locator("#calc")).to_have_attribute("data-python-start", "snapshot")
        # downloaded once, on the first visit (whose page the service worker already controlled);
        # the later visit asks once, Pyodide's own request, answered from the service worker's cache
        assert first_visit == (SITE / "assets" / "pyodide" / "pyodide.asm.wasm.br").stat().st_size
        later = [r for r in wasm.requests[asked:] if r.service_worker is None]
        assert wasm.bytes() == first_visit and len(later) == 1, [(r.url, r.sizes()) for r in wasm.requests]
        page.wait_for_timeout(1000)  # late requests (sitemap, search index) have time to fail
        site_server.stop()
        try:
            page.reload()
            expect(page.locator(RESULT).first).to_have_text(TOTAL["en"], timeout=120_000)
            expect(page.locator("#calc")).to_have_attribute("data-python-start", "snapshot")
            # a new tab of the same visitor, opened while offline, in the other language, other answers
            other = context.new_page()
            other.goto("/calculator/" + OTHER_ANSWERS)
            expect(other.locator(RESULT).first).to_have_text(OTHER_TOTAL["zh"], timeout=120_000)
            other.close()
            for lang in ("zh", "en"):
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
