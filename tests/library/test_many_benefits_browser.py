"""In Chromium, at a phone's width, a library with more benefits for one visitor than the result
shows at first (a synthetic library of 50 measures: copies of the real 18, scripts/dev/synthetic_policy.py):
each recipient shows its first cards, says how many there are, and "show more" shows the rest,
a few at a time, while the totals stay those of all of them (the page gets a result the size of
what the visitor sees: ARCHITECTURE.md, D14)."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from served_policy import served_site, visitor_page
from scripts.dev import scale
from scripts.server.local_nginx import LocalNginx
from subsidy_calculator import load_rules

pytestmark = pytest.mark.browser

DAY = "2026-12-06"
PY_TIMEOUT = 120_000  # a cold Pyodide start on a busy 2-core machine
ANSWERS = {"role": "enterprise", "enterprise_size": "small", "graduates_hired": 3}
FIRST = 10  # cards a recipient shows at first, and "show more" adds (engine.CARDS, results.js MORE_CARDS)
WORDS = {
    "zh": {"shown": "已显示{shown}项，共{count}项", "more": "再显示{count}项"},
    "en": {"shown": "Showing {shown} of {count}", "more": "Show {count} more"},
}


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Iterator[tuple[LocalNginx, Path]]:
    def write(work: Path) -> None:
        scale.prepare(work, 50, hostile=False)

    with served_site(tmp_path_factory, "many-benefits", write, DAY) as (server, work):
        yield server, work / "site"


@pytest.fixture(scope="module")
def expected(many) -> dict:
    """The full result in each language, from the same rules in CPython: every card and total."""
    _, site = many
    rules = load_rules(json.loads(next((site / "assets" / "calculator").glob("rules.*.json")).read_text("utf-8")))
    return {lang: rules.evaluate(ANSWERS, DAY, lang) for lang in ("zh", "en")}


@pytest.fixture()
def phone(browser: Browser, many) -> Iterator[Page]:
    server, _ = many
    with visitor_page(browser, server, viewport={"width": 390, "height": 844}) as page:
        yield page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_show_more_shows_the_rest_and_the_totals_stay(phone: Page, many, expected, lang: str) -> None:
    server, _ = many
    full = {g["recipient"]: g for g in expected[lang]["groups"]}
    enterprise = full["enterprise"]
    count = len(enterprise["items"])
    assert count > 2 * FIRST  # the library gives this visitor more than two pages of cards
    prefix = "" if lang == "zh" else "/en"
    hash_ = "&".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in ANSWERS.items())
    phone.goto(f"{server.url}{prefix}/calculator/#{hash_}&on={DAY}")
    phone.wait_for_selector('#calc[data-phase="ready"], #calc[data-phase="failed"]', state="attached",
                            timeout=PY_TIMEOUT)
    group = phone.locator('#calc-results[data-state="done"] .calc-group[data-recipient="enterprise"]')
    cards = group.locator(".calc-item")
    total = group.locator(".calc-total")
    words = WORDS[lang]
    expect(cards).to_have_count(FIRST)
    expect(total).to_have_text(enterprise["total_text"])  # the total of all its cards, not of those shown
    expect(group.locator(".calc-shown")).to_have_text(words["shown"].format(shown=FIRST, count=count))
    more = group.get_by_role("button", name=words["more"].format(count=FIRST))
    # eligible first, as before: what the visitor can get leads
    statuses = cards.evaluate_all("cards => cards.map(c => c.dataset.status)")
    assert statuses == sorted(statuses, key=["eligible", "may_be_eligible", "needs_answers"].index)
    shown = FIRST
    while shown < count:
        box = more.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        before = shown
        more.click()
        shown = min(count, before + FIRST)
        expect(cards).to_have_count(shown)
        expect(total).to_have_text(enterprise["total_text"])
        expect(cards.nth(before)).to_be_focused()  # the first card the visitor had not seen
        if shown < count:
            expect(group.locator(".calc-shown")).to_have_text(words["shown"].format(shown=shown, count=count))
            more = group.get_by_role("button", name=words["more"].format(count=min(FIRST, count - shown)))
    # every card is there once, and nothing offers more
    expect(group.locator(".calc-more")).to_have_count(0)
    expect(group.locator(".calc-shown")).to_have_count(0)
    ids = cards.evaluate_all("cards => cards.map(c => c.dataset.benefit)")
    assert sorted(ids) == sorted(i["benefit_id"] for i in enterprise["items"])
    widths = cards.evaluate_all("cards => cards.map(c => c.getBoundingClientRect().right)")
    assert max(widths) <= 390
    # the other recipients' totals are those of all their cards too
    for recipient, g in full.items():
        if g["total_text"]:
            expect(phone.locator(f'.calc-group[data-recipient="{recipient}"] .calc-total')).to_have_text(g["total_text"])
    # the list of every measure, from the measure table the page was given once
    measures = phone.locator(".calc-measures li[data-measure]")
    expect(measures.first).to_contain_text(re.compile(r"\S"))
    listed = {m["id"] for m in expected[lang]["measures"] if not (m["status"] == "not_eligible" and not m["items"])}
    assert set(measures.evaluate_all("items => items.map(i => i.dataset.measure)")) == listed


def test_the_download_holds_every_card_not_only_those_shown(phone: Page, many, expected) -> None:
    """The page shows each recipient's first cards; the file the visitor downloads holds them all."""
    server, _ = many
    hash_ = "&".join(f"{k}={v}" for k, v in ANSWERS.items())
    phone.goto(f"{server.url}/en/calculator/#{hash_}&on={DAY}")
    phone.wait_for_selector('#calc[data-phase="ready"], #calc[data-phase="failed"]', state="attached",
                            timeout=PY_TIMEOUT)
    expect(phone.locator('#calc-results[data-state="done"] .calc-group[data-recipient="enterprise"] .calc-item')
           ).to_have_count(FIRST)
    with phone.expect_download() as info:
        phone.click("#calc-download")
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    full = {g["recipient"]: g for g in expected["en"]["groups"]}
    for group in data["result"]["groups"]:
        want = full[group["recipient"]]
        assert [i["benefit_id"] for i in group["items"]] and group["count"] == len(group["items"])
        assert sorted(i["benefit_id"] for i in group["items"]) == sorted(i["benefit_id"] for i in want["items"])
        assert group["total_text"] == want["total_text"]
    assert {m["title"] for m in data["result"]["measures"]}  # titles from the measure table
