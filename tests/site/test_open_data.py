"""The library as open data (site/data/): every notice and measure, with its figures, dates and
conditions in both languages, as JSON that validates against the JSON Schemas published beside it."""
from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from scripts.pages import guide


@pytest.fixture(scope="module")
def data(policy: dict[str, Any]) -> dict[str, Any]:
    files = guide._Site(policy).build()
    return {path[len("data/"):]: json.loads(text) for path, text in files.items() if path.startswith("data/")}


def _validator(data: dict[str, Any], schema: str) -> Draft202012Validator:
    """A validator that resolves `$ref`s only among the published schemas (never the network)."""
    registry = Registry().with_resources(
        (name.removeprefix("schema/"), Resource.from_contents(doc)) for name, doc in data.items()
        if name.startswith("schema/"))
    return Draft202012Validator(data[f"schema/{schema}"], registry=registry)


def test_every_file_follows_its_published_schema(data: dict[str, Any]) -> None:
    notices = [name for name in data if name.startswith("notices/")]
    assert notices
    for name in notices:
        errors = [e.message for e in _validator(data, "notice-data.schema.json").iter_errors(data[name])]
        assert errors == [], name
    assert list(_validator(data, "notices.schema.json").iter_errors(data["notices.json"])) == []
    assert list(_validator(data, "library.schema.json").iter_errors(data["library.json"])) == []


def test_every_notice_and_measure_with_its_figures_in_both_languages(policy: dict[str, Any], data) -> None:
    index = data["notices.json"]["notices"]
    assert [n["id"] for n in index] == [n["id"] for n in policy["notices"]]
    for entry in index:
        notice = data[entry["data"]]
        assert notice["text"] == next(n for n in policy["notices"] if n["id"] == entry["id"])["text"]
        assert [m["id"] for m in entry["measures"]] == [m["id"] for m in notice["measures"]]
    published = data["notices/eighteen-measures.json"]
    m5 = next(m for m in published["measures"] if m["number"] == 5)
    award = m5["figures"]["hiring_award"]["values"][0]
    assert (award["value"], award["as_published"]) == (2111, "2,111 yuan/person for the enterprise")
    assert m5["title"] == {"zh": "落实就业创业补贴", "en": "Employment and entrepreneurship subsidies"}
    conditions = next(b for b in m5["benefits"] if b["id"] == "graduate-hiring-award")["conditions"]
    assert conditions[0]["rule"] == {"question": "enterprise_size", "in": ["small", "micro"]}
    assert published["notice"]["in_force"] == {"from": None, "until": None} and published["ended_by"] is None


def test_the_notices_page_links_the_open_data(policy: dict[str, Any]) -> None:
    files = guide._Site(policy).build()
    for lang in ("zh", "en"):
        assert "data/notices.json" in files[f"notices.{lang}.md"]
        assert "data/notices/eighteen-measures.json" in files[f"notices/eighteen-measures.{lang}.md"]
