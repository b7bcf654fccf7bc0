"""Every case in policy/scenarios/*.yaml, one test each, named after the file and the case."""
from __future__ import annotations

from typing import Any

import pytest

from policy_bundle import ROOT
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
    result = rules.evaluate(case["answers"], case.get("date"), case.get("lang", "zh"))
    expect = case["expect"]
    measures = {m["id"]: m for m in result["measures"]}
    for mid, status in (expect.get("measures") or {}).items():
        m = measures[mid]
        assert m["status"] == status, f"{mid}: {m['status']} ({m['reasons']})"
    for want in expect.get("items") or []:
        mid = want.get("measure", measure_id)
        found = [i for i in measures[mid]["items"] if i["benefit_id"] == want["benefit"]]
        assert found, f"{mid}/{want['benefit']} was not assessed: {measures[mid]['reasons']}"
        item = found[0]
        for key in ("status", "amount", "amount_text", "duration_text"):
            if key in want:
                assert item[key] == want[key], f"{want['benefit']}.{key}: {item[key]!r} ({item['reasons']})"
        if "not_met" in want:
            assert [r["text"] for r in item["reasons"] if r["met"] is False] == want["not_met"]
        if "left_out" in want:
            if want["left_out"]:
                assert len(item["left_out"]) == 1 and f"{want['left_out']:,}" in item["left_out"][0]
            else:
                assert item["left_out"] == []
    got_errors = sorted(e["question"] or e["code"] for e in result["errors"])
    assert got_errors == sorted(expect.get("errors") or []), result["errors"]
