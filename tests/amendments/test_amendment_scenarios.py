"""Every case in tests/amendments/scenarios/*.yaml against the amended policy: each amendment
pinned on the day before and the day it takes effect."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scenario_check import check_case
from scripts.policy.reader import Doc, read_yaml
from scripts.policy.schema import schema_check

FOLDER = Path(__file__).resolve().parent / "scenarios"
def _read(path: Path) -> Doc:
    doc, problems = read_yaml(path, path.name)
    assert doc is not None, problems
    return doc


DOCS = {path.stem: _read(path) for path in sorted(FOLDER.glob("*.yaml"))}
CASES = [(stem, case) for stem, doc in DOCS.items() for case in doc.data["cases"]]


def test_case_files_follow_the_scenario_schema() -> None:
    for doc in DOCS.values():
        assert schema_check(doc, "scenarios") == []
        assert all(case.get("date") for case in doc.data["cases"]), "every case pins its date"


@pytest.mark.parametrize(("measure_id", "case"), CASES, ids=[f"{s}: {c['name']['en']}" for s, c in CASES])
def test_amendment_scenario(amended_rules, measure_id: str, case: dict[str, Any]) -> None:
    result = amended_rules.evaluate(case["answers"], case["date"], case.get("lang", "zh"), what_if=True)
    check_case(result, measure_id, case)
