"""The form (rules.js, in the browser before Python answers) and the engine (subsidy_calculator)
decide the same on every case of form_rules.yaml: which questions are asked, which numbers are
accepted. A case that one of them gets wrong fails here, naming the case."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from subsidy_calculator.answers import check_answers, compile_questions
from subsidy_calculator.rules import compile_rule

HERE = Path(__file__).resolve().parent
CASES = yaml.safe_load((HERE / "form_rules.yaml").read_text(encoding="utf-8"))
QUESTIONS = compile_questions(CASES["questions"])
BY_ID = {q.id: q for q in QUESTIONS}


def _words() -> SimpleNamespace:
    """check_answers wants texts; the table compares decisions, not wording."""
    ids = [q["id"] for q in CASES["questions"]]
    return SimpleNamespace(text={}, labels=dict.fromkeys(ids, ""), options=dict.fromkeys(ids, ""))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


WORDS = _words()
WORDS.text = _Blank()


def python_asked(rule: Any, answers: dict) -> tuple[bool | None, bool]:
    if rule is None:
        return True, True
    result = compile_rule(rule, "case", BY_ID).test(answers, {})
    return result, result is True


def python_number(question: str, value: Any, answers: dict) -> dict:
    """What check_answers makes of `value` for `question`, after the earlier `answers`."""
    given = {**answers, question: value}
    clean, errors = check_answers(QUESTIONS, given, WORDS)
    mine = [e["code"] for e in errors if e["question"] == question]
    return {"error": mine[0]} if mine else {"value": clean[question]}


@pytest.fixture(scope="module")
def javascript() -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run rules.js (it is installed with the project's npm packages)")
    done = subprocess.run([node, str(HERE / "run_rules.mjs")], input=json.dumps(CASES), capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("i", range(len(CASES["asked"])), ids=lambda i: json.dumps(CASES["asked"][i]["rule"]))
def test_asked(i: int, javascript: dict) -> None:
    case = CASES["asked"][i]
    result, shown = python_asked(case["rule"], case["answers"])
    assert result == case["expect"], "Python"
    assert javascript["asked"][i] == {"result": case["expect"], "asked": case["expect"] is True}, "rules.js"
    assert shown == (case["expect"] is True)


@pytest.mark.parametrize("i", range(len(CASES["used"])), ids=lambda i: json.dumps(CASES["used"][i]["answers"]))
def test_used(i: int, javascript: dict) -> None:
    case = CASES["used"][i]
    clean, _ = check_answers(QUESTIONS, case["answers"], WORDS)
    assert list(clean) == case["expect"], "Python"
    assert javascript["used"][i] == case["expect"], "rules.js"


@pytest.mark.parametrize("i", range(len(CASES["numbers"])),
                         ids=lambda i: f"{CASES['numbers'][i]['question']}={CASES['numbers'][i]['value']}")
def test_numbers(i: int, javascript: dict) -> None:
    case = CASES["numbers"][i]
    assert python_number(case["question"], case["value"], case["answers"]) == case["expect"], "Python"
    assert javascript["numbers"][i] == case["expect"], "rules.js"


def python_month(value: str) -> dict:
    """What check_answers makes of a typed month (the page sends nothing for an empty box)."""
    if value == "":
        return {"empty": True}
    clean, errors = check_answers(QUESTIONS, {"left": value}, WORDS)
    return {"error": errors[0]["code"]} if errors else {"value": clean["left"]}


@pytest.mark.parametrize("i", range(len(CASES["months"])), ids=lambda i: repr(CASES["months"][i]["value"]))
def test_months(i: int, javascript: dict) -> None:
    case = CASES["months"][i]
    assert python_month(case["value"]) == case["expect"], "Python"
    assert javascript["months"][i] == case["expect"], "rules.js"


@pytest.mark.parametrize("i", range(len(CASES["counts"])), ids=lambda i: f"{CASES['counts'][i]['n']}-{CASES['counts'][i]['lang']}")
def test_counts(i: int, javascript: dict) -> None:
    from subsidy_calculator.formatting import format_count

    case = CASES["counts"][i]
    assert format_count(case["n"], case["lang"]) == case["expect"], "Python"
    assert javascript["counts"][i] == case["expect"], "dom.js"


@pytest.mark.parametrize("i", range(len(CASES["fills"])), ids=lambda i: CASES["fills"][i]["template"])
def test_fills(i: int, javascript: dict) -> None:
    from subsidy_calculator.texts import fill

    case = CASES["fills"][i]
    assert fill(case["template"], **case["values"]) == case["expect"], "Python"
    assert javascript["fills"][i] == case["expect"], "dom.js"


def test_every_question_type_and_rule_form_is_covered() -> None:
    forms: set[str] = set()

    def walk(rule: Any) -> None:
        if isinstance(rule, dict):
            forms.update(k for k in rule if k != "question")
            for key in ("all", "any"):
                for sub in rule.get(key, []):
                    walk(sub)
            if "not" in rule:
                walk(rule["not"])

    for case in CASES["asked"]:
        walk(case["rule"])
    assert forms >= {"equals", "in", "min", "max", "above", "below", "all", "any", "not"}
    assert {q["type"] for q in CASES["questions"]} == {"choice", "boolean", "integer", "money", "month"}
