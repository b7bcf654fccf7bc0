"""The site in Chromium, as a visitor reads it: measure pages in both languages, the language
switcher, search in Chinese and English, the changes page and feed, printing, phones, 404. (Every
measure page read at phone width: tests/site/test_site_accessibility.py, on the same visit as axe.)
Each test reads in the module's one tab (`reader`, tests/site/conftest.py), as a visitor goes from
page to page."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from subsidy_calculator.formatting import format_date
from playwright.sync_api import Page, expect

from site_helpers import LANGS, measure_path, prefix

SEARCH_READY = {"zh": "键入以开始搜索", "en": "Type to start searching"}


def _measure(policy: dict, number: int) -> dict:
    return next(m for m in policy["measures"] if m["number"] == number)


@pytest.mark.parametrize("lang, expected", [
    ("zh", ["1111元", "每名2111元", "2111元", "最长1.2个月", "通知未载明", "通知未载明联系方式。", "通知未载明所需材料。"]),
    ("en", ["1,111 yuan", "2,111 yuan × number of graduates", "up to 1.2 months",
            "Not stated in the notice", "The notice does not state any contacts."]),
])
def test_measure_5_reads_as_published(reader: Page, policy: dict, lang: str, expected: list[str]) -> None:
    m5 = _measure(policy, 5)
    reader.goto(measure_path(m5, lang))
    article = reader.locator("article")
    for text in expected:
        expect(article).to_contain_text(text)
    # the notice as published, and on the Chinese page also the Chinese text as a reference translation
    expect(article.locator('blockquote[lang="en"]')).to_contain_text("2,111 yuan/person for the enterprise")
    if lang == "zh":
        expect(article.locator("blockquote").nth(1)).to_contain_text("五、落实就业创业补贴")
        expect(reader.get_by_role("heading", name="参考译文")).to_be_visible()
    # self-checks are a checklist the visitor can tick
    box = reader.get_by_role("checkbox").first
    box.check()
    expect(box).to_be_checked()
    # "check whether you qualify": measure 5's benefits are for enterprises, individual businesses
    # and graduates, so the calculator asks who is asking; measure 7's are for agencies only
    link = reader.locator("a.calculator-link")
    assert link.get_attribute("href") == "../../calculator/"
    expect(link).to_have_text("测一测能否享受" if lang == "zh" else "Check whether you qualify")
    reader.goto(measure_path(_measure(policy, 7), lang))
    assert reader.locator("a.calculator-link").get_attribute("href") == "../../calculator/#role=hr_agency"


def test_information_only_measure_links_to_the_calculator_generally(reader: Page, policy: dict) -> None:
    info = next(m for m in policy["measures"] if not m.get("benefits"))
    reader.goto(measure_path(info, "en"))
    expect(reader.locator("article")).to_contain_text("It sets no subsidy amount or personal benefit")
    assert reader.locator("a.calculator-link").get_attribute("href") == "../../calculator/"


@pytest.mark.parametrize("start, target", [("zh", "en"), ("en", "zh")])
def test_language_switcher_keeps_the_visitor_on_the_same_page(reader: Page, policy: dict, start: str,
                                                               target: str) -> None:
    m5 = _measure(policy, 5)
    reader.goto(measure_path(m5, start))
    reader.locator(".md-header .md-select").hover()
    reader.locator(f'.md-select__link[hreflang="{target}"]').click()
    expect(reader).to_have_url(re.compile(re.escape(measure_path(m5, target)) + "$"))
    expect(reader.locator("h1")).to_have_text(m5["title"][target])
    expect(reader.locator("html")).to_have_attribute("lang", "zh-Hans" if target == "zh" else "en")


def _search(page: Page, lang: str, query: str):
    page.goto(prefix(lang) + "/")
    box = page.locator("input.md-search__input")
    box.click()
    # Material loads its index in a worker; until then it says "Initializing search"
    expect(page.locator(".md-search-result__meta")).to_have_text(SEARCH_READY[lang], timeout=15_000)
    box.fill(query)
    box.press("End")  # Material searches on keyup
    return page.locator(".md-search-result__item a")


@pytest.mark.parametrize("lang, query, number", [
    ("zh", "见习", 6),          # from the middle of 支持企业参与就业见习 and of its sentences
    ("zh", "求职补贴", 5),      # 一次性求职补贴
    ("en", "internship", 6),
    ("en", "placement", 7),
])
def test_search_finds_the_measure(reader: Page, policy: dict, lang: str, query: str, number: int) -> None:
    measure = _measure(policy, number)
    results = _search(reader, lang, query)
    expect(results.first).to_be_visible(timeout=10_000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(min(results.count(), 10))]
    assert any(f"measures/{measure['id']}/" in (h or "") for h in hrefs), hrefs
    first_page = [h for h in hrefs if "/measures/" in (h or "")][0]
    assert ("/en/" in first_page) == (lang == "en"), first_page
    # the measure ranks first: above the audience and part pages that name it, and no staff page
    # (whose worked examples read like real amounts) is in the public search
    assert f"measures/{measure['id']}/" in (hrefs[0] or ""), hrefs
    assert not [h for h in hrefs if "staff-guide" in (h or "")], hrefs


@pytest.mark.parametrize("lang, query, other", [
    ("en", "见习", "zh"),          # a Chinese word: the Chinese pages have it, the English index does not
    ("zh", "placement", "en"),
])
def test_search_finds_nothing_from_the_other_language(reader: Page, lang: str, query: str, other: str) -> None:
    results = _search(reader, lang, query)
    meta = reader.locator(".md-search-result__meta")
    expect(meta).not_to_have_text(SEARCH_READY[lang], timeout=10_000)  # the search has answered
    hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    assert all(("/en/" in h) == (lang == "en") for h in hrefs), hrefs


@pytest.mark.parametrize("lang", LANGS)
def test_search_index_is_asked_for_only_when_search_opens(reader: Page, policy: dict, base_url: str,
                                                         lang: str) -> None:
    """A page that is only read downloads no search index and no search worker; opening the search
    box downloads the index of the page's language, and only that one."""
    asked: list[str] = []
    listen = lambda request: asked.append(request.url)  # noqa: E731
    reader.on("request", listen)
    try:
        reader.goto(measure_path(_measure(policy, 5), lang))
        reader.wait_for_load_state("networkidle")
        assert not [u for u in asked if "search_index" in u or "/workers/search." in u], asked
        own = f"{base_url}{prefix(lang)}/search/search_index.json"
        with reader.expect_request(own):
            reader.locator("input.md-search__input").focus()
        expect(reader.locator(".md-search-result__meta")).to_have_text(SEARCH_READY[lang], timeout=15_000)
        assert [u for u in asked if "search_index" in u] == [own], asked
    finally:
        reader.remove_listener("request", listen)


