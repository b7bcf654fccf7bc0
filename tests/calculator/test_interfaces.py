"""The browser entry points, the command line, and what the package must never contain."""
from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from policy_bundle import ROOT
from subsidy_calculator import __main__ as cli
from subsidy_calculator import browser

PACKAGE = ROOT / "calculator" / "src" / "subsidy_calculator"
DAY = "2026-11-26"
SMALL_3 = {"role": "enterprise", "enterprise_size": "small", "graduates_hired": 3}


@pytest.fixture()
def rules_file(_bundle, tmp_path: Path) -> Path:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(_bundle, ensure_ascii=False), encoding="utf-8")
    return path


# -- browser -------------------------------------------------------------------------------------

def test_browser_round_trip(rules_file: Path, _bundle) -> None:
    assert browser.load_rules(rules_file.read_text(encoding="utf-8")) == _bundle["version"]
    assert browser.rules_version() == _bundle["version"]  # what a restored snapshot reports
    out = json.loads(browser.evaluate_json(json.dumps({"answers": SMALL_3, "on": DAY, "lang": "en"})))
    award = next(i for g in out["groups"] for i in g["items"] if i["benefit_id"] == "graduate-hiring-award")
    assert (award["amount"], award["amount_text"], out["lang"], out["rules_version"]) == \
        (6333, "6,333 yuan", "en", _bundle["version"])


@pytest.mark.parametrize(("request_json", "codes"), [
    ("not json", ["invalid_json"]),
    ("[1, 2]", ["request"]),
    ('"answers"', ["request"]),
    ('{"answers": {"role": "enterprise"}, "when": "now"}', ["request_field"]),
    ('{"answers": [], "on": "tomorrow", "lang": "de"}', ["invalid_lang", "invalid_date", "not_an_object"]),
    ("[" * 100000, ["invalid_json"]),
    ('{"answers": {"graduates_hired": ' + "9" * 5000 + "}}", ["invalid_json"]),
])
def test_browser_broken_requests_give_structured_errors(rules_file: Path, request_json: str, codes) -> None:
    browser.load_rules(rules_file.read_text(encoding="utf-8"))
    out = json.loads(browser.evaluate_json(request_json))
    assert [e["code"] for e in out["errors"]] == codes
    assert all(e["message"] for e in out["errors"])
    # every measure is listed, or counted as being for other visitors ("另有3项措施……")
    shown = len(out["measures"])
    assert shown == 18 and out["other_measures"] is None or f"另有{18 - shown}项措施" in out["other_measures"]


def test_browser_messages_follow_the_language(rules_file: Path) -> None:
    browser.load_rules(rules_file.read_text(encoding="utf-8"))
    out = json.loads(browser.evaluate_json('{"answers": {}, "lang": "en", "later": 1}'))
    assert out["errors"][0]["message"] == "The request has a field “later” that is not recognised."


def test_browser_warm_up_requests_are_valid_requests_for_every_role(rules_file: Path, _bundle) -> None:
    browser.load_rules(rules_file.read_text(encoding="utf-8"))
    requests = [json.loads(r) for r in browser.warm_up_requests()]
    roles = {o["value"] for q in _bundle["questions"] if q["id"] == "role" for o in q["options"]}
    assert {(r["answers"]["role"], r["lang"]) for r in requests} == {(role, lang) for role in roles for lang in ("zh", "en")}
    for request in requests:
        assert json.loads(browser.evaluate_json(json.dumps(request)))["errors"] == []


