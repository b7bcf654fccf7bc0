"""How a scenario case (policy/scenarios/*.yaml, tests/amendments/cases.yaml) is checked against
a result, in one place: the fields staff may write under `expect` (calculator/README.md)."""
from __future__ import annotations

from typing import Any, Mapping


def check_case(result: Mapping[str, Any], measure_id: str, case: Mapping[str, Any]) -> None:
    expect = case["expect"]
    measures = {m["id"]: m for m in result["measures"]}
    for mid, status in (expect.get("measures") or {}).items():
        m = measures[mid]
        assert m["status"] == status, f"{mid}: {m['status']} ({m['reasons']})"
    headline = {(i["measure_id"], i["benefit_id"]) for g in result["groups"] for i in g["items"]}
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
        if "nearest_change" in want:  # what the visitor could change to get it (whatif.py)
            changes = (item.get("what_if") or {}).get("changes") or []
            got = changes[0]["answers"] if changes else None
            assert got == want["nearest_change"], f"{want['benefit']}: nearest change {got!r}"
        if "one_more" in want:
            assert want["one_more"] in ((item.get("what_if") or {}).get("one_more") or ""), item.get("what_if")
        if "ahead" in want:
            assert any(want["ahead"] in line for line in (item.get("what_if") or {}).get("ahead") or []), item.get("what_if")
        if "headline" in want:  # among the results by recipient, or only under "all measures"
            assert ((mid, want["benefit"]) in headline) == want["headline"], f"{want['benefit']}: headline"
    got_errors = sorted(e["question"] or e["code"] for e in result["errors"])
    assert got_errors == sorted(expect.get("errors") or []), result["errors"]
