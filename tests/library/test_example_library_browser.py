"""In Chromium, the example library's site built as of 2028-01-02 and served by its own nginx with
the production configuration: the list of notices and its filters, the new notice's page, the
superseded measure's page, and the calculator's result grouped and labelled by notice."""
from __future__ import annotations

import re
from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

import example_library
from served_policy import served_site, visitor_page
from scripts.server.local_nginx import LocalNginx

pytestmark = pytest.mark.browser

BUILT_ON = "2028-01-02"
PY_TIMEOUT = 120_000  # a cold Pyodide start on a busy 2-core machine
ENTERPRISE = "role=enterprise&enterprise_size=small&offers_internships=true&interns_completed=3"


@pytest.fixture(scope="module")
def library_server(tmp_path_factory) -> Iterator[LocalNginx]:
    with served_site(tmp_path_factory, "library-site", example_library.write, BUILT_ON) as (server, _work):
        yield server


@pytest.fixture()
def visitor(browser: Browser, library_server: LocalNginx) -> Iterator[Page]:
    with visitor_page(browser, library_server, viewport={"width": 390, "height": 800}) as page:
        yield page


def test_the_list_of_notices_filters_by_topic_year_and_status(visitor: Page, library_server: LocalNginx) -> None:
    visitor.goto(library_server.url + "/notices/")
    items = visitor.locator(".notice-list > li")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("关于支持青年就业的通知")
    expect(visitor.locator("#notice-count")).to_have_text("显示2份通知，共2份")
    visitor.get_by_label("主题").select_option(label="创业担保贷款")
    expect(visitor.locator(".notice-list > li:visible")).to_have_count(1)
    expect(visitor.locator(".notice-list > li:visible")).to_contain_text("关于做好当前稳就业工作的十八条措施")
    visitor.get_by_label("主题").select_option(label="全部")
    visitor.get_by_label("发布年份").select_option("2027")
    expect(visitor.locator(".notice-list > li:visible")).to_have_count(1)
    expect(visitor.locator("#notice-count")).to_have_text("显示1份通知，共2份")
    visitor.get_by_label("施行状态").select_option(label="已失效")
    expect(visitor.locator(".notice-list > li:visible")).to_have_count(0)
    expect(visitor.locator("#notice-none")).to_be_visible()


def test_the_new_notice_and_the_superseded_measure(visitor: Page, library_server: LocalNginx) -> None:
    visitor.goto(library_server.url + "/en/notices/2027-youth-employment/")
    article = visitor.locator("article")
    expect(visitor.locator("h1")).to_have_text("Notice on Supporting Youth Employment")
    expect(article.locator(".notice-facts")).to_contain_text("No. 2 [2027]")
    expect(article).to_contain_text("Notice No. 2 of 2027 supersedes Eighteen employment measures (Measure 6) "
                                    "from 1 January 2028.")
    article.get_by_role("link", name="Measure 1 Youth employment internships").click()
    expect(visitor.locator("article .page-label")).to_contain_text("Notice No. 2 of 2027 · Measure 1")
    expect(visitor.locator("article .benefits")).to_contain_text("1,800 yuan")
    visitor.goto(library_server.url + "/measures/employment-internships/")
    state = visitor.locator("article .measure-state")
    expect(state).to_contain_text("本措施已由2027年第2号通知替代，自2028年1月1日起不再执行。")
    state.get_by_role("link").click()
    expect(visitor).to_have_url(re.compile(r"/notices/2027-youth-employment/$"))


def test_the_calculator_groups_results_by_notice(visitor: Page, library_server: LocalNginx) -> None:
    visitor.goto(library_server.url + f"/calculator/#{ENTERPRISE}&on={BUILT_ON}")
    visitor.wait_for_selector('#calc[data-phase="ready"], #calc[data-phase="failed"]', state="attached",
                              timeout=PY_TIMEOUT)
    item = visitor.locator('.calc-group .calc-item[data-benefit="youth-internship-subsidy"]')
    expect(item).to_contain_text("5400元")
    expect(item).to_contain_text("3名 × 1800元 = 5400元")
    expect(item.locator(".calc-measure-link a")).to_have_text("阅读2027年第2号通知 · 第一条：支持青年就业见习")
    notices = visitor.locator(".calc-measures .calc-notice-group")
    expect(notices.locator(".calc-notice-title")).to_have_text(["2027年第2号通知", "稳就业十八条措施"])
    old = visitor.locator('.calc-measures li[data-measure="employment-internships"]')
    expect(old).to_have_attribute("data-status", "not_in_force")
    expect(old).to_contain_text("本措施已由2027年第2号通知替代，自2028年1月1日起不再执行。")
    # measures only for other visitors (a person's flexible employment subsidy) are counted, not listed
    expect(visitor.locator('.calc-measures li[data-measure="flexible-employment"]')).to_have_count(0)
    expect(visitor.locator(".calc-measures .calc-other-measures")).to_have_text("另有4项措施的补贴面向其他对象，未在此列出。")
    # where to ask: the publisher's own line beside the results, said to be the publisher's
    where = visitor.locator(".calc-where")
    expect(where).to_contain_text("以下为本站发布单位的咨询渠道，并非通知内容。")
    expect(where.get_by_role("link", name="12333")).to_have_attribute("href", "tel:12333")
    # the visitor's question for the new subsidy is asked only of an enterprise that takes trainees
    expect(visitor.get_by_label("有多少名见习人员已完成见习？")).to_be_visible()
