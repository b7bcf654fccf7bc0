"""The calculator page in Chromium, against the built site: Pyodide computes the answer a visitor
reads, in both languages, from a share link, by keyboard only, and fails visibly and safely."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Page, expect

from calc_page_helpers import (
    PY_TIMEOUT, SITE_DIR, SNAPSHOT_KEPT, TOTAL_TEXT, calculator_path, choose, deployment_folder, fill, small_enterprise_three_graduates,
    snapshot_cache, total, wait_ready,
)
from request_check import Downloads

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-results" / "calculator-page"


def _watch_console(page: Page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" and "Content Security Policy" in m.text else None)
    page.on("console", lambda m: problems.append(m.text) if "Refused to" in m.text else None)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    return problems


@pytest.mark.parametrize("lang", ["zh", pytest.param("en", marks=pytest.mark.later_visit)])  # a first and a later visit
def test_small_enterprise_three_graduates(page: Page, lang: str) -> None:
    problems = _watch_console(page)
    wasm = Downloads(page.context, "/pyodide/pyodide.asm.wasm")
    page.goto(calculator_path(lang))
    # the form is there and usable before Python has started
    expect(page.locator("#q-role")).to_be_visible()
    expect(page.locator("#q-graduates_hired")).to_be_hidden()
    small_enterprise_three_graduates(page)
    expect(page.locator("#q-is_college_graduate")).to_be_hidden()
    wait_ready(page)
    expect(total(page)).to_have_text(TOTAL_TEXT[lang], timeout=10_000)
    item = page.locator('.calc-item[data-benefit="graduate-hiring-award"]')
    expect(item).to_contain_text("3")
    expect(item.locator(".calc-arithmetic")).to_contain_text(TOTAL_TEXT[lang])
    expect(item.locator("a")).to_have_attribute("href", re.compile(r"measures/employment-entrepreneurship-subsidies/$"))
    version = page.get_attribute("#calc", "data-rules-version")
    # the rules version only where it helps: the small line under the results (and so in print)
    assert version and version not in page.inner_text("#calc-status") and version in page.inner_text(".calc-applied")
    # the link to the measure page is right for this language
    href = item.locator("a").get_attribute("href")
    assert href is not None and href.startswith("/en/") == (lang == "en"), href
    # Pyodide's WebAssembly came once (boot.js's head start, then Pyodide's own request from the
    # browser's cache): the same on this "later" visit, whose service worker has not kept it
    assert wasm.bytes() == (SITE_DIR / "assets" / "pyodide" / "pyodide.asm.wasm.br").stat().st_size
    page.goto(href)
    expect(page.locator("h1")).to_be_visible()
    assert not problems, problems


def test_role_from_measure_page_link(page: Page) -> None:
    page.goto(calculator_path("zh", "#role=enterprise"))
    expect(page.locator('#q-role input[value="enterprise"]')).to_be_checked()
    expect(page.locator("#q-enterprise_size")).to_be_visible()
    expect(page.locator("#q-employment")).to_be_hidden()
    expect(page.locator("#calc-notice")).to_be_hidden()  # one known answer: nothing to report


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_share_link_restores_the_same_result(started_calculator, lang: str) -> None:
    page = started_calculator(lang)
    small_enterprise_three_graduates(page)
    choose(page, "offers_internships", "true")
    expect(page.locator("#calc-share-link")).to_have_value(re.compile("offers_internships=true$"))
    expect(page.locator('#calc-results[data-state="done"]')).to_be_attached()  # for every answer
    expect(total(page)).to_have_text(TOTAL_TEXT[lang])
    link = page.input_value("#calc-share-link")
    fragment = link.split("#", 1)[1]
    assert fragment == "role=enterprise&enterprise_size=small&graduates_hired=3&offers_internships=true"
    assert "?" not in link  # answers only in the fragment, never in what goes to a server
    results = page.inner_text("#calc-results")

    other = page.context.new_page()  # a new tab of the same visitor: Python restored from the kept snapshot
    other.goto(link)
    wait_ready(other)
    expect(total(other)).to_have_text(TOTAL_TEXT[lang])
    expect(other.locator("#q-graduates_hired-input")).to_have_value("3")
    assert other.inner_text("#calc-results") == results
    other.close()


def test_hostile_fragment_is_ignored(started_calculator) -> None:
    page = started_calculator("zh").context.new_page()  # a new tab of a visitor who has used it
    try:
        _hostile_fragment_is_ignored(page)
    finally:
        page.close()


def _hostile_fragment_is_ignored(page: Page) -> None:
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.goto(calculator_path("zh", "#role=<img src=x onerror=alert(1)>&evil=<script>alert(2)</script>&graduates_hired=1e9"))
    expect(page.locator("#calc-notice")).to_be_visible()
    expect(page.locator("#calc-notice")).to_contain_text("3")  # three items ignored, none echoed
    assert page.locator("#calc img, #calc script:not([type='application/json'])").count() == 0
    assert page.locator("#q-role input:checked").count() == 0
    assert "onerror" not in page.inner_text("#calc")
    wait_ready(page)
    assert not dialogs

    page.goto(calculator_path("en", "#role=enterprise&x=" + "a" * 3000))
    expect(page.locator("#calc-notice")).to_have_text(re.compile("too long"))
    assert page.locator("#q-role input:checked").count() == 0


# Python's memory snapshot, made in this browser after a first ordinary start (pyodide_start.js)
# and kept in Cache Storage without its pages of zeros (snapshot.js).
START = "data-python-start"


@pytest.mark.later_visit
@pytest.mark.parametrize("kept", ["not a kept snapshot", "not a snapshot"])
def test_an_unusable_snapshot_gives_an_ordinary_start_and_is_replaced(page: Page, kept: str) -> None:
    """The snapshot only makes a later start faster: a damaged one costs nothing but that. The
    kept one (put there as a first visit keeps it) is damaged before the visit; the ordinary start
    keeps a good one, and the next visit restores Python from it."""
    problems = _watch_console(page)
    page.evaluate("""async ([kind, name]) => {
        const cache = await caches.open(name);
        const [key] = await cache.keys();
        let body = new TextEncoder().encode('not a memory snapshot '.repeat(100000));
        if (kind === 'not a snapshot') { // kept the way snapshot.js keeps one, but not Python's memory
            const memory = body.subarray(0, 2 ** 20);
            body = new Uint8Array(16 + 8 + memory.length);
            body.set(new TextEncoder().encode('PYSNAP1\\n'));
            const view = new DataView(body.buffer);
            view.setUint32(8, memory.length, true);
            view.setUint32(12, 1, true);
            view.setUint32(20, memory.length, true);
            body.set(memory, 24);
        }
        await cache.put(key, new Response(body));
    }""", [kept, snapshot_cache()])
    page.goto(calculator_path("en"))
    small_enterprise_three_graduates(page)
    wait_ready(page)
    expect(page.locator("#calc")).to_have_attribute(START, "ordinary")
    expect(total(page)).to_have_text(TOTAL_TEXT["en"], timeout=10_000)
    page.wait_for_selector(SNAPSHOT_KEPT, state="attached")  # a good one in its place
    page.reload()
    small_enterprise_three_graduates(page)
    wait_ready(page)
    expect(page.locator("#calc")).to_have_attribute(START, "snapshot")
    expect(total(page)).to_have_text(TOTAL_TEXT["en"], timeout=10_000)
    assert not problems, problems


def test_another_pyodide_than_the_pinned_one_gets_no_snapshot(page: Page) -> None:
    """Snapshots belong to one Pyodide build: a site whose manifest pins another version (a host
    serving a mix of two deployments) starts Python the ordinary way and keeps no snapshot, so
    the next visit starts the ordinary way too."""
    manifest = json.loads((deployment_folder() / "manifest.json").read_text(encoding="utf-8"))
    manifest["pyodide"] = "0.0.1"
    page.route("**/assets/calculator/v-*/manifest.json", lambda r: r.fulfill(json=manifest))
    page.goto(calculator_path("en"))
    small_enterprise_three_graduates(page)
    wait_ready(page)
    expect(page.locator("#calc")).to_have_attribute(START, "ordinary")
    expect(total(page)).to_have_text(TOTAL_TEXT["en"], timeout=10_000)
    page.wait_for_selector('#calc[data-snapshot="none"]', state="attached")  # none was made to keep
    kept = page.evaluate("async (name) => (await (await caches.open(name)).keys()).length", snapshot_cache())
    assert kept == 0


# what the message names: the stage and the file that failed
NAMED = {"wasm": "python: pyodide.asm.wasm: HTTP 404", "wasm unreachable": "python: pyodide.asm.wasm: no response",
         "stdlib": "python: python_stdlib.", "wheel": "wheel: ", "worker": "worker.js"}


# a broken wheel is found once Python has started: on a later visit (restored from the kept
# snapshot, which does not hold the wheel's files) as on a first, at a fifth of the cost
@pytest.mark.parametrize("broken", [pytest.param(b, marks=pytest.mark.later_visit) if b == "wheel" else b
                                    for b in NAMED])
def test_loading_failure_shows_a_message(page: Page, broken: str) -> None:
    if broken == "wasm":
        page.route("**/assets/pyodide/pyodide.asm.wasm", lambda r: r.fulfill(status=404, body="not found"))
    elif broken == "wasm unreachable":  # no answer at all, as when the connection drops
        page.route("**/assets/pyodide/pyodide.asm.wasm", lambda r: r.abort())
    elif broken == "stdlib":
        page.route("**/assets/pyodide/python_stdlib.*.zip", lambda r: r.fulfill(status=404, body="not found"))
    elif broken == "wheel":
        page.route("**/*.whl", lambda r: r.fulfill(status=200, body=b"this is not a zip file", content_type="application/octet-stream"))
    else:
        page.route("**/assets/calculator/v-*/worker.js", lambda r: r.fulfill(status=404, body="not found"))
    page.goto(calculator_path("zh"))
    choose(page, "role", "enterprise")
    page.wait_for_selector('#calc[data-phase="failed"]', state="attached", timeout=PY_TIMEOUT)
    failure = page.locator("#calc-failure")
    expect(failure).to_be_visible()
    expect(failure).to_contain_text("测算工具无法启动")
    expect(failure).to_contain_text(NAMED[broken])
    expect(failure.locator("a").first).to_have_attribute("href", "../")
    expect(page.locator("#calc-status")).to_be_hidden()
    expect(page.locator("#calc-results")).to_contain_text("测算工具无法启动")
    expect(page.locator("#q-enterprise_size")).to_be_visible()  # the page still works as a page


def test_keyboard_only(started_calculator) -> None:
    page = started_calculator("en")
    page.locator("h1").click()  # start from the page's heading, as a reader would
    for _ in range(40):
        if page.locator("#q-role input:focus").count():
            break
        page.keyboard.press("Tab")
    assert page.locator("#q-role input:focus").count(), "Tab never reached the first question"
    page.keyboard.press("Space")  # first option: an enterprise
    expect(page.locator('#q-role input[value="enterprise"]')).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.locator('#q-enterprise_size input[value="micro"]')).to_be_focused()
    page.keyboard.press("ArrowDown")  # micro -> small
    expect(page.locator('#q-enterprise_size input[value="small"]')).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.locator("#q-graduates_hired-input")).to_be_focused()
    page.keyboard.type("3")
    expect(total(page)).to_have_text(TOTAL_TEXT["en"])
    # a wrong answer is explained in place, in the page's language
    page.keyboard.press("Backspace")
    page.keyboard.type("-2")
    page.keyboard.press("Tab")
    expect(page.locator("#q-graduates_hired-error")).to_be_visible()
    expect(page.locator("#q-graduates_hired-error")).to_contain_text("from 0 to 100,000")
    expect(page.locator("#q-graduates_hired-input")).to_have_attribute("aria-invalid", "true")


def test_clearing_the_answers_while_a_result_is_computed_leaves_no_result(started_calculator) -> None:
    """"Clear all answers" pressed while the answer just left is being evaluated (leaving a field
    evaluates at once): the result that comes back afterwards is for answers no longer there, and
    the page keeps asking for the visitor's role instead of showing it."""
    page = started_calculator("en")
    choose(page, "role", "enterprise")
    choose(page, "enterprise_size", "small")
    field = page.locator("#q-graduates_hired-input")
    field.fill("3")
    expect(total(page)).to_have_text(TOTAL_TEXT["en"])
    field.fill("-2")
    page.keyboard.press("Tab")   # the field left: its error shown, the answers evaluated again
    expect(page.locator("#q-graduates_hired-error")).to_be_visible()
    page.click("#calc-reset")    # leaving the next field starts an evaluation, then the answers go
    expect(page.locator('#calc-results[data-state="empty"]')).to_be_attached()
    page.wait_for_timeout(500)   # time for that evaluation to come back
    expect(page.locator('#calc-results[data-state="empty"]')).to_be_attached()
    expect(page.locator("#calc-results .calc-group")).to_have_count(0)


