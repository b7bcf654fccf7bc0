"""Fixtures for the site tests: the real policy, loaded the way the build loads it, and a tab
that goes from page to page as a reader does."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Iterator

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

sys.path.insert(0, str(Path(__file__).parent))  # site_helpers, next to this file

from request_check import local_context  # noqa: E402
from scripts.policy import load_policy  # noqa: E402


@pytest.fixture(scope="session")
def policy() -> dict[str, Any]:
    return load_policy()


@pytest.fixture(scope="module")
def reader_tab(browser: Browser, browser_context_args: dict, base_url: str) -> Iterator[Page]:
    """One tab per test module and process, going from page to page: a new browser context costs
    about 0.25 s of CPU with its first page here, one more page in it about 0.08 s. Every request
    it makes stays on the test server."""
    with local_context(browser, base_url, **{**browser_context_args, "base_url": base_url}) as context:
        yield context.new_page()


@pytest.fixture()
def reader(reader_tab: Page, browser_context_args: dict) -> Page:
    """The module's reader tab for a test that only reads pages, on the screen and at the default
    size whatever the test before did."""
    reader_tab.emulate_media(media="screen")
    default: ViewportSize = {"width": 1280, "height": 720}
    reader_tab.set_viewport_size(browser_context_args.get("viewport") or default)
    return reader_tab
