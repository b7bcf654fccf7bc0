"""A calculator page started once and shared by the tests of a module that only answer
questions and read results: starting Pyodide is most of a browser test's time."""
from __future__ import annotations

from typing import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page

from calc_page_helpers import calculator_path, wait_ready


@pytest.fixture(scope="module")
def started_calculator(browser: Browser, browser_context_args: dict, base_url: str) -> Iterator[Callable[[str], Page]]:
    """`started_calculator(lang)`: the calculator page in `lang`, ready, with every answer
    cleared (the page's own "clear all answers" button), opened once per module and language.
    Every request of its browser context stays on the test server."""
    contexts, pages, seen = [], {}, []

    def get(lang: str) -> Page:
        if lang not in pages:
            context = browser.new_context(**{**browser_context_args, "base_url": base_url})
            context.on("request", lambda request: seen.append(request.url))
            contexts.append(context)
            page = context.new_page()
            page.goto(calculator_path(lang))
            wait_ready(page)
            pages[lang] = page
        page = pages[lang]
        page.click("#calc-reset")
        page.wait_for_selector('#calc-results[data-state="empty"]', state="attached")
        return page

    yield get
    for context in contexts:
        context.close()
    outside = [u for u in seen if not u.startswith(base_url + "/") and not u.startswith(("data:", "blob:"))]
    assert not outside, f"requests left the test server: {outside}"