def test_a_page_opened_from_a_search_result_marks_the_words(reader: Page, policy: dict) -> None:
    # the search index is then asked for on the page's load (Material's search.highlight)
    reader.goto(measure_path(_measure(policy, 6), "en") + "?h=internship")
    expect(reader.locator("article mark").first).to_have_text(re.compile("internship", re.I), timeout=15_000)


@pytest.mark.parametrize("lang", LANGS)
def test_changes_page_and_feed_list_the_changes(reader: Page, policy: dict, base_url: str, lang: str) -> None:
    reader.goto(prefix(lang) + "/changes/")
    article = reader.locator("article")
    for measure in policy["measures"]:
        for entry in measure.get("change_log") or []:
            expect(article).to_contain_text(entry["text"][lang])
        expect(article.get_by_role("link", name=measure["title"][lang], exact=False).first).to_be_visible()
    feed_link = reader.locator('head link[rel="alternate"][type="application/atom+xml"]')
    feed_url = base_url + prefix(lang) + "/feed.xml"
    assert reader.evaluate("e => e.href", feed_link.element_handle()) == feed_url
    response = reader.request.get(feed_url)
    assert response.ok
    feed = ET.fromstring(response.body())
    titles = [e.findtext("{http://www.w3.org/2005/Atom}title") for e in feed.iter("{http://www.w3.org/2005/Atom}entry")]
    assert len(titles) == sum(len(m.get("change_log") or []) for m in policy["measures"])
    assert any(_measure(policy, 5)["title"][lang] in (t or "") for t in titles)
    article.locator("a.feed-link").click()
    assert reader.url == feed_url


