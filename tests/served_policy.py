"""A site built from a policy folder of a test's own (the amended policy, the example library) as
of a given day, served by nginx with the production configuration, and a visitor's page of its own
whose requests must stay on that server."""
from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

from playwright.sync_api import Browser, Page

from scripts.dev import scale
from scripts.server.local_nginx import LocalNginx


@contextlib.contextmanager
def served_site(work: Path, built_on: str, name: str) -> Iterator[LocalNginx]:
    """The site of `work/policy` built (MkDocs, in this process) as of `built_on`, served."""
    config = scale.site_config(work)
    saved = {k: os.environ.get(k) for k in ("SITE_DATE", "POLICY_DIR")}
    os.environ["SITE_DATE"] = built_on
    try:
        scale.build(config, work / "policy")
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    # one server folder per test process: two processes building the same module's site must not
    # share nginx's configuration and pid files
    with LocalNginx(work / "site", name=f"{name}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}") as server:
        yield server


@contextlib.contextmanager
def visitor_page(browser: Browser, server: LocalNginx, lang: str = "zh", **context_args) -> Iterator[Page]:
    """A page of its own (the session's `page` checks requests against the main test server)."""
    context = browser.new_context(locale="zh-CN" if lang == "zh" else "en-GB", service_workers="block", **context_args)
    seen: list[str] = []
    context.on("request", lambda r: seen.append(r.url))
    try:
        yield context.new_page()
    finally:
        context.close()
    outside = [u for u in seen if not u.startswith(server.url + "/") and not u.startswith(("data:", "blob:"))]
    assert not outside, f"requests left the site: {outside}"
