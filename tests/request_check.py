"""Checks of a browser context's own recorded requests (tests that open a context of their own:
the shared pages, the reader's tab, the offline visits): every URL stayed on the test server, or
was the page's own data:, blob: or about: URL; and what a file's requests brought over the network."""
from __future__ import annotations

import contextlib
from typing import Any, Iterator

from playwright.sync_api import Browser, BrowserContext, Request

LOCAL_SCHEMES = ("data:", "blob:", "about:")


def assert_only_local(seen: list[str], base_url: str) -> None:
    outside = [u for u in seen if not u.startswith(base_url + "/") and not u.startswith(LOCAL_SCHEMES)]
    assert not outside, f"requests left the test server: {outside}"


@contextlib.contextmanager
def local_context(browser: Browser, server_url: str, /, **context_args: Any) -> Iterator[BrowserContext]:
    """A new browser context (`context_args` as Browser.new_context takes them), closed after use,
    whose every request must have stayed on the server at `server_url`."""
    context = browser.new_context(**context_args)
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    try:
        yield context
    finally:
        context.close()
    assert_only_local(seen, server_url)


class Downloads:
    """The finished requests of a context for URLs ending in `suffix` (the page's, its workers' and
    its service worker's): `.requests`, and `.bytes()`, what their bodies brought over the network
    (0 for an answer from a cache)."""

    def __init__(self, context: BrowserContext, suffix: str) -> None:
        self.requests: list[Request] = []
        context.on("requestfinished", lambda r: self.requests.append(r) if r.url.endswith(suffix) else None)

    def bytes(self) -> int:
        return sum(max(0, r.sizes()["responseBodySize"]) for r in self.requests)
