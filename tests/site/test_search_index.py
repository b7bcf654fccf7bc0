"""Search in the built site: one index per language, and Material's script edited so that it asks
for the index only when the search box opens (scripts/pages/search.py; the browser side is in
tests/site/test_site_browser.py)."""
from __future__ import annotations

import json
import re

import pytest

from scripts.pages import search
from site_helpers import SITE


def test_every_edit_of_materials_script_is_made() -> None:
    name, data = search._patched_bundle()
    text = data.decode("utf-8")
    assert name.startswith("assets/javascripts/bundle.") and name.endswith(".min.js")  # cached as immutable
    assert name != search.MATERIAL_BUNDLE
    for old, new in search.BUNDLE_EDITS:
        assert old not in text and new in text


@pytest.mark.skipif(not (SITE / "index.html").exists(), reason="site/ not built: run `make site`")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_language_has_an_index_of_its_own_pages(lang: str) -> None:
    path = SITE / search.index_path(lang, "zh")
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\\u[4-9][0-9a-f]{3}", text)  # Chinese as UTF-8, not \uXXXX escapes
    locations = [d["location"] for d in json.loads(text)["docs"]]
    assert any("measures/" in loc for loc in locations)
    assert all(loc.startswith("en/") == (lang == "en") for loc in locations), lang


@pytest.mark.skipif(not (SITE / "index.html").exists(), reason="site/ not built: run `make site`")
def test_pages_load_the_edited_script_only() -> None:
    name = search.material_bundle()
    # the original is not part of this deployment (a previous one's hashed files stay one more)
    own = set((SITE / ".hashed-files").read_text(encoding="utf-8").split()) if (SITE / ".hashed-files").exists() else set()
    assert (SITE / name).is_file() and search.MATERIAL_BUNDLE not in own
    assert own or not (SITE / search.MATERIAL_BUNDLE).exists()
    for page in ("index.html", "en/measures/business-loans/index.html", "calculator/index.html"):
        html = (SITE / page).read_text(encoding="utf-8")
        assert name.rsplit("/", 1)[1] in html, page
