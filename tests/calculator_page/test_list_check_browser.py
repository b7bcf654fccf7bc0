"""The "check a list" page in Chromium against the built site: a list read from a file the way
Excel saves it is checked by the real Pyodide, row by row, with the totals the calculator gives;
nothing is requested while the list is read and checked, nothing is stored, the results download
as a CSV Excel opens, and bad files get a clear message."""
from __future__ import annotations

import pytest
from playwright.sync_api import FilePayload, Page, expect

from axe_check import axe_violations, report
from calc_page_helpers import PY_TIMEOUT

HEADERS = {
    "zh": "姓名,人员类别,是否免费介绍,用人单位是否在本市,是否签订期限超过1年的劳动合同,是否按规定缴纳社会保险费,劳动合同签订日期",
    "en": "Name,Category,Placed free of charge,Employer in this city,Labour contract of more than 1 year,"
          "Social insurance paid according to regulations,Date the contract was signed",
}
ROWS = ["张三,离校未就业高校毕业生,是,是,是,是,2026/3/1",
        "李四,城镇登记失业人员,是,是,否,是,2026年3月1日",
        "王五,城镇登记失业人员,Y,yes,是,是,2026-03-01",
        "赵六,城镇登记失业人员,也许,是,是,是,"]
TOTAL = {"zh": "622元", "en": "622 yuan"}
BAD_CELL = {"zh": "第5行“是否免费介绍”：“也许”不是“是”或“否”", "en": "Row 5, “Placed free of charge”: “也许” is not yes or no"}


def _open(page: Page, lang: str) -> None:
    page.goto(("/en" if lang == "en" else "") + "/calculator/list/#list=placements")
    expect(page.locator("#lc-list-placements")).to_be_visible()
    page.locator('#q-agency_qualified input[value="true"]').check()
    page.wait_for_selector('#lc[data-phase="ready"], #lc[data-phase="failed"]', state="attached", timeout=PY_TIMEOUT)
    assert page.get_attribute("#lc", "data-phase") == "ready", page.inner_text("#lc-status")


def _pick(page: Page, name: str, data: bytes, mime: str = "text/csv") -> None:
    page.set_input_files("#lc-file", files=[FilePayload(name=name, mimeType=mime, buffer=data)])


def _done(page: Page) -> None:
    page.wait_for_selector('#lc[data-phase="done"]', state="attached", timeout=30_000)


@pytest.mark.later_visit
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_gb18030_list_checked_in_the_browser_without_a_request(page: Page, requests_seen: list[str], lang: str) -> None:
    _open(page, lang)
    before = len(requests_seen)
    data = ("\r\n".join([HEADERS[lang], *ROWS]) + "\r\n").encode("gb18030")   # Excel's "CSV" in China
    _pick(page, "名单.csv", data)
    _done(page)
    assert requests_seen[before:] == [], f"requests while the list was read and checked: {requests_seen[before:]}"
    expect(page.locator("#lc-totals")).to_contain_text(TOTAL[lang])
    expect(page.locator("#lc-totals")).to_contain_text("2人" if lang == "zh" else "2 people")
    expect(page.locator("#lc-problems")).to_contain_text(BAD_CELL[lang])
    page.wait_for_selector("#lc-rows[data-drawn]", state="attached")
    statuses = page.locator(".lc-table tbody tr").evaluate_all("rows => rows.map(r => r.className)")
    assert statuses == ["lc-row-counted", "lc-row-not_counted", "lc-row-counted", "lc-row-error"]
    # the result and its reasons come first in a row; no stray text where a pager is not needed
    first = page.locator(".lc-table tbody tr").first
    expect(first.locator("td").first).to_have_class("lc-result")
    assert "null" not in page.inner_text("#lc-rows")
    # on a phone each row is a card no wider than the screen
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert first.evaluate("r => getComputedStyle(r).display") == "block"
    page.set_viewport_size({"width": 1280, "height": 800})
    # nothing of the list is kept by the page: no storage, no cache entry, no database
    stored = page.evaluate("""async () => ({
        local: localStorage.length, session: sessionStorage.length,
        dbs: indexedDB.databases ? (await indexedDB.databases()).length : 0,
        cached: (await Promise.all((await caches.keys()).map(async (k) =>
            (await (await caches.open(k)).keys()).map((r) => r.url)))).flat()
            .filter((u) => !u.startsWith(location.origin + "/") || /\\.csv$/.test(u)),
    })""")
    assert stored == {"local": 0, "session": 0, "dbs": 0, "cached": []}, stored


