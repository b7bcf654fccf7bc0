"""The policy format's words are written once (subsidy_calculator/vocabulary.py) and the JSON
Schemas staff read list exactly the same ones."""
from __future__ import annotations

import json
from pathlib import Path

from subsidy_calculator import vocabulary

SCHEMA = Path(__file__).resolve().parents[2] / "policy" / "schema"


def _schema(name: str) -> dict:
    return json.loads((SCHEMA / name).read_text(encoding="utf-8"))


def test_question_types_are_the_schemas() -> None:
    question = _schema("questions.schema.json")
    enums = [node["enum"] for node in _walk(question) if isinstance(node, dict)
             and isinstance(node.get("enum"), list) and "money" in node["enum"]]
    assert enums and all(sorted(e) == sorted(vocabulary.QUESTION_TYPES) for e in enums)


def test_rule_words_are_the_schemas() -> None:
    rule = _schema("common.schema.json")["$defs"]["rule"]
    assert set(rule["properties"]) - {"question"} == {*vocabulary.QUESTION_OPS, *vocabulary.COMBINATIONS}
    assert set(rule["dependentRequired"]) == set(vocabulary.QUESTION_OPS)
    one_of = rule["dependentSchemas"]["question"]["oneOf"]
    assert [r["required"][0] for r in one_of] == list(vocabulary.QUESTION_OPS)


def test_a_figure_reference_is_read_the_same_everywhere() -> None:
    from scripts.policy.checks import context
    from subsidy_calculator import formatting

    assert context.FIGURE_REF is formatting.PLACEHOLDER is vocabulary.FIGURE_REF
    assert vocabulary.FIGURE_REF.findall("[[a]] and [[m-1.b_2]], [[bad name]]") == ["a", "m-1.b_2", "bad name"]


def test_amount_shapes_are_the_schemas() -> None:
    from subsidy_calculator import amounts

    amount = _schema("measure.schema.json")["$defs"]["amount"]
    kinds = {"figure", *amounts.COUNTED, "left_out", "by_regulations", "none"}
    assert set(amount["properties"]) == kinds
    assert set(amounts.KINDS) == {"fixed", *amounts.COUNTED, "by_regulations", "none"}
    assert amount["not"] == {"required": list(amounts.COUNTED)}


def test_the_validator_the_engine_and_the_pages_read_amounts_with_one_module() -> None:
    from scripts.pages import list_page, view
    from scripts.policy.checks import measures
    from subsidy_calculator import amounts, engine

    for module in (measures, engine, view, list_page):
        assert module.read_amount is amounts.read_amount, module.__name__


def _walk(node):
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)
