"""The page generator on its own (no browser): every page in both languages, figures written the
way each language writes them, policy text never turned into markup, missing words stop it."""
from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
import pytest
import yaml
from mkdocs.config import load_config

from scripts.pages import guide
from scripts.pages.words import MissingText, md_inline
from scripts.pages.view import PolicyIndex, benefit_rows, key_amounts, period_text
from scripts.pages.words import Texts
from site_helpers import LANGS, ROOT, amounts

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def generated(policy, tmp_path_factory) -> Path:
    docs = tmp_path_factory.mktemp("docs")
    guide.generate(policy, docs)
    return docs


def _child(element: ET.Element, tag: str) -> ET.Element:
    found = element.find(tag)
    assert found is not None, f"no {tag} in {element.tag}"
    return found


def _text(element: ET.Element, tag: str) -> str:
    return _child(element, tag).text or ""


def _markdown_to_html(text: str) -> str:
    """Render like the site does: the Markdown extensions of mkdocs.yml."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.markdown(text, extensions=config["markdown_extensions"],
                             extension_configs=config["mdx_configs"])


def test_every_page_exists_in_both_languages(policy, generated: Path) -> None:
    expected = ["index", "changes", "notices"]
    expected += [f"measures/{m['id']}" for m in policy["measures"]]
    expected += [f"notices/{n['id']}" for n in policy["notices"]]
    expected += [f"parts/{p['id']}" for n in policy["notices"] for p in n["parts"]]
    expected += [f"audiences/{g['id']}" for g in policy["library"]["audience_groups"]]
    for page in expected:
        for lang in LANGS:
            assert (generated / f"{page}.{lang}.md").is_file(), f"{page}.{lang}.md"
    for lang in LANGS:
        assert (generated / f"feed.{lang}.xml").is_file()
        for notice in policy["notices"]:
            assert (generated / f"notices/{notice['id']}/feed.{lang}.xml").is_file()


def test_measure_pages_show_title_and_every_amount(policy, generated: Path) -> None:
    for measure in policy["measures"]:
        for lang in LANGS:
            page = (generated / f"measures/{measure['id']}.{lang}.md").read_text(encoding="utf-8")
            html = _markdown_to_html(page)
            text = re.sub(r"<[^>]+>", "", html)
            assert measure["title"][lang] in text
            for amount in amounts(measure, lang):
                assert amount in text, (measure["id"], lang, amount)


def test_measure_5_amounts_as_each_language_writes_them(policy) -> None:
    index, t = PolicyIndex(policy), Texts(policy["texts"]["site"])
    m5 = next(m for m in policy["measures"] if m["number"] == 5)
    zh = {r["name"]: r for r in benefit_rows(index, m5, "zh", t)}
    en = {r["name"]: r for r in benefit_rows(index, m5, "en", t)}
    assert zh["一次性求职补贴"]["amount"] == "1111元"
    assert en["One-time job-seeking subsidy"]["amount"] == "1,111 yuan"
    assert zh["吸纳高校毕业生一次性奖励"]["amount"] == "每名2111元"
    assert en["One-time award for hiring college graduates"]["amount"] == "2,111 yuan × number of graduates"
    assert zh["吸纳高校毕业生社会保险补贴"]["duration"] == "最长1.2个月"
    assert en["Social insurance subsidy for hiring college graduates"]["duration"] == "up to 1.2 months"
    assert zh["一次性求职补贴"]["period"] == "通知未载明"
    assert en["One-time job-seeking subsidy"]["period"] == "Not stated in the notice"
    # the same benefit assessed for the enterprise and for the graduate reads the same: shown once
    assert len([r for r in benefit_rows(index, m5, "en", t) if r["name"].startswith("One-time employment")]) == 1


def test_dated_values_each_with_their_period(policy) -> None:
    t = Texts(policy["texts"]["site"])
    assert period_text({"from": "2123-02-01", "until": None}, "zh", t) == "自2123年2月1日起"
    assert period_text({"from": "2123-02-01", "until": None}, "en", t) == "From 1 February 2123"
    assert period_text({"from": None, "until": "2123-01-31"}, "en", t) == \
        "Until 31 January 2123"
    changed = copy.deepcopy(policy)
    m5 = next(m for m in changed["measures"] if m["number"] == 5)
    m5["figures"]["hiring_award"]["values"] = [
        {"value": 2111, "as_published": "x", "from": None, "until": "2123-01-31"},
        {"value": 2500, "as_published": "y", "from": "2123-02-01", "until": None}]
    before = PolicyIndex(changed, day="2123-01-15")  # the site as built before the change
    rows = [r for r in benefit_rows(before, m5, "en", t) if "award" in r["name"]]
    assert [(r["amount"], r["period"]) for r in rows] == [
        ("2,111 yuan × number of graduates", "Until 31 January 2123"),
        ("2,500 yuan × number of graduates", "From 1 February 2123 (not yet in force)")]
    # the audience pages list both values, each with its period
    lines = [line for line in key_amounts(before, m5, "zh", t) if "奖励" in line]
    assert lines == ["吸纳高校毕业生一次性奖励：每名2111元（领取人：企业；至2123年1月31日）",
                     "吸纳高校毕业生一次性奖励：每名2500元（领取人：企业；自2123年2月1日起）"]
    # built after it: the table marks the old value ended, the audience page shows only the new one
    after = PolicyIndex(changed, day="2123-02-01")
    rows = [r for r in benefit_rows(after, m5, "zh", t) if "奖励" in r["name"]]
    assert [r["period"] for r in rows] == ["至2123年1月31日（已结束）", "自2123年2月1日起"]
    assert [line for line in key_amounts(after, m5, "zh", t) if "奖励" in line] == \
        ["吸纳高校毕业生一次性奖励：每名2500元（领取人：企业；自2123年2月1日起）"]


def test_policy_text_shows_as_text(policy, tmp_path: Path) -> None:
    hostile = '<script>alert(1)</script> *x* [y](javascript:z) # 1. <b>&amp;'
    changed = copy.deepcopy(policy)
    m5 = next(m for m in changed["measures"] if m["number"] == 5)
    for key in ("title", "summary"):
        m5[key] = {"zh": hostile, "en": hostile}
    m5["benefits"][0]["name"] = {"zh": hostile, "en": hostile}
    m5["source"]["as_published"] = hostile
    m5["contacts"] = [{"name": {"zh": hostile, "en": hostile}, "url": "javascript:alert(1)"}]
    guide.generate(changed, tmp_path)
    for lang in LANGS:
        html = _markdown_to_html((tmp_path / f"measures/{m5['id']}.{lang}.md").read_text(encoding="utf-8"))
        assert "<script" not in html and "<b>" not in html and "<em>" not in html
        assert 'href="javascript' not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; *x* [y](javascript:z) # 1. &lt;b&gt;&amp;amp;" in html
        for page in ("parts/reduce-burdens", "changes", "audiences/enterprises"):
            listing = _markdown_to_html((tmp_path / f"{page}.{lang}.md").read_text(encoding="utf-8"))
            assert "<script" not in listing and "&lt;script&gt;" in listing, page


def test_md_inline_neutralises_markdown() -> None:
    assert md_inline("1. *a* <b>") == r"1\. \*a\* &lt;b&gt;"
    assert md_inline("line\n# heading") == r"line \# heading"


def test_a_missing_translation_stops_the_build(policy, tmp_path: Path) -> None:
    changed = copy.deepcopy(policy)
    del changed["texts"]["site"]["measure"]["who_for"]["en"]
    with pytest.raises(MissingText, match="measure.who_for"):
        guide.generate(changed, tmp_path)
    changed = copy.deepcopy(policy)
    changed["measures"][0]["title"] = {"zh": "标题"}
    with pytest.raises(MissingText, match="'en'"):
        guide.generate(changed, tmp_path)


def test_a_hand_written_page_without_its_translation_stops_the_build(policy, tmp_path: Path) -> None:
    (tmp_path / "about.zh.md").write_text("# 关于\n", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="about.en.md"):
        guide.generate(policy, tmp_path)


def test_pages_are_written_only_when_they_change(policy, tmp_path: Path) -> None:
    guide.generate(policy, tmp_path)
    page = tmp_path / "measures" / f"{policy['measures'][0]['id']}.zh.md"
    before = page.stat().st_mtime_ns
    guide.generate(policy, tmp_path)
    assert page.stat().st_mtime_ns == before


def test_removed_measure_pages_are_deleted(policy, tmp_path: Path) -> None:
    guide.generate(policy, tmp_path)
    fewer = copy.deepcopy(policy)
    gone = fewer["measures"].pop()
    fewer["notices"][0]["measures"].remove(gone["id"])
    guide.generate(fewer, tmp_path)
    assert not (tmp_path / f"measures/{gone['id']}.zh.md").exists()
    assert (tmp_path / f"measures/{fewer['measures'][0]['id']}.zh.md").exists()


def test_feed_lists_every_change_newest_first(policy, generated: Path) -> None:
    changes = [(str(e["date"]), m) for m in policy["measures"] for e in m.get("change_log") or []]
    for lang in LANGS:
        feed = ET.parse(generated / f"feed.{lang}.xml").getroot()
        assert feed.tag == f"{ATOM}feed"
        entries = feed.findall(f"{ATOM}entry")
        assert len(entries) == min(len(changes), 100)
        updated = [_text(e, f"{ATOM}updated") for e in entries]
        assert updated == sorted(updated, reverse=True)
        assert _text(feed, f"{ATOM}updated") == updated[0]
        titles = " ".join(_text(e, f"{ATOM}title") for e in entries)
        links = {_child(e, f"{ATOM}link").get("href") for e in entries}
        for _, measure in changes:
            assert measure["title"][lang] in titles
            assert f"measures/{measure['id']}/" in links
        assert len({_text(e, f"{ATOM}id") for e in entries}) == len(entries)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_nav_lists_the_notices_and_every_audience_group(policy, lang: str) -> None:
    """The menu comes from policy/ (library.yaml's audience groups, texts/site.yaml's headings), so
    staff edit nothing else when an audience group changes; it lists the notices page, not each
    notice or part, so it does not grow with the library."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    menu = guide.site_config(policy, lang)
    assert "nav" not in config or not config["nav"], "the menu lives in policy/, not in mkdocs.yml"
    flat = yaml.safe_dump(menu["nav"], allow_unicode=True)
    site = policy["texts"]["site"]["site"]
    for heading in ("menu_audiences", "menu_about"):
        assert site[heading][lang] in flat
    assert menu["site_name"] == site["name"][lang]
    for group in policy["library"]["audience_groups"]:
        assert f"audiences/{group['id']}.md" in flat
    assert "measures/" not in flat and "parts/" not in flat, "measure and part pages stay out of the menu"
    for page in ("index.md", "notices.md", "calculator/index.md", "changes.md", "staff-guide.md", "privacy.md",
                 "accessibility.md"):
        assert page in flat
    assert "assets/js/register-sw.js" in [str(s) for s in config["extra_javascript"]]
    assert config["theme"]["font"] is False


