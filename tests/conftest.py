"""Shared fixtures: the built site served once per session on 127.0.0.1 by Debian's nginx with the
production configuration (scripts/server/), Debian's Chromium pinned to loopback, every browser request recorded and checked, and on failure the page's
screenshot and console log kept under test-results/."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterator

import pytest

from scripts.dev.chromium import CHROMIUM_ARGS, TEST_CHROMIUM
from scripts.server.local_nginx import LocalNginx

ROOT = Path(__file__).resolve().parent.parent
SITE_DIR = Path(os.environ.get("SITE_DIR", ROOT / "site"))
RESULTS_DIR = ROOT / "test-results"
# The tests' Chromium compiles WebAssembly with V8's baseline compiler only: every Pyodide start
# (the suite has dozens) then spends about 0.6 s less CPU (of 2.1 s) on optimising code it runs for
# a few answers. Speed is measured by `make bench`, whose Chromium (scripts/dev/chromium.py) is the
# desktop browser, without that flag.
TEST_ARGS = ["--js-flags=--liftoff-only"]


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """One test process more than the cores (`--numprocesses=auto`, at most `--maxprocesses`): the
    browser tests wait (a start that stalls on purpose, a shaped link, a server stopped and started),
    and a third process on 2 cores fills those waits (a quiet 2-core machine: 275 s -> 226 s)."""
    return (os.cpu_count() or 1) + 1


@pytest.fixture(scope="session")
def site_server() -> Iterator[LocalNginx]:
    """nginx serving site/ as it is deployed (its .br/.gz files, headers, 404 pages); a test may
    stop() and start() it again on the same port (offline use)."""
    if not (SITE_DIR / "index.html").exists():
        pytest.exit(f"{SITE_DIR} has no built site: run `make site` first", returncode=2)
    # one server per test process (pytest-xdist runs several, each with its own session)
    with LocalNginx(SITE_DIR, name="tests-" + os.environ.get("PYTEST_XDIST_WORKER", "main")) as server:
        yield server


@pytest.fixture(scope="session")
def base_url(site_server: LocalNginx) -> str:
    return site_server.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not os.access(TEST_CHROMIUM, os.X_OK):
        pytest.fail(f"{TEST_CHROMIUM} missing: `make test` installs it (Debian's chromium-headless-shell)", pytrace=False)
    return {**browser_type_launch_args, "executable_path": TEST_CHROMIUM, "args": CHROMIUM_ARGS + TEST_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "zh-CN", "service_workers": "block"}


_ALLOWED = re.compile(r"^(data:|blob:|about:|chrome-extension:)")


@pytest.fixture()
def requests_seen(context, base_url: str) -> Iterator[list[str]]:
    """Every URL the browser asked for in this test; the test fails if one left the site."""
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    yield seen
    outside = [u for u in seen if not u.startswith(base_url + "/") and not _ALLOWED.match(u)]
    assert not outside, f"requests left the test server: {outside}"


@pytest.fixture()
def page(page, requests_seen, request):
    """pytest-playwright's page, with outside requests checked and the console log kept."""
    console: list[str] = []
    page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
    page.on("pageerror", lambda err: console.append(f"pageerror: {err}"))
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        folder = RESULTS_DIR / re.sub(r"[^\w.-]+", "-", request.node.nodeid)[:150]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "console.log").write_text("\n".join(console), encoding="utf-8")
        try:
            page.screenshot(path=str(folder / "failure.png"), full_page=True)
        except Exception:  # the page may be gone; the log is what matters then
            pass


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that use the page, context or server are browser tests."""
    browser_fixtures = {"page", "context", "browser", "site_server", "base_url", "requests_seen"}
    for item in items:
        if browser_fixtures & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
