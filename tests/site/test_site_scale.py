"""A real build from a synthetic policy (scripts/dev/synthetic_policy.py): lists split into pages,
every page small, HTML and Markdown in policy text shown as text in the built site.
SITE_SCALE_COUNT=1000 runs the full-size check (about half a minute)."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from scripts.dev import scale
from scripts.dev.synthetic_policy import HOSTILE, variant
from scripts.policy.cli import main as validate

COUNT = int(os.environ.get("SITE_SCALE_COUNT", "120"))
MAX_PAGE_BYTES = 40 * 1024


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("scale")
    config = scale.prepare(work, COUNT, hostile=True)
    seconds = scale.build(config, work / "policy")
    print(f"\n{COUNT} measures x 2 languages built in {seconds:.1f} s")
    return work


def test_synthetic_policy_is_valid(built: Path) -> None:
    assert validate([str(built / "policy")]) == 0


def test_every_measure_page_is_built_in_both_languages(built: Path) -> None:
    site = built / "site"
    measures = sorted((built / "policy").glob("notices/*/measures/*.yaml"))
    assert len(measures) == COUNT
    assert len(list((site / "measures").iterdir())) == COUNT
    assert len(list((site / "en" / "measures").iterdir())) == COUNT


def test_no_page_is_over_40_kb(built: Path) -> None:
    big = [(p.stat().st_size, p.relative_to(built).as_posix()) for p in (built / "site").rglob("*.html")
           if p.stat().st_size > MAX_PAGE_BYTES and "staff-guide" not in p.relative_to(built / "site").parts]
    assert not big, big


def test_long_lists_are_split_into_linked_pages(built: Path) -> None:
    site = built / "site"
    second = site / "changes" / "page-2" / "index.html"
    assert second.exists()
    text = second.read_text(encoding="utf-8")
    assert 'href="../"' in text and "../../measures/" in text


def test_policy_html_and_markdown_show_as_text(built: Path) -> None:
    site = built / "site"
    for path in ("measures/return-to-work/index.html", "en/measures/return-to-work/index.html",
                 "parts/return-to-work/index.html", "changes/index.html", "search/search_index.json",
                 "en/search/search_index.json"):
        text = (site / path).read_text(encoding="utf-8")
        assert '<script>alert("x")' not in text and "<b>" not in text, path
        assert text.count("</title>") <= 1, path
    page = (site / "measures/return-to-work/index.html").read_text(encoding="utf-8")
    assert re.search(r"&lt;/title&gt;&lt;script&gt;alert\((&#34;|&quot;|\")x(&#34;|&quot;|\")\)&lt;/script&gt; \*not bold\* "
                     r"\[not a link\]\(https://example\.org\) &amp; 1\. # &lt;b&gt;", page)
    assert 'href="https://example.org"' not in page


def test_variant_keeps_real_ids_for_the_first_copy() -> None:
    real = {"id": "x", "number": 1, "title": {"zh": "标题", "en": "Title"}, "summary": {"zh": "s", "en": "s"},
            "figures": {}}
    assert variant(real, 1, 0)["id"] == "x"
    assert variant(real, 19, 1)["id"] == "x-19"
    assert HOSTILE in variant(real, 1, 0, hostile=True)["title"]["en"]
