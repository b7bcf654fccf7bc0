"""The calculator's and the list page's pages, started once per test process and language in
one browser context, shared by every test that only answers questions and reads results: starting
Pyodide is most of a browser test's time. The first calculator page of that context starts as on a
first visit and keeps its snapshot; the other three start from it, as on a later visit (the
browser's threads together, an ordinary start costs about 1.6 s of CPU here, a restore from the
context's Cache Storage about 1.0 s). Each test's page is brought to the front: a tab behind
others gets its timers and drawing slowed.

A test marked `later_visit` gets a fresh page in a context of its own, given the snapshot that the
shared context kept (calc_page_helpers.seed_kept_snapshot; copying it in costs about as much as an
ordinary start, so only where the later visit is the subject). The first visit's start is tested
where it is the subject (the shared context's first page, test_calculator_browser's snapshot and
failure tests, the list page's offline test, tests/site/test_site_console.py's first visit through
offline use, test_while_python_loads)."""
from __future__ import annotations

import base64
import gzip
from pathlib import Path
from typing import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from calc_page_helpers import PY_TIMEOUT, SNAPSHOT_KEPT, calculator_path, seed_kept_snapshot, snapshot_cache, wait_ready
from request_check import local_context


@pytest.fixture(scope="session")
def shared_context(browser: Browser, browser_context_args: dict, base_url: str) -> Iterator[BrowserContext]:
    """The browser context of the shared pages, one per test process. Every request it makes stays
    on the test server."""
    with local_context(browser, base_url, **{**browser_context_args, "base_url": base_url}) as context:
        yield context


def _shared_pages(context: BrowserContext, start: Callable[[Page, str], None],
                  reset: Callable[[Page], None]) -> Callable[[str], Page]:
    """A page per language in the shared context, opened with `start(page, lang)` on first use and
    given to each test after `reset(page)`."""
    pages: dict[str, Page] = {}

    def get(lang: str) -> Page:
        if lang not in pages:
            page = context.new_page()
            page.bring_to_front()
            start(page, lang)
            pages[lang] = page
        page = pages[lang]
        # the test's page in front: the browser slows the timers and drawing of a tab behind others
        page.bring_to_front()
        page.mouse.move(0, 0)  # the pointer where no test left it: no element hovered
        reset(page)
        return page

    return get


@pytest.fixture(scope="session")
def started_calculator(shared_context: BrowserContext) -> Callable[[str], Page]:
    """`started_calculator(lang)`: the calculator page in `lang`, ready, with every answer
    cleared (the page's own "clear all answers" button), opened once per test process and language.
    The first one opened keeps its snapshot before any other shared page starts."""
    kept: list[bool] = []

    def start(page: Page, lang: str) -> None:
        page.goto(calculator_path(lang))
        wait_ready(page)
        if not kept:   # a first visit: the later ones start from what it keeps
            page.wait_for_selector(SNAPSHOT_KEPT, state="attached", timeout=PY_TIMEOUT)
            kept.append(True)

    def reset(page: Page) -> None:
        # the last test's evaluation has come back, then every answer is cleared
        page.wait_for_selector('#calc-results:not([data-state="pending"])', state="attached")
        page.click("#calc-reset")
        page.wait_for_selector('#calc-results[data-state="empty"]', state="attached")

    return _shared_pages(shared_context, start, reset)


@pytest.fixture(scope="session")
def started_list(shared_context: BrowserContext, started_calculator: Callable[[str], Page]) -> Callable[[str], Page]:
    """`started_list(lang)`: the "check a list" page in `lang` for the placements list (a
    qualified agency), ready, with the last file's results cleared (the page's own "clear the
    list" button), opened once per test process and language, after the calculator's first page
    (whose snapshot it starts from)."""

    def start(page: Page, lang: str) -> None:
        started_calculator("zh")
        page.goto(("/en" if lang == "en" else "") + "/calculator/list/#list=placements")
        page.locator('#q-agency_qualified input[value="true"]').check()
        page.wait_for_selector('#lc[data-phase="ready"], #lc[data-phase="failed"]', state="attached",
                               timeout=PY_TIMEOUT)
        assert page.get_attribute("#lc", "data-phase") == "ready", page.inner_text("#lc-status")

    def reset(page: Page) -> None:
        page.locator("#lc-clear").dispatch_event("click")  # hidden until a file was checked
        page.wait_for_selector('#lc[data-phase="ready"]', state="attached")

    return _shared_pages(shared_context, start, reset)


@pytest.fixture(scope="session")
def kept_snapshot(started_calculator, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """(key, file) of the snapshot the shared context kept (its first calculator page's)."""
    page = started_calculator("zh")
    key, data_url = page.evaluate("""async (name) => {
        const cache = await caches.open(name);
        const [request] = await cache.keys();
        const body = await (await cache.match(request)).blob();
        const url = await new Promise((ok, fail) => {
            const reader = new FileReader();
            reader.onload = () => ok(reader.result);
            reader.onerror = () => fail(reader.error);
            reader.readAsDataURL(body);
        });
        return [request.url, url];
    }""", snapshot_cache())
    path = tmp_path_factory.mktemp("kept-snapshot") / "snapshot.gz"  # a third of the bytes to hand over
    path.write_bytes(gzip.compress(base64.b64decode(data_url.split(",", 1)[1]), compresslevel=1))
    return key, path


@pytest.fixture()
def page(page: Page, request: pytest.FixtureRequest, base_url: str) -> Page:
    """The page of tests/conftest.py; for a test marked `later_visit`, with the kept snapshot
    put in its context's Cache Storage first."""
    if request.node.get_closest_marker("later_visit") is not None:
        seed_kept_snapshot(page, request.getfixturevalue("kept_snapshot"), base_url, base_url)
    return page
