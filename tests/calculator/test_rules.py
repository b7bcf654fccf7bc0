"""Three-valued rules: every form of policy/README.md "Rules", including those the current
policy does not use yet."""
from __future__ import annotations

from typing import Any

import pytest

from subsidy_calculator.rules import RulesError, compile_conditions, compile_rule

QUESTIONS = {"size", "count", "flag"}
FIGURES = {"limit": 10}


def run(rule: dict, answers: dict[str, Any], figures: dict | None = None) -> tuple[Any, set]:
    compiled = compile_rule(rule, "rule", QUESTIONS, FIGURES)
    values = FIGURES if figures is None else figures
    result = compiled.test(answers, values)
    unknown: set = set()
    if result is None:
        compiled.unknowns(answers, values, unknown)
    return result, unknown


@pytest.mark.parametrize(("rule", "answers", "expected"), [
    ({"question": "size", "equals": "small"}, {"size": "small"}, True),
    ({"question": "size", "equals": "small"}, {"size": "large"}, False),
    ({"question": "size", "equals": "small"}, {}, None),
    ({"question": "flag", "equals": True}, {"flag": 1}, False),       # true is not 1
    ({"question": "count", "equals": 1}, {"count": True}, False),
    ({"question": "size", "in": ["small", "micro"]}, {"size": "micro"}, True),
    ({"question": "count", "in": [1, 2]}, {"count": 2}, True),
    ({"question": "count", "min": 1}, {"count": 1}, True),
    ({"question": "count", "min": 1}, {"count": 0}, False),
    ({"question": "count", "max": {"figure": "limit"}}, {"count": 10}, True),
    ({"question": "count", "max": {"figure": "limit"}}, {"count": 11}, False),
    ({"question": "count", "above": 3}, {"count": 3}, False),
    ({"question": "count", "above": 3}, {"count": 4}, True),
    ({"question": "count", "below": 3}, {"count": 2}, True),
    ({"question": "count", "min": 1, "below": 5}, {"count": 5}, False),
    ({"question": "count", "min": 1}, {"count": "7"}, False),          # text is not a number
    ({"not": {"question": "flag", "equals": True}}, {"flag": False}, True),
    ({"not": {"question": "flag", "equals": True}}, {}, None),
    ({"all": [{"question": "flag", "equals": True}, {"question": "size", "equals": "small"}]}, {"flag": False}, False),
    ({"all": [{"question": "flag", "equals": True}, {"question": "size", "equals": "small"}]}, {"flag": True}, None),
    ({"any": [{"question": "flag", "equals": True}, {"question": "size", "equals": "small"}]}, {"flag": True}, True),
    ({"any": [{"question": "flag", "equals": True}, {"question": "size", "equals": "small"}]}, {"flag": False}, None),
    ({"any": [{"question": "flag", "equals": True}, {"question": "size", "equals": "small"}]},
     {"flag": False, "size": "large"}, False),
])
def test_rule_values(rule: dict, answers: dict, expected: Any) -> None:
    assert run(rule, answers)[0] is expected


def test_unknowns_name_only_what_would_settle_it() -> None:
    rule = {"any": [{"question": "flag", "equals": True},
                    {"all": [{"question": "size", "equals": "small"}, {"question": "count", "max": 2}]}]}
    assert run(rule, {}) == (None, {"flag", "size", "count"})
    assert run(rule, {"flag": False, "size": "small"}) == (None, {"count"})
    assert run(rule, {"flag": False, "size": "large"}) == (False, set())


def test_figure_without_a_value_is_unknown_not_false() -> None:
    assert run({"question": "count", "max": {"figure": "limit"}}, {"count": 1}, {"limit": None}) == (None, set())


def test_condition_refers_to_another_condition() -> None:
    conditions = [
        {"id": "small", "rule": {"question": "size", "equals": "small"}, "text": {}},
        {"id": "not-small", "rule": {"not": {"condition": "small"}}, "text": {}},
    ]
    (_, small), (_, not_small) = compile_conditions(conditions, "c", QUESTIONS, FIGURES)
    assert (small.test({"size": "small"}, FIGURES), not_small.test({"size": "small"}, FIGURES)) == (True, False)


@pytest.mark.parametrize(("rule", "message"), [
    ({"question": "height", "min": 1}, "no question 'height'"),
    ({"question": "count"}, "needs equals"),
    ({"question": "count", "near": 3}, "needs equals"),
    ({"question": "count", "min": "3"}, "must be a number"),
    ({"question": "count", "min": {"figure": "other"}}, "no figure 'other'"),
    ({"question": "size", "in": []}, "non-empty list"),
    ({"all": []}, "non-empty list"),
    ({"all": [], "any": []}, "exactly one"),
    ({"maybe": {}}, "unknown rule form"),
    ({"condition": "x"}, "only a benefit's conditions"),
    ([], "must be a mapping"),
])
def test_malformed_rules_are_refused(rule: Any, message: str) -> None:
    with pytest.raises(RulesError, match=message):
        compile_rule(rule, "rule", QUESTIONS, FIGURES)


def test_circular_conditions_are_refused() -> None:
    conditions = [{"id": "a", "rule": {"condition": "b"}, "text": {}},
                  {"id": "b", "rule": {"not": {"condition": "a"}}, "text": {}}]
    with pytest.raises(RulesError, match="a -> b -> a"):
        compile_conditions(conditions, "c", QUESTIONS, FIGURES)
