"""A site built from a policy folder of a test's own (the amended policy, the example library) as
of a given day, served by nginx with the production configuration, and a visitor's page of its own
whose requests must stay on that server."""
from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from pathlib import Path
from typing import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page

from request_check import local_context
from scripts.dev import scale
from scripts.server.local_nginx import LocalNginx


def run_folder(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder shared by the test processes of this run (pytest-xdist's workers share
    PYTEST_XDIST_TESTRUNUID; without xdist, the session's own)."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent / f"run-{run}" / name) if run else (base / "run" / name)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _build(work: Path, write: Callable[[Path], object], built_on: str) -> None:
    write(work)
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


@contextlib.contextmanager
def served_site(tmp_path_factory: pytest.TempPathFactory, name: str, write: Callable[[Path], object],
                built_on: str) -> Iterator[tuple[LocalNginx, Path]]:
    """(server, work) of the site of the policy `write(work)` writes into `work/policy`, built as of
    `built_on` (MkDocs, in this process) and served. Built once per test run: the test processes
    that run this module's tests take turns on a lock, the first builds, the others serve what it
    built (a module's tests may be spread over every process)."""
    work = run_folder(tmp_path_factory, name)
    with open(work.parent / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (work / ".built").is_file():
            try:
                _build(work, write, built_on)
            except BaseException:
                shutil.rmtree(work)   # the next process to need it starts again, not from half a site
                work.mkdir()
                raise
            (work / ".built").touch()
    # one server folder per test process: two processes serving the same site must not share
    # nginx's configuration and pid files
    with LocalNginx(work / "site", name=f"{name}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}") as server:
        yield server, work


@contextlib.contextmanager
def visitor_page(browser: Browser, server: LocalNginx, lang: str = "zh", **context_args) -> Iterator[Page]:
    """A page of its own (the session's `page` checks requests against the main test server)."""
    with local_context(browser, server.url, locale="zh-CN" if lang == "zh" else "en-GB", service_workers="block",
                       **context_args) as context:
        yield context.new_page()