def test_no_request_leaves_the_site_and_none_after_ready(started_calculator) -> None:
    # the whole start's requests stayed on the test server: started_calculator checks them all
    page = started_calculator("zh")
    requests_seen: list[str] = []
    page.on("request", lambda request: requests_seen.append(request.url))
    small_enterprise_three_graduates(page)
    expect(total(page)).to_have_text(TOTAL_TEXT["zh"])
    before = len(requests_seen)
    for n in (4, 5, 6, 7):
        fill(page, "graduates_hired", n)
        expect(total(page)).to_have_text(f"{n * 2111}元")
    choose(page, "role", "person")
    choose(page, "is_college_graduate", "true")
    expect(page.locator('#calc-results[data-state="done"]')).to_be_attached()
    assert requests_seen[before:] == [], requests_seen[before:]


def test_print_and_small_screen(started_calculator) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = started_calculator("zh")
    desktop = page.viewport_size
    try:
        _print_and_small_screen(page)
    finally:
        page.emulate_media(media="screen")
        page.set_viewport_size(desktop)


def _print_and_small_screen(page: Page) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    small_enterprise_three_graduates(page)
    expect(total(page)).to_have_text(TOTAL_TEXT["zh"])
    # nothing wider than the screen
    overflow = page.locator("#calc *").evaluate_all(
        "els => els.filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).map(e => e.tagName + '.' + e.className)")
    assert overflow == [], overflow
    page.screenshot(path=str(SHOTS / "zh-375.png"), full_page=True)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    expect(page.locator("#calc-form")).to_be_hidden()
    expect(page.locator(".md-header")).to_be_hidden()
    expect(page.locator("#calc-actions-heading")).to_be_hidden()
    expect(page.locator("#calc-answers")).to_be_visible()
    expect(page.locator("#calc-answers")).to_contain_text("小型企业")
    expect(page.locator("#calc-results .calc-total").first).to_be_visible()
    page.screenshot(path=str(SHOTS / "zh-print.png"), full_page=True)


