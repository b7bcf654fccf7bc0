"""What a visitor reads says what the notice says, and no more (issue 34): where the notice is
silent the pages say so in one phrase (通知未载明 / "The notice does not state"), and they never
state a period, an office, contacts, a payment schedule or an amount the notice does not give."""
from __future__ import annotations

import re

import markdown
import pytest

from scripts.pages import calculator_page, guide, list_page
from site_helpers import LANGS

# Sentences an earlier version published that the notice does not support.
NOT_IN_THE_NOTICE = {
    "zh": ["无截止日期", "自通知施行之日起", "请向人力资源社会保障部门咨询", "审核认定为准", "审核为准",
           "按规定分期享受", "按规定标准", "本条措施无需申请", "优先推动", "非现金支持", "通知未列明"],
    "en": ["no end date", "Since the notice took effect", "ask the human resources", "the department decides",
           "Over a period", "According to regulations", "nothing to apply for", "come first",
           "large industrial enterprises", "does not list", "does not say"],
}


@pytest.fixture(scope="module")
def pages(policy, tmp_path_factory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("notice-words")
    guide.generate(policy, out)
    calculator_page.generate(policy, out)
    list_page.generate(policy, out)
    html = {}
    for path in out.rglob("*.md"):
        text = markdown.markdown(path.read_text(encoding="utf-8"), extensions=["attr_list", "md_in_html", "tables"])
        html[str(path.relative_to(out))] = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))
    return html


def _page(pages: dict[str, str], name: str) -> str:
    return pages[name]


@pytest.mark.parametrize("lang", LANGS)
def test_no_page_states_what_the_notice_does_not(pages, lang: str) -> None:
    for name, text in pages.items():
        if not name.endswith(f".{lang}.md") or name.startswith("staff-guide"):
            continue
        found = [s for s in NOT_IN_THE_NOTICE[lang] if s in text]
        assert found == [], (name, found)


@pytest.mark.parametrize("lang, announced, silent", [
    ("zh", "待公布", "通知未载明联系方式。"),
    ("en", "To be announced", "The notice does not state any contacts."),
])
def test_only_measure_10_says_its_contacts_are_to_be_announced(pages, policy, lang, announced, silent) -> None:
    for m in policy["measures"]:
        text = _page(pages, f"measures/{m['id']}.{lang}.md")
        if m["number"] == 10:
            assert announced in text and silent not in text
        else:
            assert announced not in text and silent in text, m["id"]


@pytest.mark.parametrize("lang, words", [
    ("zh", {"return-to-work": ["加快推动重大项目", "重点基础设施和重点骨干企业"],
            "stay-put-for-new-year": ["2123年春节期间"],
            "recruitment-services": ["规模以上工业企业", "中小企业", "灵活就业人员"],
            "employment-internships": ["参加就业见习的青年"],
            "employment-assistance": ["符合条件的失业保险金和临时生活补助领取人员", "通知未载明金额"],
            "employment-entrepreneurship-subsidies": ["前1110亿", "符合按规定给予社会保险补贴的条件"],
            "labour-sharing": ["免费为用工富余和缺工企业发布供求信息"]}),
    ("en", {"return-to-work": ["accelerated", "key infrastructure and key backbone enterprises"],
            "stay-put-for-new-year": ["during the Spring Festival in 2123"],
            "recruitment-services": ["industrial enterprises above designated size", "Small and medium-sized enterprises",
                                     "Flexible employees"],
            "employment-internships": ["Young people on employment internships"],
            "employment-assistance": ["Eligible personnel", "Not stated in the notice"],
            "employment-entrepreneurship-subsidies": ["top 111 billion", "The enterprise meets the conditions for the social insurance subsidy"],
            "labour-sharing": ["are published free of charge"]}),
])
def test_measures_keep_the_notices_words(pages, lang: str, words: dict[str, list[str]]) -> None:
    for measure_id, expected in words.items():
        text = _page(pages, f"measures/{measure_id}.{lang}.md")
        missing = [w for w in expected if w not in text]
        assert missing == [], (measure_id, missing)


@pytest.mark.parametrize("lang, note", [("zh", "原文无标题，标题为本站所加"), ("en", "untitled as published; the title is ours")])
def test_the_home_page_says_the_notices_title_is_descriptive(pages, lang: str, note: str) -> None:
    assert note in _page(pages, f"index.{lang}.md")
    assert note in _page(pages, f"notices.{lang}.md")


def test_calculator_help_that_the_notice_does_not_give_is_labelled(pages) -> None:
    zh, en = _page(pages, "calculator/index.zh.md"), _page(pages, "calculator/index.en.md")
    assert "通知未载明企业规模的划分标准。一般按国家中小企业划型标准确定（一般指引，非通知内容）" in zh
    assert "通知未载明就业困难人员的认定条件。" in zh and "经认定为就业困难人员？" not in zh
    assert "(General guidance, not from the notice.)" in en


def test_the_list_page_writes_its_limits_the_chinese_way(pages) -> None:
    zh = next(text for name, text in pages.items() if name.endswith("list.zh.md"))
    assert "文件不超过10MB，且不超过50000行。" in zh
    assert "通知未载明择业期的长短。" in zh and "（一般指引，非通知内容）" in zh