def test_the_page_gets_the_first_cards_of_each_recipient_with_totals_over_all(rules_file: Path, rules) -> None:
    """browser_shape: a recipient's first cards (eligible first), how many there are, and the total
    of all of them; "show more" asks for more (`cards`), up to all of them."""
    browser.load_rules(rules_file.read_text(encoding="utf-8"))
    full = rules.evaluate(SMALL_3, DAY, "zh")
    everything = {g["recipient"]: g for g in full["groups"]}
    ask = {"answers": SMALL_3, "on": DAY, "lang": "zh"}
    first = json.loads(browser.evaluate_json(json.dumps({**ask, "cards": {"enterprise": 2}})))
    enterprise = next(g for g in first["groups"] if g["recipient"] == "enterprise")
    assert (enterprise["count"], len(enterprise["items"])) == (len(everything["enterprise"]["items"]), 2)
    assert (enterprise["total"], enterprise["total_text"]) == (everything["enterprise"]["total"], "6333元")
    assert [i["status"] for i in enterprise["items"]] == ["eligible", "may_be_eligible"]
    # with none of its cards sent, a recipient's total is still that of all of them
    none = json.loads(browser.evaluate_json(json.dumps({**ask, "cards": {"enterprise": 0}})))
    assert [(g["recipient"], len(g["items"]), g["total_text"]) for g in none["groups"]] == \
        [("enterprise", 0, "6333元"), ("graduate", 1, "2111元")]
    rank = ["eligible", "may_be_eligible", "needs_answers"]
    for more in (5, 100):  # "show more", then all
        page = json.loads(browser.evaluate_json(json.dumps({**ask, "cards": {"enterprise": more}})))
        shown = next(g for g in page["groups"] if g["recipient"] == "enterprise")
        assert len(shown["items"]) == min(more, shown["count"]) and shown["total_text"] == "6333元"
        assert shown["items"][:2] == enterprise["items"]
        assert [rank.index(i["status"]) for i in shown["items"]] == sorted(rank.index(i["status"]) for i in shown["items"])
    assert sorted(i["benefit_id"] for i in shown["items"]) == sorted(i["benefit_id"] for i in everything["enterprise"]["items"])


def test_the_page_gets_the_measure_table_once_and_the_measures_as_positions(rules_file: Path, rules) -> None:
    browser.load_rules(rules_file.read_text(encoding="utf-8"))
    ask = {"answers": SMALL_3, "on": DAY, "lang": "en"}
    first = json.loads(browser.evaluate_json(json.dumps(ask)))
    table = first["measure_table"]
    assert table["key"] == first["table"] and table["statuses"]["eligible"] == "Eligible"
    later = json.loads(browser.evaluate_json(json.dumps({**ask, "table": first["table"]})))
    assert "measure_table" not in later and later["measures"] == first["measures"]
    full = {m["id"]: m for m in rules.evaluate(SMALL_3, DAY, "en")["measures"]}
    for position, status, *reasons in later["measures"]:
        measure_id, _, notice_title, label, title, url = table["measures"][position]
        assert full[measure_id]["status"] == status and (full[measure_id]["title"], full[measure_id]["url"]) == (title, url)
        assert reasons == ([full[measure_id]["reasons"]] if status == "not_in_force" else [])
    assert table["measures"][4][3:5] == ["Eighteen employment measures · Measure 5",
                                         "Employment and entrepreneurship subsidies"]
    # another language, another table
    zh = json.loads(browser.evaluate_json(json.dumps({**ask, "lang": "zh", "table": first["table"]})))
    assert zh["measure_table"]["measures"][4][3:5] == ["稳就业十八条措施 · 第五条", "落实就业创业补贴"]


def test_cards_that_only_wait_for_skipped_questions_are_named_not_sent(rules_file: Path) -> None:
    browser.load_rules(rules_file.read_text(encoding="utf-8"))
    ask = {"answers": {"role": "enterprise"}, "on": DAY, "lang": "zh"}
    all_cards = json.loads(browser.evaluate_json(json.dumps(ask)))
    went_past = json.loads(browser.evaluate_json(json.dumps({**ask, "skipped": ["enterprise_size"]})))
    assert all_cards["skipped"] == [] and went_past["skipped"] == ["企业规模"]
    before = {g["recipient"]: g["count"] for g in all_cards["groups"]}
    after = {g["recipient"]: g["count"] for g in went_past["groups"]}
    assert after["enterprise"] < before["enterprise"]
    assert all(i["missing"] != [{"question": "enterprise_size", "label": "企业规模"}]
               for g in went_past["groups"] for i in g["items"])


# -- command line --------------------------------------------------------------------------------