def test_download_results_json(started_calculator) -> None:
    page = started_calculator("en")
    small_enterprise_three_graduates(page)
    expect(total(page)).to_have_text(TOTAL_TEXT["en"])
    with page.expect_download() as info:
        page.click("#calc-download")
    import json
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["answers"] == {"role": "enterprise", "enterprise_size": "small", "graduates_hired": 3}
    assert data["result"]["groups"][0]["total_text"] == "6,333 yuan"
    # the measures with their titles and statuses, as the page lists them (not positions in its table)
    five = next(m for m in data["result"]["measures"] if m["id"] == "employment-entrepreneurship-subsidies")
    assert (five["title"], five["status_text"], five["url"]) == \
        ("Employment and entrepreneurship subsidies", "Eligible", "/en/measures/employment-entrepreneurship-subsidies/")
    assert "measure_table" not in data["result"]
    assert data["rules_version"] == page.get_attribute("#calc", "data-rules-version")


def test_results_follow_each_change(started_calculator) -> None:
    """Each change is recomputed (how fast is measured by `make bench`, not asserted here)."""
    page = started_calculator("zh")
    choose(page, "role", "enterprise")
    choose(page, "enterprise_size", "small")
    fill(page, "graduates_hired", 1)
    expect(total(page)).to_have_text("2111元")
    for n in range(2, 12):
        fill(page, "graduates_hired", n)
        expect(total(page)).to_have_text(f"{n * 2111}元")


