"""What one more adds when several benefits of one recipient grow with the same count (a library
of many notices): one sum per recipient, not every benefit's line in every benefit's card."""
from __future__ import annotations

import copy

import pytest

from policy_bundle import build_test_bundle
from subsidy_calculator import load_rules

MEASURE = "employment-entrepreneurship-subsidies"


@pytest.mark.parametrize("lang, expected", [
    ("zh", "“招用了多少名毕业年度或择业期内的高校毕业生？”的回答每增加1名：企业增加6333元（3项补贴合计）、"
           "每名高校毕业生增加6333元（3项补贴合计）。"),
    ("en", "With one more (graduates) for “How many college graduates in their graduation year or job-selection "
           "period did you hire?”: The enterprise: 6,333 yuan more (from 3 benefits); Each graduate: 6,333 yuan "
           "more (from 3 benefits)."),
])
def test_one_more_sums_the_benefits_of_each_recipient(lang: str, expected: str) -> None:
    bundle = build_test_bundle()
    measure = next(m for m in bundle["measures"] if m["id"] == MEASURE)
    for k in (2, 3):  # two more notices' measures of the same kind
        bundle["measures"].append({**copy.deepcopy(measure), "id": f"{MEASURE}-{k}"})
    result = load_rules(bundle).evaluate({"role": "enterprise", "enterprise_size": "small", "graduates_hired": 2},
                                         "2026-11-26", lang, what_if=True)
    lines = {i["what_if"]["one_more"] for g in result["groups"] for i in g["items"]
             if i["benefit_id"] in ("graduate-hiring-award", "graduate-employment-subsidy")}
    assert lines == {expected}