def run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env_path = str(ROOT / "calculator" / "src")
    return subprocess.run([sys.executable, "-m", "subsidy_calculator", *args], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"})


def test_cli_json(rules_file: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(SMALL_3), encoding="utf-8")
    done = run_cli([str(answers), "--on", DAY, "--rules", str(rules_file)], tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["date"] == DAY and result["groups"][0]["total"] == 6333


def test_cli_text(rules_file: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({**SMALL_3, "colour": "red"}), encoding="utf-8")
    done = run_cli([str(answers), "--on", DAY, "--lang", "en", "--format", "text", "--rules", str(rules_file)],
                   tmp_path)
    assert done.returncode == 1  # an answer was not used
    out = done.stdout
    assert out.startswith("Employment subsidy estimate (26 November 2026)")
    assert "There is no question “colour”; this answer was not used." in out
    assert "The enterprise: total 6,333 yuan" in out and " — " not in out
    assert "3 graduates × 2,111 yuan = 6,333 yuan" in out
    assert "The notice does not state the amount, for up to 1.2 months" in out
    assert "Each graduate: total 2,111 yuan" in out
    assert "✓ The enterprise is small or micro" in out
    zh = run_cli([str(answers), "--on", DAY, "--format", "text", "--rules", str(rules_file)], tmp_path).stdout
    assert "企业：合计6333元" in zh and "每名高校毕业生：合计2111元" in zh and "通知未载明金额，最长1.2个月" in zh and " — " not in zh and "3名 × 2111元 = 6333元" in zh


def test_cli_default_rules_path_missing_says_make_rules(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text("{}", encoding="utf-8")
    done = run_cli([str(answers)], tmp_path)
    assert done.returncode == 2
    assert "build/rules.json" in done.stderr and "make rules" in done.stderr


def test_cli_default_rules_path_is_relative_to_cwd(rules_file: Path, tmp_path: Path) -> None:
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "rules.json").write_bytes(rules_file.read_bytes())
    (tmp_path / "a.json").write_text(json.dumps(SMALL_3), encoding="utf-8")
    assert run_cli(["a.json", "--on", DAY], tmp_path).returncode == 0


def test_cli_bad_answers_file(rules_file: Path, tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{role: enterprise", encoding="utf-8")
    done = run_cli(["a.json", "--rules", str(rules_file)], tmp_path)
    assert done.returncode == 2 and "not valid JSON" in done.stderr
    done = run_cli(["missing.json", "--rules", str(rules_file)], tmp_path)
    assert done.returncode == 2 and "cannot read missing.json" in done.stderr


def test_cli_answers_nested_too_deeply_get_a_clear_error(rules_file: Path, tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("[" * 100_000, encoding="utf-8")
    done = run_cli(["a.json", "--rules", str(rules_file)], tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip() == "error: a.json is not valid JSON: nested too deeply (lists or objects inside one another)"


def test_cli_broken_rules_file(tmp_path: Path) -> None:
    (tmp_path / "rules.json").write_text('{"version": "x"}', encoding="utf-8")
    (tmp_path / "a.json").write_text("{}", encoding="utf-8")
    done = run_cli(["a.json", "--rules", "rules.json"], tmp_path)
    assert done.returncode == 2 and "not a usable rules bundle" in done.stderr and "make rules" in done.stderr


def test_cli_main_in_process(rules_file: Path, tmp_path: Path, capsys) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"role": "hr_agency", "agency_qualified": True, "placements_free": 5,
                                   "placements_qualifying": 4}), encoding="utf-8")
    assert cli.main([str(answers), "--on", DAY, "--format", "text", "--rules", str(rules_file)]) == 0
    out = capsys.readouterr().out
    assert "4人 × 311元 = 1244元" in out and "共5人，其中1人不计入补贴人数。通知要求" in out


# -- what the package must never contain ----------------------------------------------------------

def _sources() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(PACKAGE.glob("*.py"))}


def test_standard_library_only() -> None:
    stdlib = set(sys.stdlib_module_names)
    for name, source in _sources().items():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [] if node.level else [node.module or ""]
            else:
                continue
            for module in modules:
                assert module.split(".")[0] in stdlib | {"__future__"}, f"{name} imports {module}"


def test_no_visible_text_in_the_engine() -> None:
    """Words come from the bundle. formatting.py is the exception by design: it is how each
    language writes numbers, units and dates (元, 个月, month names), shared with the site."""
    cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
    for name, source in _sources().items():
        if name == "formatting.py":
            continue
        assert not cjk.search(source), f"{name} contains Chinese text: it belongs in policy/texts/results.yaml"


def test_no_policy_figure_in_the_engine(_bundle) -> None:
    """No amount, limit or duration of the policy is written in the code (0-3 are too common
    to tell apart from ordinary arithmetic, so they are not checked)."""
    figures = {v["value"] for m in _bundle["measures"] for f in (m.get("figures") or {}).values() for v in f["values"]}
    telling = {v for v in figures if v not in (0, 1, 2, 3)}
    assert {1111, 2111, 311, 1.2, 1000000} <= telling
    for name, source in _sources().items():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
                assert node.value not in telling, f"{name}:{node.lineno}: {node.value} is a policy figure"