def test_lists_are_split_into_pages_at_scale(policy, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(guide, "MEASURES_PER_PAGE", 2)
    guide.generate(policy, tmp_path)
    part = policy["notices"][0]["parts"][1]["id"]
    count = len([m for m in policy["measures"] if m["part"] == part])
    pages = [tmp_path / f"parts/{part}.zh.md"] + sorted((tmp_path / "parts" / part).glob("page-*.zh.md"))
    assert len(pages) == (count + 1) // 2
    second = pages[1].read_text(encoding="utf-8")
    assert f"](../{part}.md)" in second and "../../measures/" in second


def test_site_texts_fill_placeholders_like_the_calculator() -> None:
    """One placeholder syntax: {name}, filled once (a value holding braces stays as it is); a
    misspelt name stops the build instead of being published."""
    from scripts.pages.words import MissingText, Texts

    t = Texts({"a": {"zh": "第{number}条", "en": "Measure {number}"}, "b": {"zh": "第{nmber}条", "en": "{number}"}})
    assert t("a", "zh", number="{x}") == "第{x}条"
    assert t("a", "en", number=5) == "Measure 5"
    with pytest.raises(MissingText, match=r"\{nmber\}"):
        t("b", "zh", number=5)


def test_editors_backup_files_are_not_published_and_well_known_is(tmp_path: Path) -> None:
    """docs/ as an editor leaves it: backup and autosave files stay out of the site (they would be
    served as they are); docs/.well-known/ (security.txt) goes in."""
    from mkdocs.structure.files import get_files

    config = load_config(str(ROOT / "mkdocs.yml"))
    docs = tmp_path / "docs"
    (docs / ".well-known").mkdir(parents=True)
    names = ["privacy.zh.md", "privacy.zh.md~", "privacy.zh.md.bak", "#privacy.zh.md#", ".#privacy.zh.md",
             "assets/site.css~", ".well-known/security.txt"]
    for name in names:
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text("x", encoding="utf-8")
    config["docs_dir"] = str(docs)
    published = {f.src_uri for f in get_files(config) if f.inclusion.is_included()}
    assert published == {"privacy.zh.md", ".well-known/security.txt"}
