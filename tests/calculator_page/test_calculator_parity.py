"""The wheel the site ships, run by the site's own Pyodide in the real page, gives byte-identical
JSON to CPython for every scenario in policy/scenarios/ and a few hundred generated answer sets."""
from __future__ import annotations

import datetime as dt
import json
import random
import sys
from typing import Any

import pytest
import yaml
from playwright.sync_api import Page

from calc_page_helpers import ROOT, SITE_DIR, calculator_path, wait_ready

sys.path.insert(0, str(ROOT / "calculator" / "src"))

DAY = "2026-11-26"


def _scenario_requests() -> list[dict[str, Any]]:
    out = []
    for path in sorted((ROOT / "policy" / "scenarios").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")).get("cases", []):
            day = case.get("date")
            if isinstance(day, dt.date):
                day = day.isoformat()
            out.append({"answers": case.get("answers") or {}, "on": day or DAY, "lang": case.get("lang", "zh")})
    return out


def _generated_requests(questions: list[dict[str, Any]], count: int, seed: int = 20261126) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    odd: list[Any] = [None, True, -1, 2.5, 10 ** 12, "", "<b>x</b>", [], {"a": 1}]
    out = []
    for i in range(count):
        answers: dict[str, Any] = {}
        for q in questions:
            if rng.random() < 0.35:
                continue
            if rng.random() < 0.08:
                answers[q["id"]] = rng.choice(odd)
            elif q["type"] == "choice":
                answers[q["id"]] = rng.choice(q["options"])["value"]
            elif q["type"] == "boolean":
                answers[q["id"]] = rng.random() < 0.5
            else:
                hi = q["max"] if isinstance(q.get("max"), int) else 200
                answers[q["id"]] = rng.choice([0, 1, 2, 3, rng.randint(0, min(hi, 500)), hi, hi + 1])
        if rng.random() < 0.05:
            answers["not_a_question"] = 1
        day = rng.choice([DAY, "2020-01-01", "2030-06-30", None]) if i % 4 == 0 else DAY
        out.append({"answers": answers, "on": day, "lang": rng.choice(["zh", "en"])})
    return out


@pytest.mark.later_visit
def test_browser_and_cpython_give_identical_json(page: Page) -> None:
    from subsidy_calculator import browser as cpython

    calc = SITE_DIR / "assets" / "calculator"
    manifest = json.loads((calc / "manifest.json").read_text(encoding="utf-8"))
    rules_text = (calc / manifest["rules"]).read_text(encoding="utf-8")
    assert cpython.load_rules(rules_text) == manifest["version"]
    questions = json.loads(rules_text)["questions"]

    requests = _scenario_requests()
    assert len(requests) >= 10, "policy/scenarios/ should hold the staff's cases"
    requests += _generated_requests(questions, 320)
    texts = [json.dumps(r, ensure_ascii=False) for r in requests]

    page.goto(calculator_path("zh", "?test=1"))
    wait_ready(page)
    assert page.get_attribute("#calc", "data-rules-version") == manifest["version"]
    results = page.evaluate("requests => window.__subsidyCalculatorTest.evaluateMany(requests)", texts)
    assert len(results) == len(texts)
    mismatches = []
    for text, got in zip(texts, results):
        expected = cpython.evaluate_json(text)
        if got.get("json") != expected:
            mismatches.append((text, got.get("error") or got.get("json", "")[:300], expected[:300]))
    assert not mismatches, f"{len(mismatches)} differ; first: {mismatches[0]}"
    # and the batch really was computed: at least one eligible amount in both languages
    joined = "".join(r["json"] for r in results)
    assert "6333元" in joined and "6,333 yuan" in joined


@pytest.mark.later_visit
def test_no_test_hook_without_test_flag(page: Page) -> None:
    page.goto(calculator_path("zh"))
    wait_ready(page)
    assert page.evaluate("() => typeof window.__subsidyCalculatorTest") == "undefined"
