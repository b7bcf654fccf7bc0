"""The service worker: guide pages fetch nothing of Pyodide; after a first visit of the list page
it checks a list with the server stopped; a redeploy never mixes two versions in a page and keeps
the offline claim true (new code, texts and rules replace the cached ones whole). The
calculator's own first visit through offline use, in both languages, is
tests/site/test_site_console.py."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, FilePayload, expect

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
            page.set_input_files("#lc-file", files=[FilePayload(name="名单.csv", mimeType="text/csv",
                                                                buffer=("\r\n".join(rows) + "\r\n").encode("gb18030"))])
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


SITE_CACHE = re.compile(r'SITE_CACHE="(site-[0-9a-f]+)"')
FOLDER = re.compile(r"/assets/calculator/(v-[0-9a-f]+)/")
READY_TEXT = "测算工具已就绪。"
HOME_TITLE = "就业政策办事指南"


def redeploy(site: Path, tag: str, rules: str | None = None) -> str:
    """A new version of `site`, deployed in place as `make site` would build it: the calculator's
    modules changed (a new deployment folder), new rules when `rules` names their version, the
    texts of the pages changed (the calculator's "ready" and the home page's title end with
    `tag`), a new service worker. The previous deployment's hashed files stay, as publishing
    keeps them. Returns the new folder's name."""
    from scripts.bundle import calculator_assets

    calc = site / "assets" / "calculator"
    top = json.loads((calc / "manifest.json").read_text(encoding="utf-8"))
    old = top["folder"].rstrip("/")
    own = json.loads((calc / old / "manifest.json").read_text(encoding="utf-8"))
    if rules:
        bundle = json.loads((calc / top["rules"]).read_text(encoding="utf-8"))
        bundle["version"] = rules
        (calc / f"rules.{rules}.json").write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
        top.update(version=rules, rules=f"rules.{rules}.json")
        own.update(version=rules, rules=f"../rules.{rules}.json")
    new = "v-" + hashlib.sha256(f"{old} {tag}".encode()).hexdigest()[:12]
    shutil.copytree(calc / old, calc / new, ignore=shutil.ignore_patterns("*.br", "*.gz"))
    for module in (calc / new).glob("*.js"):
        module.write_text(module.read_text(encoding="utf-8") + f"\n// deployment {tag}\n", encoding="utf-8")
    (calc / new / "manifest.json").write_text(json.dumps(own), encoding="utf-8")
    top["folder"] = new + "/"
    (calc / "manifest.json").write_text(json.dumps(top), encoding="utf-8")
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        html = re.sub(READY_TEXT + r'[^"<]*', READY_TEXT + tag, html.replace(f"/{old}/", f"/{new}/"))
        page.write_text(re.sub(f">{HOME_TITLE}[^<]*</h1>", f">{HOME_TITLE}{tag}</h1>", html), encoding="utf-8")
    calculator_assets.write_service_worker(site, serving=False)
    precompress.precompress(site)  # as `make site` would: nginx sends the .br/.gz copies
    return new