def test_without_webassembly_a_message_not_a_blank_page(page: Page) -> None:
    page.add_init_script("delete globalThis.WebAssembly")
    page.goto(calculator_path("en"))
    page.wait_for_selector('#calc[data-phase="failed"]', state="attached", timeout=30_000)
    expect(page.locator("#calc-failure")).to_contain_text("WebAssembly")
    expect(page.locator("#calc-failure a").first).to_be_visible()
    expect(page.locator("#q-role")).to_be_visible()


def test_guide_pages_and_search_work_under_the_csp(page: Page) -> None:
    problems = _watch_console(page)
    for path in ("/", "/en/", "/measures/employment-entrepreneurship-subsidies/", "/404.html", "/en/calculator/"):
        page.goto(path)
        expect(page.locator("body")).to_be_visible()
        assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1, path
    page.goto("/")
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").fill("补贴")
    page.keyboard.press("End")  # Material reacts to keyup
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=30_000)
    assert not problems, problems


def test_answer_limited_by_another_answer(started_calculator) -> None:
    page = started_calculator("zh")
    choose(page, "role", "hr_agency")
    choose(page, "agency_qualified", "true")
    fill(page, "placements_free", 5)
    fill(page, "placements_qualifying", 6)
    page.locator("#q-placements_qualifying-input").press("Tab")
    error = page.locator("#q-placements_qualifying-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("（5）")
    fill(page, "placements_qualifying", 5)
    expect(error).to_be_hidden()


def test_in_page_anchor_keeps_the_answers(started_calculator) -> None:
    page = started_calculator("zh")
    small_enterprise_three_graduates(page)
    expect(total(page)).to_have_text(TOTAL_TEXT["zh"])
    page.goto(calculator_path("zh", "#calc-results-heading"))  # same document: only a hashchange
    expect(page.locator("#calc-notice")).not_to_contain_text("忽略")
    expect(page.locator('#q-role input[value="enterprise"]')).to_be_checked()
    expect(total(page)).to_have_text(TOTAL_TEXT["zh"])


@pytest.mark.parametrize("lang, message", [("zh", "整数"), ("en", "whole number")])
@pytest.mark.parametrize("answer", ["-3", "2.5", "1e30", "99999999999999999999"])
def test_a_bad_head_count_gets_a_message_on_its_field(started_calculator, lang: str, message: str, answer: str) -> None:
    page = started_calculator(lang)
    choose(page, "role", "enterprise")
    choose(page, "enterprise_size", "small")
    fill(page, "graduates_hired", 2)
    expect(total(page)).to_have_text({"zh": "4222元", "en": "4,222 yuan"}[lang])
    fill(page, "graduates_hired", answer)
    page.locator("#q-graduates_hired-input").press("Tab")
    error = page.locator("#q-graduates_hired-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(message)
    expect(page.locator("#q-graduates_hired-input")).to_have_value(answer)  # nothing the visitor typed is lost
    fill(page, "graduates_hired", "3")
    expect(error).to_be_hidden()
    expect(total(page)).to_have_text(TOTAL_TEXT[lang])


def test_bad_answers_in_a_share_link_are_named_not_applied(started_calculator) -> None:
    page = started_calculator("en").context.new_page()  # a new tab of a visitor who has used it
    try:
        _bad_answers_are_named_not_applied(page)
    finally:
        page.close()


def _bad_answers_are_named_not_applied(page: Page) -> None:
    page.goto(calculator_path("en", "#role=enterprise&enterprise_size=huge&graduates_hired=-4&colour=blue"))
    wait_ready(page)
    expect(page.locator("#calc-notice")).to_be_visible()
    assert page.locator("#q-enterprise_size input:checked").count() == 0
    assert "<" not in page.inner_text("#calc-notice")


def test_a_number_field_holding_no_number_says_so_when_left(started_calculator) -> None:
    """"3e" is no number: the browser gives the field no value, and leaving it shows the error."""
    page = started_calculator("zh")
    choose(page, "role", "enterprise")
    field = page.locator("#q-graduates_hired-input")
    field.press_sequentially("3e")
    field.press("Tab")
    expect(page.locator("#q-graduates_hired-error")).to_have_text("请输入整数（不带小数点）。")
    expect(field).to_have_attribute("aria-invalid", "true")


@pytest.mark.parametrize("day", ["0000-01-01", "2026-02-30", "tomorrow"])
def test_a_share_links_date_that_cannot_be_used_is_named(started_calculator, day: str) -> None:
    page = started_calculator("zh").context.new_page()  # a new tab of a visitor who has used it
    try:
        page.goto(calculator_path("zh", f"#role=enterprise&enterprise_size=small&on={day}"))
        expect(page.locator("#calc-notice")).to_have_text(
            f"链接中的测算日期“{day}”无效，已按今天的日期测算。 已按链接中的回答填写。")
        expect(page.locator("#calc-share-link")).not_to_have_value(re.compile("on="))
    finally:
        page.close()
