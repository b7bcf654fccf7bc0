"""Property tests: whatever a visitor (or a broken page) sends, the engine answers with a result
or structured errors, never an exception; amounts are never negative; more qualifying hires never
lower an amount; the same input gives the same output.

~300 examples each by default; `FUZZ_EXAMPLES=5000` (`make fuzz`) for a long run."""
from __future__ import annotations

import copy
import json
import os
from typing import Any, Mapping

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy_bundle import build_test_bundle
from subsidy_calculator import load_rules
from subsidy_calculator.browser import evaluate_request
from subsidy_calculator.engine import STATUSES

BUNDLE = build_test_bundle()
RULES = load_rules(BUNDLE)
QUESTIONS = [q.raw for q in RULES.questions]
QUESTION_IDS = {q["id"] for q in QUESTIONS}
ALL_STATUSES = set(STATUSES) | {"info_only"}
DAY = "2026-11-26"

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

json_scalar = (st.none() | st.booleans() | st.integers(-(2 ** 70), 2 ** 70)
               | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12))
json_value = st.recursive(json_scalar, lambda inner: st.lists(inner, max_size=3)
                          | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)


def _valid(q: Mapping[str, Any]) -> st.SearchStrategy:
    if q["type"] == "choice":
        return st.sampled_from([o["value"] for o in q["options"]])
    if q["type"] == "boolean":
        return st.booleans()
    low = q.get("min", 0) if isinstance(q.get("min"), int) else 0
    high = q["max"] if isinstance(q.get("max"), int) else 1000
    return st.integers(low - 2, high + 2) | st.integers(low, min(high, low + 12))


answers_strategy = st.builds(
    lambda known, extra: {**extra, **known},
    st.fixed_dictionaries({}, optional={q["id"]: _valid(q) | _valid(q) | json_value for q in QUESTIONS}),
    st.dictionaries(st.text(max_size=10), json_value, max_size=2),
) | json_value


def check_result(result: dict[str, Any], answers: Any) -> None:
    """What every result must satisfy, whatever the input."""
    text = json.dumps(result, ensure_ascii=False, allow_nan=False)
    assert json.loads(text) == result
    assert result["lang"] in ("zh", "en") and result["disclaimer"]
    for error in result["errors"]:
        assert set(error) == {"question", "label", "code", "message"}
        assert isinstance(error["message"], str) and error["message"].strip()
        assert error["code"] != "internal"
        if error["code"] in ("unknown_option", "wrong_type", "out_of_range", "above_other"):
            assert error["question"] in QUESTION_IDS and error["label"] in error["message"]
    if isinstance(answers, dict):
        role = answers.get("role")
        if role is not None and not (isinstance(role, str) and role in RULES.question_by_id["role"].options):
            assert any(e["question"] == "role" for e in result["errors"])
        for key in answers:
            if key not in QUESTION_IDS:
                assert any(e["code"] == "unknown_question" for e in result["errors"])
    assert len(result["measures"]) == len(RULES.measures)
    for m in result["measures"]:
        assert m["status"] in ALL_STATUSES and m["status_text"]
        for item in m["items"]:
            assert item["status"] in ALL_STATUSES
            assert item["amount"] is None or (type(item["amount"]) is int and item["amount"] >= 0)
            assert (item["amount"] is not None) <= (item["status"] in ("eligible", "may_be_eligible", "needs_answers"))
            if item["status"] == "needs_answers":
                assert item["missing"]
        if m["items"]:
            best = min((i["status"] for i in m["items"]), key=STATUSES.index)
            assert m["status"] == best
    for g in result["groups"]:
        assert len({i["recipient"] for i in g["items"]}) == 1 and g["items"][0]["recipient"] == g["recipient"]
        fixed = [i["amount"] for i in g["items"] if i["status"] == "eligible" and i["amount"] is not None]
        assert g["total"] == (sum(fixed) if fixed else None)
        assert g["total"] is None or g["total"] >= 0


@FUZZ
@given(answers=answers_strategy, lang=st.sampled_from(["zh", "en"]))
def test_property_any_answers_give_a_result(answers: Any, lang: str) -> None:
    check_result(RULES.evaluate(answers, DAY, lang), answers)


@FUZZ
@given(answers=answers_strategy, on=json_value | st.dates().map(str), lang=json_value | st.sampled_from(["zh", "en"]))
def test_property_any_day_and_language(answers: Any, on: Any, lang: Any) -> None:
    check_result(RULES.evaluate(answers, on, lang), answers)


@FUZZ
@given(request=st.text(max_size=40) | st.builds(json.dumps, st.dictionaries(
    st.sampled_from(["answers", "on", "lang", "other"]), answers_strategy | json_value, max_size=4))
    | st.builds(json.dumps, json_value))
def test_property_any_request_text(request: str) -> None:
    result = evaluate_request(RULES, request)
    check_result(result, None)


@FUZZ
@given(answers=answers_strategy, lang=st.sampled_from(["zh", "en"]))
def test_property_same_input_same_output(answers: Any, lang: str) -> None:
    first = json.dumps(RULES.evaluate(answers, DAY, lang), ensure_ascii=False)
    again = json.dumps(RULES.evaluate(answers, DAY, lang), ensure_ascii=False)
    fresh = json.dumps(load_rules(copy.deepcopy(BUNDLE)).evaluate(answers, DAY, lang), ensure_ascii=False) \
        if isinstance(answers, dict) and len(answers) > 6 else again  # a fresh load now and then
    assert first == again == fresh


def _amounts(result: dict[str, Any]) -> dict[str, int]:
    amounts = {i["benefit_id"]: i["amount"] or 0 for m in result["measures"] for i in m["items"]}
    amounts.update({"total:" + g["recipient"]: g["total"] or 0 for g in result["groups"]})
    return amounts


def _never_lower(fewer: dict[str, Any], more: dict[str, Any]) -> None:
    low, high = _amounts(RULES.evaluate(fewer, DAY)), _amounts(RULES.evaluate(more, DAY))
    for key, amount in low.items():
        assert high.get(key, 0) >= amount, (key, fewer, more)


@FUZZ
@given(size=st.sampled_from(["micro", "small", "medium", "large", None]), n=st.integers(0, 100000),
       k=st.integers(0, 100000), extra=st.fixed_dictionaries({}, optional={
           "offers_internships": st.booleans(),
           "provides_training": st.booleans()}))
def test_property_more_graduates_never_lower_an_amount(size, n: int, k: int, extra: dict) -> None:
    base = {"role": "enterprise", "enterprise_size": size, **extra}
    more = min(100000, n + k)
    _never_lower({**base, "graduates_hired": n}, {**base, "graduates_hired": more})


@FUZZ
@given(qualified=st.booleans(), q=st.integers(0, 100000), k=st.integers(0, 100000), spare=st.integers(0, 100000))
def test_property_more_placements_never_lower_an_amount(qualified: bool, q: int, k: int, spare: int) -> None:
    more = min(100000, q + k)
    free = min(100000, more + spare)
    base = {"role": "hr_agency", "agency_qualified": qualified, "placements_free": free}
    _never_lower({**base, "placements_qualifying": q}, {**base, "placements_qualifying": more})
