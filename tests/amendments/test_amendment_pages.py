"""The guide pages of the amended policy, generated as of a day before and a day after the
changes take effect: what a visitor reads in each language."""
from __future__ import annotations

import re

import pytest

from scripts.pages import guide
from scripts.pages.view import PolicyIndex, benefit_rows


@pytest.fixture(scope="module")
def pages(amended, tmp_path_factory, request):
    def build(day: str) -> dict[str, str]:
        out = tmp_path_factory.mktemp(f"pages-{day}")
        mp = pytest.MonkeyPatch()
        mp.setenv("SITE_DATE", day)
        try:
            guide.generate(amended, out)
        finally:
            mp.undo()
        return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file()}
    return {day: build(day) for day in ("2026-12-20", "2027-01-02")}


def _plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def test_before_the_change_texts_show_todays_amount_and_announce_the_new_one(pages) -> None:
    before = pages["2026-12-20"]
    zh = _plain(before["measures/employment-entrepreneurship-subsidies.zh.md"])
    en = _plain(before["measures/employment-entrepreneurship-subsidies.en.md"])
    assert re.search(r"给予1111元（自2027年1月1日起调整为1500元）", zh)
    assert "job-seeking subsidy of 1,111 yuan (1,500 yuan from 1 January 2027)" in en
    part = _plain(before["parts/reduce-burdens.en.md"])
    assert "1,111 yuan (1,500 yuan from 1 January 2027)" in part
    # the condition changed from a date: both listed with their dates
    assert "You hold a bachelor's degree or above (applies until 31 December 2026)" in en
    assert "You hold a junior college degree or above (applies from 1 January 2027)" in en
    # measure 8 says when it ends, on its page and in the part's list
    m8 = _plain(before["measures/flexible-employment.zh.md"])
    assert "本措施施行至2026年12月31日。" in m8


def test_after_the_change_the_new_amount_and_the_ended_measure(pages) -> None:
    after = pages["2027-01-02"]
    en = _plain(after["measures/employment-entrepreneurship-subsidies.en.md"])
    assert "job-seeking subsidy of 1,500 yuan." in en and "1,111 yuan (" not in en
    assert "bachelor's degree or above (" not in en  # the old condition has ended
    assert "You hold a junior college degree or above\n" in en
    assert "Social insurance subsidy for hiring college graduates (ended on 31 December 2026)" in en
    for lang, sentence, short in (("zh", "本措施已于2026年12月31日终止。", "已于2026年12月31日终止"),
                                  ("en", "This measure ended on 31 December 2026.", "ended on 31 December 2026")):
        page = _plain(after[f"measures/flexible-employment.{lang}.md"])
        assert sentence in page
        assert "无截止日期" not in page and "no end date" not in page
        assert short in _plain(after[f"parts/reduce-burdens.{lang}.md"])
        assert short in _plain(after[f"audiences/graduates.{lang}.md"])
        assert sentence in after[f"feed.{lang}.xml"]


def test_the_table_marks_what_has_ended_and_what_is_to_come(amended) -> None:
    m5 = next(m for m in amended["measures"] if m["number"] == 5)
    m8 = next(m for m in amended["measures"] if m["number"] == 8)
    before, after = PolicyIndex(amended, day="2026-12-20"), PolicyIndex(amended, day="2027-01-02")
    rows = [r["period"] for r in benefit_rows(before, m5, "en", before.t) if "job-seeking" in r["name"]]
    assert rows == ["Until 31 December 2026",
                    "From 1 January 2027 (not yet in force)"]
    rows = [r["period"] for r in benefit_rows(after, m5, "zh", after.t) if "求职" in r["name"]]
    assert rows == ["至2026年12月31日（已结束）", "自2027年1月1日起"]
    assert [r["period"] for r in benefit_rows(after, m8, "en", after.t)] == \
        ["Until 31 December 2026 (ended)"]


def test_change_log_names_the_supplementary_notice(pages) -> None:
    page = _plain(pages["2027-01-02"]["measures/flexible-employment.en.md"])
    assert "As published in Supplementary notice No. 1 of 2026: Measure 8 (support for flexible employment " \
           "of workers) ends on December 31, 2026." in page
    contact = _plain(pages["2027-01-02"]["measures/job-placement-subsidy.zh.md"])
    assert "人力资源社会保障服务大厅" in contact and 'href="tel:12333"' in contact


def test_the_build_says_on_which_day_to_build_again(amended, monkeypatch) -> None:
    """Pages are written as of the build day: `make site` names the next day a dated change takes
    effect (here the new amount and the end of measure 8, both on 1 January 2027)."""
    from scripts.publish import rebuild_reminder
    monkeypatch.setenv("SITE_DATE", "2026-12-20")
    monkeypatch.setenv("POLICY_LANG", "en")
    assert rebuild_reminder(amended) == (
        "publish: the pages are written as of 2026-12-20; a dated change takes effect on 2027-01-01: "
        "build the site again that day (make site).\n"
        "publish：页面按2026-12-20的政策生成；2027-01-01有调整生效，请在当天重新生成网站（make site）。")
    # every day to come, not only the next
    later = {**amended, "notices": [*amended["notices"], {"id": "x", "in_force": {"from": None, "until": "2027-06-30"}}]}
    assert rebuild_reminder(later).startswith(
        "publish: the pages are written as of 2026-12-20; dated changes take effect on 2027-01-01, 2027-07-01: "
        "build the site again on each of those days (make site).\n"
        "publish：页面按2026-12-20的政策生成；2027-01-01、2027-07-01均有调整生效，请在上述每一天重新生成网站")
    monkeypatch.setenv("SITE_DATE", "2027-01-02")
    assert rebuild_reminder(amended).startswith(
        "publish: the pages are written as of 2027-01-02; nothing dated is to come.")
