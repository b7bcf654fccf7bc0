"""The check of a browser context's own recorded requests (tests that open a context of their own:
the offline visits): every URL stayed on the test server, or was the page's own data:, blob: or
about: URL."""
from __future__ import annotations

LOCAL_SCHEMES = ("data:", "blob:", "about:")


def assert_only_local(seen: list[str], base_url: str) -> None:
    outside = [u for u in seen if not u.startswith(base_url + "/") and not u.startswith(LOCAL_SCHEMES)]
    assert not outside, outside
