"""The staff guide's example library: the real notice plus a youth-employment notice of three
measures that supersedes the first notice's measure 6 from 2028-01-01. What a visitor reads on its
pages and in the calculator, on days before and after the notice's own dates."""
from __future__ import annotations

import html
import re
import textwrap
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from mkdocs.config import load_config

from example_library import EXAMPLE, NOTICE, ROOT
from scenario_check import check_case
from scripts.pages import guide
from scripts.pages.view import PolicyIndex
from scripts.policy import validate
from scripts.policy.reader import read_yaml

SCENARIOS, _ = read_yaml(EXAMPLE / "scenarios" / "youth-employment.yaml", "youth-employment.yaml")
assert SCENARIOS is not None
CASES = SCENARIOS.data["cases"]


def _plain(text: str) -> str:
    """What a visitor reads: the page rendered with the site's Markdown extensions, without tags."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    page = markdown.markdown(text, extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _pages(library: dict[str, Any], day: str, monkeypatch) -> dict[str, str]:
    monkeypatch.setenv("SITE_DATE", day)
    return guide._Site(library).build()


def test_the_example_library_is_valid(library_dir: Path) -> None:
    assert [p.format() for p in validate(library_dir)] == []


def test_notices_are_newest_first_and_measures_know_their_notice(library: dict[str, Any]) -> None:
    assert [n["id"] for n in library["notices"]] == [NOTICE, "eighteen-measures"]
    assert {m["notice"] for m in library["measures"][:3]} == {NOTICE}
    assert library["notices"][0]["measures"] == ["youth-internship-subsidy", "youth-start-up-subsidy",
                                                 "youth-career-guidance"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"]["en"] for c in CASES])
def test_example_scenario(library_rules, case: dict[str, Any]) -> None:
    check_case(library_rules.evaluate(case["answers"], case["date"], case.get("lang", "zh"), what_if=True), "", case)


def test_the_calculator_names_the_notice_and_the_superseding_one(library_rules) -> None:
    answers = {"role": "enterprise", "enterprise_size": "small", "offers_internships": True, "interns_completed": 3}
    before = library_rules.evaluate(answers, "2027-12-31", "zh")
    youth = next(m for m in before["measures"] if m["id"] == "youth-internship-subsidy")
    assert youth["label"] == "2027年第2号通知 · 第一条" and youth["notice_title"] == "2027年第2号通知"
    item = youth["items"][0]
    assert (item["amount_text"], item["arithmetic"]) == ("5400元", ["3名 × 1800元 = 5400元"])
    assert next(m for m in before["measures"] if m["id"] == "employment-internships")["status"] == "may_be_eligible"
    after = library_rules.evaluate(answers, "2028-01-01", "en")
    old = next(m for m in after["measures"] if m["id"] == "employment-internships")
    assert old["status"] == "not_in_force"
    assert old["reasons"] == ["This measure was superseded by Notice No. 2 of 2027 from 1 January 2028."]
    assert old["label"] == "Eighteen employment measures · Measure 6"
    # results list the notices in the library's order: the newest first
    assert [m["notice"] for m in after["measures"]][:3] == [NOTICE] * 3


def test_the_notice_pages(library: dict[str, Any], monkeypatch) -> None:
    pages = _pages(library, "2027-06-01", monkeypatch)
    zh = _plain(pages[f"notices/{NOTICE}.zh.md"])
    assert "关于支持青年就业的通知" in zh and "No. 2 [2027]" in zh and "2027年3月15日" in zh
    assert "2027年第2号通知自2028年1月1日起替代稳就业十八条措施（第六条）。" in zh
    assert "第一条 支持青年就业见习" in zh and "第三条 为求职青年提供职业指导" in zh
    assert "Notice on Supporting Youth Employment" in zh  # its full text as published
    en = _plain(pages[f"notices/{NOTICE}.en.md"])
    assert "Notice No. 2 of 2027 supersedes Eighteen employment measures (Measure 6) from 1 January 2028." in en
    listing = pages["notices.en.md"]
    assert listing.index("Notice on Supporting Youth Employment") < listing.index("Eighteen measures to stabilise employment")
    assert 'data-state="in_force"' in listing and 'data-year="2027"' in listing
    # the measure page of the superseded measure says so, with the notice to read
    old = _plain(pages["measures/employment-internships.en.md"])
    assert "Notice No. 2 of 2027 supersedes this measure from 1 January 2028." in old
    youth = _plain(pages["measures/youth-internship-subsidy.zh.md"])
    assert "2027年第2号通知 · 第一条" in youth and "1800元" in youth


def test_where_to_ask_is_the_publishers_own_line_never_the_notices(library: dict[str, Any], monkeypatch) -> None:
    pages = _pages(library, "2027-06-01", monkeypatch)
    zh = _plain(pages["measures/youth-internship-subsidy.zh.md"])
    assert "向本站发布单位咨询 以下为本站发布单位的咨询渠道，并非通知内容。 市人力资源和社会保障局" in zh
    assert "电话： 12333" in zh and "地址：市民服务中心二楼" in zh
    en = _plain(pages["measures/youth-internship-subsidy.en.md"])
    assert "Ask the publisher of this site The publisher's own service line and hall, not a statement of the notice." in en
    assert "Citizen Service Centre, 2nd floor" in en


def test_after_the_date_the_superseded_measure_is_not_offered(library: dict[str, Any], monkeypatch) -> None:
    pages = _pages(library, "2028-01-02", monkeypatch)
    old = _plain(pages["measures/employment-internships.zh.md"])
    assert "本措施已由2027年第2号通知替代，自2028年1月1日起不再执行。" in old
    assert "测一测能否享受" not in old  # the calculator button no longer offers it
    audience = _plain(pages["audiences/enterprises.zh.md"])
    assert audience.index("支持青年就业见习") < audience.index("支持企业参与就业见习")  # in force first
    changes = _plain(pages["changes.en.md"])
    assert changes.count("Notice No. 2 of 2027 supersedes Eighteen employment measures (Measure 6)") == 1
    index = PolicyIndex(library, "2028-01-02")
    assert not index.in_force(index.measure_by_id["employment-internships"])


def _guide_block(lang: str, marker: str) -> Any:
    """The YAML block of the staff guide that holds `marker`, read (its comments dropped)."""
    text = (ROOT / "docs" / f"staff-guide.{lang}.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    found = [b for b in blocks if marker in b]
    assert len(found) == 1, f"staff-guide.{lang}.md: one ```yaml block with {marker!r}"
    return yaml.safe_load(textwrap.dedent(found[0]))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_staff_guide_shows_the_example_that_is_tested(lang: str) -> None:
    """The guide's worked example of a new notice and of a repeal is the example library's."""
    notice = yaml.safe_load((EXAMPLE / "notices" / NOTICE / "notice.yaml").read_text(encoding="utf-8"))
    assert _guide_block(lang, "acts_on:\n  - action:")["acts_on"] == notice["acts_on"]
    shown = _guide_block(lang, "short_title: {zh: 2027年第2号通知")
    assert {k: v for k, v in shown.items() if k != "summary"} == \
        {k: v for k, v in notice.items() if k not in ("summary", "acts_on")} | {"acts_on": []}
    question = yaml.safe_load((EXAMPLE / "question.yaml").read_text(encoding="utf-8"))
    assert _guide_block(lang, "- id: interns_completed")[0] == {k: v for k, v in question.items() if k != "help"}


def test_a_repeal_of_a_measure_the_notice_does_not_have(library_dir: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "policy"
    shutil.copytree(library_dir, copy)
    notice = copy / "notices" / NOTICE / "notice.yaml"
    notice.write_text(notice.read_text(encoding="utf-8").replace("measures: [6]", "measures: [19]"), encoding="utf-8")
    assert [p.format() for p in validate(copy)] == [
        f"policy/notices/{NOTICE}/notice.yaml:25:16: acts_on[0].measures[0]: notice 'eighteen-measures' has no measure 19 "
        "(it has 18) — hint: give the measure's number within that notice (its file name starts with it)"]
