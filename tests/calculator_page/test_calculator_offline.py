"""The service worker: guide pages fetch nothing of Pyodide; after a first visit of the list page
it checks a list with the server stopped; a new deployment replaces the cached rules. The
calculator's own first visit through offline use, in both languages, is
tests/site/test_site_console.py."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from scripts.bundle import precompress
from calc_page_helpers import (PY_TIMEOUT, SITE_DIR, TOTAL_TEXT, calculator_path, seed_kept_snapshot,
                               small_enterprise_three_graduates, total, wait_ready)
from request_check import assert_only_local

OFFLINE_READY = '#calc[data-offline="ready"]'


def _context(browser: Browser, base_url: str, seen: list[str]) -> BrowserContext:
    context = browser.new_context(base_url=base_url, service_workers="allow", locale="zh-CN")
    context.on("request", lambda r: seen.append(r.url))
    return context


def test_guide_pages_fetch_no_pyodide(browser: Browser, base_url: str) -> None:
    seen: list[str] = []
    context = _context(browser, base_url, seen)
    try:
        page = context.new_page()
        with context.expect_event("serviceworker", timeout=30_000):
            page.goto("/")
        page.goto("/en/")
        page.goto("/measures/employment-entrepreneurship-subsidies/")
        expect(page.locator("h1")).to_be_visible()
        page.wait_for_timeout(1500)  # give a misbehaving worker time to fetch
    finally:
        context.close()
    assert any(u.endswith("/sw.js") for u in seen)
    assert not [u for u in seen if "/assets/pyodide/" in u or u.endswith(".whl") or "/rules." in u], seen
    assert_only_local(seen, base_url)


def test_list_page_checks_a_list_offline_after_first_visit(browser: Browser, site_server, base_url: str, tmp_path: Path,
                                                           kept_snapshot) -> None:
    """A visitor who has used the calculator (its snapshot kept: the list page's worker restores
    it) opens the list page once; then, with the server stopped, checks a list on it."""
    seen: list[str] = []
    context = _context(browser, base_url, seen)
    rows = ["姓名,人员类别,是否免费介绍,用人单位是否在本市,是否签订期限超过1年的劳动合同,是否按规定缴纳社会保险费,劳动合同签订日期",
            "张三,离校未就业高校毕业生,是,是,是,是,2026/3/1", "李四,城镇登记失业人员,是,是,否,是,2026/3/1",
            "王五,城镇登记失业人员,是,是,是,是,2026/3/1"]
    try:
        page = context.new_page()
        seed_kept_snapshot(page, kept_snapshot, base_url, base_url)
        page.goto("/calculator/list/#list=placements")
        page.wait_for_selector('#lc[data-phase="ready"]', state="attached", timeout=PY_TIMEOUT)
        expect(page.locator("#lc")).to_have_attribute("data-python-start", "snapshot")
        page.wait_for_selector('#lc[data-offline="ready"]', state="attached", timeout=60_000)
        expect(page.locator("#lc-offline-note")).to_have_text("名单检查工具已保存在本设备上，无网络时也可使用。")
        site_server.stop()
        try:
            page.reload()
            page.locator('#q-agency_qualified input[value="true"]').check()
            page.wait_for_selector('#lc[data-phase="ready"], #lc[data-phase="failed"]', state="attached", timeout=PY_TIMEOUT)
            expect(page.locator("#lc")).to_have_attribute("data-phase", "ready")
            page.set_input_files("#lc-file", files=[{"name": "名单.csv", "mimeType": "text/csv",
                                                     "buffer": ("\r\n".join(rows) + "\r\n").encode("gb18030")}])
            page.wait_for_selector('#lc[data-phase="done"]', state="attached", timeout=30_000)
            expect(page.locator("#lc-totals")).to_contain_text("622元")
            expect(page.locator("#lc-totals")).to_contain_text("2人")
            # the template is kept too, for a visitor who starts a list offline
            with page.expect_download() as info:
                page.click("#lc-list-placements a.lc-template")
            template = tmp_path / "template.csv"
            info.value.save_as(template)
            assert template.read_bytes().decode("utf-8-sig").startswith("姓名 / Name,人员类别 / Category,")
        finally:
            site_server.start()
    finally:
        context.close()
    assert_only_local(seen, base_url)


@pytest.fixture()
def deployable_site(tmp_path: Path, site_server) -> Iterator[tuple[object, Path]]:
    """A private copy of the built site, served on its own port, that a test may redeploy."""
    copy = tmp_path / "site"
    shutil.copytree(SITE_DIR, copy)
    server = type(site_server)(copy)  # conftest's server: nginx
    server.start()
    yield server, copy
    server.stop()


def test_new_deployment_replaces_cached_rules(browser: Browser, deployable_site, kept_snapshot, base_url: str) -> None:
    """A returning visitor (the first visit's snapshot kept) after a deployment of new rules."""
    from scripts.bundle import calculator_assets

    server, site = deployable_site
    seen: list[str] = []
    context = _context(browser, server.url, seen)
    try:
        page = context.new_page()
        seed_kept_snapshot(page, kept_snapshot, base_url, server.url)
        page.goto(calculator_path("en"))
        wait_ready(page)
        expect(page.locator("#calc")).to_have_attribute("data-python-start", "snapshot")
        page.wait_for_selector(OFFLINE_READY, state="attached", timeout=60_000)
        old = page.get_attribute("#calc", "data-rules-version")

        # Deploy new rules: the same bundle with a new version and a changed disclaimer.
        calc = site / "assets" / "calculator"
        manifest = json.loads((calc / "manifest.json").read_text(encoding="utf-8"))
        bundle = json.loads((calc / manifest["rules"]).read_text(encoding="utf-8"))
        new = "feedface0001"
        bundle["version"] = new
        (calc / f"rules.{new}.json").write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
        (calc / manifest["rules"]).unlink()
        manifest.update(version=new, rules=f"rules.{new}.json")
        (calc / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        old_sw = (site / "sw.js").read_text(encoding="utf-8")
        calculator_assets.write_service_worker(site, serving=False)
        assert (site / "sw.js").read_text(encoding="utf-8") != old_sw  # new cache name
        precompress.precompress(site)  # as `make site` would: nginx sends the .br/.gz copies

        page.reload()
        wait_ready(page)
        assert old != new
        # the kept snapshot holds the old rules: Python starts the ordinary way with the new ones
        expect(page.locator("#calc")).to_have_attribute("data-python-start", "ordinary")
        expect(page.locator("#calc")).to_have_attribute("data-rules-version", new)
        expect(page.locator("#calc-status")).to_contain_text(new)
        small_enterprise_three_graduates(page)
        expect(total(page)).to_have_text(TOTAL_TEXT["en"])
        expect(page.locator(".calc-applied")).to_contain_text(new)
    finally:
        context.close()
    assert_only_local(seen, server.url)
