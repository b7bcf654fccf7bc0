"""Shared steps of the calculator page's browser tests (waits on selectors and data-* only:
under the site's CSP, Playwright's wait_for_function cannot run)."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

from urllib.parse import urlencode

from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
SITE_DIR = Path(os.environ.get("SITE_DIR", ROOT / "site"))  # as tests/conftest.py

READY = '#calc[data-phase="ready"]'
FAILED = '#calc[data-phase="failed"]'
PY_TIMEOUT = 120_000  # a cold Pyodide start on a busy 2-core machine
TOTAL_TEXT = {"zh": "6333元", "en": "6,333 yuan"}
SNAPSHOT_KEPT = '#calc[data-snapshot="kept"]'


def snapshot_cache() -> str:
    """The Cache Storage cache the snapshot is kept in, as the built manifest names it."""
    manifest = SITE_DIR / "assets" / "calculator" / "manifest.json"
    return json.loads(manifest.read_text(encoding="utf-8"))["snapshot_cache"]


def deployment_folder(site: Path = SITE_DIR) -> Path:
    """The built calculator's folder of this deployment (assets/calculator/v-<hash>/: its modules,
    styles and the manifest the worker reads), as the site's manifest names it."""
    calc = site / "assets" / "calculator"
    return calc / json.loads((calc / "manifest.json").read_text(encoding="utf-8"))["folder"]


def calculator_path(lang: str = "zh", rest: str = "") -> str:
    return ("/en" if lang == "en" else "") + "/calculator/" + rest


def wait_ready(page: Page, timeout: int = PY_TIMEOUT) -> None:
    page.wait_for_selector(f"{READY}, {FAILED}", state="attached", timeout=timeout)
    if page.locator(FAILED).count():
        raise AssertionError("calculator failed to start: " + page.inner_text("#calc-failure"))


def choose(page: Page, question: str, value: str) -> None:
    page.locator(f'#q-{question} input[value="{value}"]').check()


def fill(page: Page, question: str, number: int | str) -> None:
    page.locator(f"#q-{question}-input").fill(str(number))


def total(page: Page, recipient: str = "enterprise"):
    return page.locator(f'#calc-results[data-state="done"] .calc-group[data-recipient="{recipient}"] .calc-total')


def small_enterprise_three_graduates(page: Page) -> None:
    choose(page, "role", "enterprise")
    choose(page, "enterprise_size", "small")
    fill(page, "graduates_hired", 3)


def wait_result_for(page: Page, answers: dict, order: dict[str, int]) -> None:
    """Wait until the result shown is the one for exactly `answers` (the share link, written with
    each evaluation request, holds them all), not one for an earlier, partial set of answers."""
    pairs = [(q, str(v).lower() if isinstance(v, bool) else str(v)) for q, v in sorted(answers.items(), key=lambda a: order[a[0]])]
    expect(page.locator("#calc-share-link")).to_have_value(re.compile(re.escape("#" + urlencode(pairs)) + "$"))
    expect(page.locator('#calc-results[data-state="done"]')).to_be_attached()


def seed_kept_snapshot(page: Page, kept: tuple[str, Path], kept_origin: str, origin: str) -> None:
    """Put the kept snapshot (kept_snapshot's, made on kept_origin) in the Cache Storage of the
    page's context for `origin`, from a stand-in page of that origin, as a first visit there
    would have left it."""
    key, body = kept
    key = origin + key.removeprefix(kept_origin)
    seed = origin + "/__kept_snapshot__"
    page.route(seed, lambda route: route.fulfill(status=200, body="<!doctype html><title>seed</title>",
                                                 content_type="text/html"))
    page.route(seed + "/body", lambda route: route.fulfill(status=200, path=body,
                                                           content_type="application/octet-stream"))
    page.goto(seed)
    page.evaluate("""async ([name, key, url]) => {
        const gz = (await fetch(url)).body.pipeThrough(new DecompressionStream("gzip"));
        const body = await new Response(gz).arrayBuffer();
        const cache = await caches.open(name);
        await cache.put(key, new Response(body, {headers: {"Content-Type": "application/octet-stream"}}));
    }""", [snapshot_cache(), key, seed + "/body"])
    page.unroute(seed)
    page.unroute(seed + "/body")