def test_a_redeploy_never_mixes_two_versions_and_the_offline_claim_holds(browser: Browser, deployable_site,
                                                                          kept_snapshot, base_url: str) -> None:
    """A visitor whose calculator is kept for offline use on version 1; version 2 (new code, texts
    and rules) is deployed; the visitor comes back online to the home page only, then reloads the
    calculator offline; version 3 (new code and texts) is deployed; the visitor comes back online
    to the calculator, then reloads it and the home page offline. At every step the code, the rules
    and the texts come from one version, and "works without a connection" holds."""
    server, site = deployable_site
    seen: list[str] = []
    context = _context(browser, server.url, seen)

    def folders_since(mark: int) -> set[str]:
        return {m.group(1) for u in seen[mark:] if (m := FOLDER.search(u))}

    def rules_since(mark: int) -> set[str]:
        return {u.rsplit("/", 1)[1] for u in seen[mark:] if re.search(r"/rules\.[^/]+\.json$", u)}

    def active_cache(page) -> None:
        """Wait until the deployment's service worker is in charge: its cache is the only site cache."""
        found = SITE_CACHE.search((site / "sw.js").read_text(encoding="utf-8"))
        assert found is not None, "sw.js names its cache"
        wanted = found.group(1)
        for _ in range(240):
            names = page.evaluate("async () => (await caches.keys()).filter((n) => n.startsWith('site-'))")
            if names == [wanted]:
                return
            page.wait_for_timeout(250)
        raise AssertionError(f"the new service worker did not take over: {names}, not {wanted}")

    def calculator_shows(page, tag: str, folder: str, rules: str, mark: int) -> None:
        wait_ready(page)
        expect(page.locator("#calc-phase")).to_have_text(f"{READY_TEXT}{tag}")
        expect(page.locator("#calc")).to_have_attribute("data-rules-version", rules)
        small_enterprise_three_graduates(page)
        expect(total(page)).to_have_text(TOTAL_TEXT["zh"])
        expect(page.locator(".calc-applied")).to_contain_text(rules)  # the rules this result used
        assert folders_since(mark) == {folder} and rules_since(mark) <= {f"rules.{rules}.json"}

    try:
        page = context.new_page()
        seed_kept_snapshot(page, kept_snapshot, base_url, server.url)
        v1 = json.loads((site / "assets/calculator/manifest.json").read_text(encoding="utf-8"))
        mark = len(seen)
        page.goto(calculator_path("zh"))
        calculator_shows(page, "", v1["folder"].rstrip("/"), v1["version"], mark)
        page.wait_for_selector(OFFLINE_READY, state="attached", timeout=60_000)
        page.goto("/")
        expect(page.locator("h1")).to_have_text(HOME_TITLE)

        # version 2; the visitor comes back online to the home page only
        v2 = redeploy(site, "二", rules="feedface0002")
        mark = len(seen)
        page.goto("/")
        expect(page.locator("h1")).to_have_text(HOME_TITLE + "二")
        active_cache(page)  # it kept the calculator of version 2 before it took over
        assert folders_since(mark) <= {v2}
        server.stop()
        try:  # offline: the calculator of version 2, whole
            mark = len(seen)
            page.goto(calculator_path("zh"))
            calculator_shows(page, "二", v2, "feedface0002", mark)
            page.wait_for_selector(OFFLINE_READY, state="attached", timeout=60_000)
            expect(page.locator("#calc-phase-note")).to_have_text("测算工具已保存在本设备上，无网络时也可使用。")
        finally:
            server.start()

        # version 3; the visitor comes back online to the calculator
        v3 = redeploy(site, "三")
        mark = len(seen)
        page.reload()
        calculator_shows(page, "三", v3, "feedface0002", mark)
        page.wait_for_selector(OFFLINE_READY, state="attached", timeout=60_000)
        active_cache(page)
        server.stop()
        try:  # offline: what the page said it kept is there, and the home page is version 3's
            mark = len(seen)
            page.reload()
            calculator_shows(page, "三", v3, "feedface0002", mark)
            page.wait_for_selector(OFFLINE_READY, state="attached", timeout=60_000)
            page.goto("/")
            expect(page.locator("h1")).to_have_text(HOME_TITLE + "三")
        finally:
            server.start()
    finally:
        context.close()
    assert_only_local(seen, server.url)


def test_offline_every_link_of_a_result_and_the_page_the_visit_came_from(browser: Browser, site_server, base_url: str,
                                                                         kept_snapshot) -> None:
    """A visitor comes from a measure page, gets a result and is told the calculator is kept; with
    the server stopped, every link of the result opens, as do the page the visit came from, the
    other language's calculator and the list page; a page not kept says so and links to what is."""
    seen: list[str] = []
    context = _context(browser, base_url, seen)
    try:
        page = context.new_page()
        seed_kept_snapshot(page, kept_snapshot, base_url, base_url)
        start = "/measures/job-placement-subsidy/"
        page.goto(start)
        page.locator("a.calculator-link").click()
        wait_ready(page)
        small_enterprise_three_graduates(page)
        expect(total(page)).to_have_text(TOTAL_TEXT["zh"])
        page.wait_for_selector(OFFLINE_READY, state="attached", timeout=60_000)
        links = sorted({href for a in page.locator("#calc-results a[href]").all() if (href := a.get_attribute("href"))})
        assert len(links) >= 3, links
        wanted = links + [start, "/en/calculator/", "/calculator/list/", "/en/calculator/list/", "/"]
        # the pages are kept while the visitor reads the result
        page.wait_for_function("""async (paths) => {
            for (const path of paths) {
                const url = new URL(path, location.href).href;
                let found = false;
                for (const name of await caches.keys()) if (await (await caches.open(name)).match(url)) found = true;
                if (!found) return false;
            }
            return true;
        }""", arg=wanted, timeout=60_000, polling=500)
        site_server.stop()
        try:
            for path in wanted:
                page.goto(path)
                expect(page.locator("h1")).to_be_visible()
                assert "此页面尚未保存" not in page.content(), path
            page.goto("/audiences/colleges/")  # never visited, not linked from the result
            expect(page.locator("body")).to_contain_text("此页面尚未保存在本设备上")
            kept = page.locator("li a")
            assert kept.count() >= len(wanted)
            page.locator("li a", has_text="鼓励中介机构帮助返岗就业").first.click()
            expect(page.locator("h1")).to_be_visible()
        finally:
            site_server.start()
    finally:
        context.close()
    assert_only_local(seen, base_url)
