"""axe-core (vendored by npm) with every rule a public-sector audit applies: WCAG 2.0, 2.1 and 2.2
at levels A and AA, and axe's best practices. Shared by the site's and the calculator's tests."""
from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_violations(page: Page) -> list[dict]:
    """Every violation axe finds on the page as it is now (injected through the devtools
    protocol, so the site's Content-Security-Policy does not block it)."""
    assert AXE.is_file(), "node_modules/axe-core missing: run `make setup`"
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    # at the top, as a visitor arrives: scrolled, Material's sticky header covers whatever is
    # under it, which axe's target-size rule counts against that element
    if page.evaluate("() => { const y = window.scrollY; window.scrollTo(0, 0); return y; }"):
        page.wait_for_timeout(500)  # the header's title fades back (Material's transition)
    # violations only: axe then spends nothing on listing what passed
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", TAGS)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [{"target": n["target"], "summary": n.get("failureSummary", "")[:300]}
                       for n in v["nodes"]][:5]} for v in result["violations"]]


def report(violations: list[dict]) -> str:
    return json.dumps(violations, ensure_ascii=False, indent=1)
