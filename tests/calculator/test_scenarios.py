"""Every case in policy/scenarios/*.yaml, one test each, named after the file and the case."""
from __future__ import annotations

from typing import Any

import pytest

from policy_bundle import ROOT
from scenario_check import check_case
from scripts.policy import read_policy

_docs = read_policy(ROOT / "policy")
SCENARIOS = {doc.file.split("/")[-1][: -len(".yaml")]: (doc.data or {}).get("cases", [])
             for doc in _docs.scenarios if doc.file != "scenarios/lists.yaml"}   # lists: test_lists.py
CASES = [(stem, case) for stem, cases in sorted(SCENARIOS.items()) for case in cases]


def _name(case: dict[str, Any]) -> str:
    name = case.get("name")
    return name.get("en", "") if isinstance(name, dict) else str(name)


def test_scenario_files_read_cleanly() -> None:
    problems = [p for p in _docs.problems if p.file.startswith("scenarios/")]
    assert not problems, "\n".join(map(str, problems))


def test_every_assessable_measure_has_three_cases(rules) -> None:
    ids = {m.id for m in rules.measures}
    assert set(SCENARIOS) <= ids, f"scenario files not named after a measure: {set(SCENARIOS) - ids}"
    for m in rules.measures:
        if m.benefits:
            assert len(SCENARIOS.get(m.id, [])) >= 3, f"policy/scenarios/{m.id}.yaml needs at least 3 cases"


@pytest.mark.parametrize(("measure_id", "case"), CASES, ids=[f"{s}: {_name(c)}" for s, c in CASES])
def test_scenario(rules, measure_id: str, case: dict[str, Any]) -> None:
    result = rules.evaluate(case["answers"], case.get("date"), case.get("lang", "zh"), what_if=True)
    check_case(result, measure_id, case)