def test_results_download_keeps_every_column_and_opens_in_excel(started_list, tmp_path) -> None:
    page = started_list("zh")
    _pick(page, "list.csv", ("\ufeff" + "\n".join([HEADERS["zh"] + ",备注", *[r + ",x" for r in ROWS]])).encode("utf-8"))
    _done(page)
    with page.expect_download() as info:
        page.click("#lc-download")
    path = tmp_path / "out.csv"
    info.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == HEADERS["zh"] + ",备注,行号,检查结果,计入,说明"
    assert lines[1].startswith(ROWS[0] + ",x,2,计入,职业介绍补贴")
    assert len(lines) == 1 + len(ROWS)
    expect(page.locator("#lc-summary")).to_contain_text("备注")   # the extra column is named, and kept


BAD_FILES = {
    "book.xlsx": (b"PK\x03\x04" + b"\0" * 100, "Excel 工作簿（.xlsx）"),
    "big.csv": (None, "50.0MB"),   # 50 MB: refused before it is read
    "headings.csv": ("姓名,年龄\n张三,30\n".encode("utf-8"), "缺少以下列"),
    "broken.csv": (b"\xff\xfe" + b"\x00\xd8" * 10, "无法把这个文件读成文字"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_get_a_clear_message(started_list, tmp_path, name: str) -> None:
    data, message = BAD_FILES[name]
    page = started_list("zh")
    if data is None:
        path = tmp_path / name
        with path.open("wb") as f:
            f.truncate(50 * 1024 * 1024)
        page.set_input_files("#lc-file", str(path))
    else:
        _pick(page, name, data)
    _done(page)
    expect(page.locator("#lc-status")).to_contain_text(message)
    # the page still answers: a good file is checked next
    _pick(page, "ok.csv", ("\n".join([HEADERS["zh"], ROWS[0]])).encode("utf-8"))
    page.wait_for_selector("#lc-totals >> text=311元", timeout=30_000)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_axe_violations_with_results_shown(started_list, lang: str) -> None:
    page = started_list(lang)
    _pick(page, "list.csv", ("\n".join([HEADERS[lang], *ROWS])).encode("utf-8"))
    _done(page)
    violations = axe_violations(page)
    assert not violations, report(violations)


def test_a_long_list_is_drawn_in_part_and_downloaded_whole(started_list, tmp_path) -> None:
    page = started_list("zh")
    rows = [ROWS[i % 3] for i in range(2500)]
    _pick(page, "long.csv", ("\n".join([HEADERS["zh"], *rows])).encode("gb18030"))
    _done(page)
    expect(page.locator("#lc-rows")).to_contain_text("下表显示前2000行（共2500行）")
    # one page of 100 rows at a time, so that laying the table out never blocks the page
    page.wait_for_selector('#lc-rows[data-drawn="100"]', state="attached")
    expect(page.locator(".lc-pager")).to_contain_text("第1–100行（表中共2000行）")
    assert page.locator(".lc-table tbody tr").count() == 100
    expect(page.locator("#lc-previous")).to_be_disabled()
    page.click("#lc-next")
    expect(page.locator(".lc-pager")).to_contain_text("第101–200行（表中共2000行）")
    expect(page.locator(".lc-table tbody tr").first.locator("th")).to_have_text("102")   # file line 102: row 101
    for _ in range(18):
        page.click("#lc-next")
    expect(page.locator(".lc-pager")).to_contain_text("第1901–2000行")
    expect(page.locator("#lc-next")).to_be_disabled()
    page.click("#lc-previous")
    expect(page.locator(".lc-pager")).to_contain_text("第1801–1900行")
    expect(page.locator("#lc-totals")).to_contain_text(f"{1667 * 311}元")   # rows 1 and 3 of every 3 count
    with page.expect_download() as info:
        page.click("#lc-download")
    path = tmp_path / "out.csv"
    info.value.save_as(path)
    assert len(path.read_bytes().decode("utf-8-sig").splitlines()) == 1 + 2500


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_downloaded_template_filled_in_is_checked(started_list, tmp_path, lang: str) -> None:
    page = started_list(lang)
    with page.expect_download() as info:
        page.click("#lc-list-placements a.lc-template")
    assert info.value.suggested_filename == "placements.csv"
    path = tmp_path / "placements.csv"
    info.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")   # UTF-8 with a BOM: Excel opens it as UTF-8
    heading = data.decode("utf-8-sig").splitlines()[0]
    assert heading.startswith("姓名 / Name,人员类别 / Category,"), heading
    # filled in as Excel saves it in China, and checked
    filled = data.decode("utf-8-sig").rstrip("\r\n") + "\r\n" + "\r\n".join(ROWS[:3]) + "\r\n"
    _pick(page, "placements.csv", filled.encode("gb18030"))
    _done(page)
    expect(page.locator("#lc-totals")).to_contain_text(TOTAL[lang])
