"""The validator speaks the staff member's language: every message and hint in Chinese and English
from one catalogue, every syntax error of a file and every file's problems at once, the staff
guide's table identical to what the validator prints, and `make validate` without make's noise."""
from __future__ import annotations

import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

from policy_fixtures import ROOT
from scripts.policy import validate
from scripts.policy.guide import GUIDE, guide_with_table
from scripts.policy.messages import (catalogue, catalogue_file, did_you_mean, msg, render_problem_text,
                                     staff_languages)
from scripts.policy.schema import SCHEMA_DIR

MEASURE = "notices/eighteen-measures/measures/05-employment-entrepreneurship-subsidies.yaml"


def _fields(template: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template)
            if name is not None}


@pytest.mark.parametrize("code", sorted(catalogue()))
def test_every_message_has_both_languages_with_the_same_values(code: str) -> None:
    entry = catalogue()[code]
    assert entry["zh"].strip() and entry["en"].strip()
    assert _fields(entry["zh"]) == _fields(entry["en"]), code
    words = re.sub(r"\{[^{}]*\}", "", entry["en"])
    if re.search(r"[A-Za-z]{3}", words) and code not in ("got.bool", "schema_other", "yaml.syntax_other"):
        assert re.search(r"[\u4e00-\u9fff]", entry["zh"]), f"{code}: the Chinese is not Chinese"


