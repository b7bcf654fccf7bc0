"""WCAG 2.2 AA with axe-core (vendored by npm) on the pages the public reads most, both languages."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page

from site_helpers import LANGS, ROOT, prefix

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
PAGES = {
    "home": "/",
    "measure": "/measures/employment-entrepreneurship-subsidies/",
    "information-only measure": "/measures/return-to-work/",
    "audience": "/audiences/enterprises/",
    "part": "/parts/reduce-burdens/",
    "changes": "/changes/",
    "staff guide": "/staff-guide/",
    "privacy": "/privacy/",
    "accessibility": "/accessibility/",
    "404": "/404.html",
}


def _violations(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


# The pages carry a Content-Security-Policy that (rightly) refuses injected scripts; axe is a test
# tool, so this context lets it in.
@pytest.mark.browser_context_args(bypass_csp=True)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations(page: Page, name: str, lang: str) -> None:
    page.goto(prefix(lang) + PAGES[name])
    violations = _violations(page)
    assert not violations, json.dumps(violations, ensure_ascii=False, indent=1)


@pytest.mark.browser_context_args(bypass_csp=True, viewport={"width": 375, "height": 800})
@pytest.mark.parametrize("lang", LANGS)
def test_no_axe_violations_on_a_phone(page: Page, lang: str) -> None:
    page.goto(prefix(lang) + PAGES["measure"])
    violations = _violations(page)
    assert not violations, json.dumps(violations, ensure_ascii=False, indent=1)