@pytest.mark.parametrize("lang", LANGS)
def test_home_page_leads_everywhere(reader: Page, policy: dict, lang: str) -> None:
    reader.goto(prefix(lang) + "/")
    article = reader.locator("article")
    expect(reader.locator("h1")).to_have_text(policy["texts"]["site"]["home"]["title"][lang])
    expect(article).to_contain_text("现行有效的通知1份、措施18条" if lang == "zh" else "1 in force, with 18 measures in force")
    for group in policy["library"]["audience_groups"]:
        expect(article.get_by_role("link", name=group["title"][lang], exact=True)).to_be_visible()
    # every notice, with whether it is in force; the notice's page lists its parts
    notice = policy["notices"][0]
    expect(article.locator("li", has_text=notice["title"][lang])).to_contain_text("现行有效" if lang == "zh" else "In force")
    newest = max(str(e["date"]) for m in policy["measures"] for e in m.get("change_log") or [])
    expect(article).to_contain_text(format_date(newest, lang))  # "Last updated"
    article.locator("a.md-button--primary").click()
    expect(reader).to_have_url(re.compile(re.escape(prefix(lang) + "/calculator/") + "$"))
    reader.goto(prefix(lang) + "/")
    reader.locator("article").get_by_role("link", name=notice["title"][lang], exact=True).click()
    expect(reader).to_have_url(re.compile(re.escape(prefix(lang) + f"/notices/{notice['id']}/") + "$"))
    article = reader.locator("article")
    expect(article.locator(".page-label")).to_contain_text("原文无标题" if lang == "zh" else "descriptive title is ours")
    for part in notice["parts"]:
        expect(article.get_by_role("link", name=re.compile(re.escape(part["title"][lang])))).to_be_visible()
    expect(article.locator(".notice-facts")).to_contain_text("原文未载明" if lang == "zh" else "Not stated in the published text")
    expect(article.locator(".notice-text")).to_contain_text(notice["text"].splitlines()[1][:80])
    m5 = _measure(policy, 5)
    article.get_by_role("link", name=re.compile(re.escape(m5["title"][lang]))).click()
    expect(reader.locator("article .page-label")).to_contain_text(
        "稳就业十八条措施 · 第五条" if lang == "zh" else "Eighteen employment measures · Measure 5")


def test_part_and_audience_pages_lead_to_their_measures(reader: Page, policy: dict) -> None:
    m5 = _measure(policy, 5)
    reader.goto("/parts/reduce-burdens/")
    reader.get_by_role("link", name=re.compile(m5["title"]["zh"])).click()
    expect(reader.locator("h1")).to_have_text(m5["title"]["zh"])
    reader.goto("/en/audiences/enterprises/")
    item = reader.locator(".measure-list > ul > li").filter(has_text=m5["title"]["en"])
    expect(item).to_contain_text("2,111 yuan")
    expect(reader.locator("a.md-button--primary")).to_have_attribute("href", "../../calculator/#role=enterprise")


@pytest.mark.parametrize("lang", LANGS)
def test_measure_page_prints_without_the_site_chrome(reader: Page, policy: dict, lang: str) -> None:
    reader.goto(measure_path(_measure(policy, 5), lang))
    reader.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer",
                   "a.calculator-link"):
        expect(reader.locator(chrome).first).to_be_hidden()
    expect(reader.locator("h1")).to_be_visible()
    expect(reader.locator(".benefits table")).to_be_visible()
    expect(reader.locator("blockquote.source").first).to_be_visible()


@pytest.mark.parametrize("lang", LANGS)
def test_404_page(reader: Page, lang: str) -> None:
    reader.goto(prefix(lang) + "/404.html")
    expect(reader.locator("h1")).to_have_text("找不到该页面" if lang == "zh" else "Page not found")
    expect(reader.locator("html")).to_have_attribute("lang", "zh-Hans" if lang == "zh" else "en")
    other = reader.locator("section.not-found[lang]")
    expect(other).to_have_attribute("lang", "en" if lang == "zh" else "zh-Hans")