def test_every_message_is_used() -> None:
    """No dead entry: each code is named in the validator's source (thing.* and type.* are built)."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "scripts").rglob("*.py"))
    source += (ROOT / "scripts" / "policy" / "messages.yaml").read_text(encoding="utf-8").split("\nguide:")[1]
    unused = [code for code in catalogue() if not code.endswith(".hint")
              and not code.startswith(("thing.", "type.", "summary.")) and f'"{code}"' not in source
              and f"msg: {code}" not in source and f"message: {code}" not in source]
    assert unused == []


def test_every_schema_description_has_its_chinese() -> None:
    import json
    descriptions: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("description"), str):
                descriptions.add(node["description"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in SCHEMA_DIR.glob("*.schema.json"):
        walk(json.loads(path.read_text(encoding="utf-8")))
    missing = sorted(descriptions - set(catalogue_file()["schema_descriptions"]))
    assert missing == [], "add their Chinese to schema_descriptions in scripts/policy/messages.yaml"


def test_a_message_in_chinese_and_english() -> None:
    message = msg("unknown_key", key_name="untill")
    hint = did_you_mean("untill", ["from", "until", "value"])
    assert message.render("en") == "unknown key 'untill'"
    assert message.render("zh") == "未知的键名“untill”"
    assert hint.render("en") == "did you mean 'until'? possible: from, until, value"
    assert hint.render("zh") == "是否应为“until”？可用的有：from、until、value"


def test_hint_lists_are_never_cut(policy_copy: Path) -> None:
    """An unknown key in a measure lists every allowed key, not the first twelve and '...'."""
    measure = policy_copy / MEASURE
    measure.write_text(measure.read_text(encoding="utf-8").replace("\npart:", "\nvalid_until: 2026-12-31\npart:", 1),
                       encoding="utf-8")
    [problem] = [p for p in validate(policy_copy) if "valid_until" in p.message]
    assert problem.message == "unknown key 'valid_until'"
    assert "..." not in problem.hint and "……" not in problem.hint_in("zh")
    assert problem.hint.startswith("possible: ") and "change_log" in problem.hint and "benefits" in problem.hint
    assert problem.message_in("zh") == "未知的键名“valid_until”"


def test_a_problem_in_both_languages(policy_copy: Path) -> None:
    measure = policy_copy / MEASURE
    measure.write_text(measure.read_text(encoding="utf-8").replace("value: 2111", 'value: "2,111"', 1),
                       encoding="utf-8")
    [problem] = validate(policy_copy)
    assert problem.message == "expected a number, got the text '2,111'"
    assert problem.hint == "write the number without quotes or thousands separators: 2111"
    assert problem.message_in("zh") == "此处应为数字，实际是文字“2,111”"
    assert problem.hint_in("zh") == "数字不要加引号，也不要加千位分隔符：2111"
    zh_first = problem.lines("policy", ("zh", "en"))
    assert zh_first[0].endswith(": 此处应为数字，实际是文字“2,111”——提示：数字不要加引号，也不要加千位分隔符：2111")
    assert zh_first[1] == "    expected a number, got the text '2,111' — hint: write the number without quotes " \
                          "or thousands separators: 2111"


@pytest.mark.parametrize(("environ", "first"), [
    ({}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh"}, "zh"),
    ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_TW.UTF-8"}, "zh"),
    ({"LANG": "zh_CN.UTF-8", "POLICY_LANG": "en"}, "en"),
    ({"LANG": "en_US.UTF-8", "POLICY_LANG": "zh"}, "zh"),
])
def test_the_staff_members_language_comes_first(environ: dict[str, str], first: str) -> None:
    assert staff_languages(environ)[0] == first
    assert set(staff_languages(environ)) == {"zh", "en"}


def test_every_syntax_error_of_a_file_is_reported(policy_copy: Path) -> None:
    """Three tab-indented lines: three problems, each at its own line, and nothing else."""
    measure = policy_copy / MEASURE
    lines = measure.read_text(encoding="utf-8").split("\n")
    tabbed = [i for i, line in enumerate(lines) if line.startswith("  en: ")][:3]
    for i in tabbed:
        lines[i] = "\t" + lines[i][2:]
    measure.write_text("\n".join(lines), encoding="utf-8")
    problems = validate(policy_copy)
    assert [(p.file, p.line, p.col) for p in problems] == [(MEASURE, i + 1, 1) for i in tabbed]
    assert all(p.message == "YAML syntax error: a tab character is used for indentation" for p in problems)
    assert all(p.message_in("zh") == "YAML 语法错误：缩进中使用了制表符（Tab）" for p in problems)


def test_different_syntax_errors_in_one_file(policy_copy: Path) -> None:
    measure = policy_copy / MEASURE
    text = measure.read_text(encoding="utf-8")
    text = text.replace("en: Employment and entrepreneurship subsidies", "en: Employment: and subsidies", 1)
    lines = text.split("\n")
    later = max(i for i, line in enumerate(lines) if line.startswith("    ") and ": " in line)
    lines[later] = "\t" + lines[later].lstrip()
    measure.write_text("\n".join(lines), encoding="utf-8")
    problems = validate(policy_copy)
    assert [p.message for p in problems] == ["YAML syntax error: unexpected ':' in a value",
                                             "YAML syntax error: a tab character is used for indentation"]
    assert problems[1].line == later + 1


def test_problems_of_every_file_at_once(policy_copy: Path) -> None:
    """A syntax error in one file does not hide the problems of the others."""
    (policy_copy / MEASURE).write_text((policy_copy / MEASURE).read_text(encoding="utf-8")
                                       .replace("\n  en: ", "\n\ten: ", 1), encoding="utf-8")
    questions = policy_copy / "questions.yaml"
    questions.write_text(questions.read_text(encoding="utf-8").replace("\n    type: ", "\n    typ: ", 1),
                         encoding="utf-8")
    texts = sorted((policy_copy / "texts").glob("*.yaml"))[0]
    texts.write_text(texts.read_text(encoding="utf-8") + "\nextra_key: [unclosed\n", encoding="utf-8")
    files = {p.file for p in validate(policy_copy)}
    assert {MEASURE, "questions.yaml", f"texts/{texts.name}"} <= files


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_staff_guide_table_is_the_catalogue(lang: str) -> None:
    text = GUIDE[lang].read_text(encoding="utf-8")
    assert guide_with_table(text, lang) == text, "run: python -m scripts.policy.guide"


@pytest.mark.parametrize(("old", "new"), [
    ("value: 2111", 'value: "2,111"'),
    ("        until: null", "        untill: null"),
    ("{figure: job_seeking_subsidy", "{figure: job_seeking_subsidi"),
])
def test_the_staff_guide_examples_are_what_the_validator_prints(policy_copy: Path, old: str, new: str) -> None:
    """Rows checked against a real run, so the examples are not only self-consistent."""
    measure = policy_copy / MEASURE
    text = measure.read_text(encoding="utf-8")
    assert old in text
    measure.write_text(text.replace(old, new, 1), encoding="utf-8")
    [problem] = validate(policy_copy)
    for lang in ("zh", "en"):
        shown = render_problem_text(problem.what, problem.fix, lang)
        assert f"| `{shown}` |" in GUIDE[lang].read_text(encoding="utf-8")


def _make(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=120)


def test_make_validate_has_no_make_noise_and_fails(policy_copy: Path) -> None:
    measure = policy_copy / MEASURE
    measure.write_text(measure.read_text(encoding="utf-8").replace("part: reduce-burdens", "part: reduce-burden", 1),
                       encoding="utf-8")
    done = _make("validate", "LANG=zh", env={"POLICY_DIR": str(policy_copy)})
    assert done.returncode == 1  # as the command line's status, for scripts and CI (not 141 or 2)
    assert "make:" not in done.stdout + done.stderr and "***" not in done.stdout + done.stderr
    out = done.stdout.splitlines()
    assert len(out) == 2
    assert out[0].startswith(f"{policy_copy}/notices/eighteen-measures/measures/05-employment-entrepreneurship-subsidies.yaml:5:7: part: "
                             "方面“reduce-burden”不存在——提示：notices/eighteen-measures/notice.yaml 中的方面：是否应为“reduce-burdens”？可用的有：")
    assert out[1].startswith("    unknown part 'reduce-burden' — hint: parts in notices/eighteen-measures/notice.yaml: did you mean")
    assert done.stderr.splitlines() == ["共 1 处问题，涉及 1 个文件；全部改正之前，网站不会发布。",
                                        "1 problem(s) in 1 file(s); nothing may be published until they are fixed."]


def test_make_validate_passes_on_the_real_policy() -> None:
    done = _make("validate", env={"POLICY_LANG": "en"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("policy OK: 18 measures") and done.stderr == ""


def test_command_line_in_chinese(policy_copy: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "scripts.policy.cli", str(policy_copy)], cwd=ROOT,
                          env={**os.environ, "POLICY_LANG": "zh"}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert done.stdout.startswith("政策文件检查通过：已检查 18 项措施")


def test_make_site_stops_quietly_on_a_policy_problem(policy_copy: Path) -> None:
    """The validation step of `make site`: the problems and the publish step's sentence, no make line."""
    measure = policy_copy / MEASURE
    measure.write_text(measure.read_text(encoding="utf-8").replace("value: 2111", 'value: "2,111"', 1),
                       encoding="utf-8")
    before = sorted(p.name for p in (ROOT / "site").iterdir()) if (ROOT / "site").is_dir() else None
    done = _make("site", env={"POLICY_DIR": str(policy_copy), "POLICY_LANG": "en"})
    assert done.returncode != 0
    assert "make:" not in done.stdout + done.stderr and "***" not in done.stdout + done.stderr
    assert "expected a number, got the text '2,111'" in done.stdout
    assert "publish: policy/ has problems (above);" in done.stderr
    after = sorted(p.name for p in (ROOT / "site").iterdir()) if (ROOT / "site").is_dir() else None
    assert after == before


def test_the_change_log_hint_says_what_the_staff_guide_says() -> None:
    """The entry's date is the notice's date (not the day of the change), with notice and quote."""
    from scripts.policy.messages import hint_of
    hint = hint_of("change_log.not_announced", kind=msg("thing.figure_change"))
    assert hint is not None
    en, zh = hint.render("en"), hint.render("zh")
    assert "the date of the notice that makes the change" in en and "'notice:'" in en and "'quote:'" in en
    assert "the day of the change" not in en
    assert "作出该改动的通知的日期" in zh and "notice" in zh and "quote" in zh and "改动的日期）" not in zh
