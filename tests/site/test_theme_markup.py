"""The site's HTML as outside checkers read it: the Nu HTML checker (npm vnu-jar, run by Java)
finds no error on any built page, theme markup included, and the copies of Material's templates
in overrides/ are of the Material version installed."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from importlib.metadata import version

import pytest

from site_helpers import ROOT, SITE

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
COPIED = re.compile(r"Material (\d+\.\d+\.\d+)'s ([\w/.-]+\.html), copied")


@pytest.mark.skipif(not (SITE / "index.html").exists(), reason="site/ not built: run `make site`")
def test_the_html_checker_finds_no_error_on_any_page() -> None:
    assert VNU.is_file(), "node_modules/vnu-jar missing: run `make setup`"
    assert shutil.which("java"), "Java is needed for the Nu HTML checker: run `make setup`"
    pages = sorted(SITE.rglob("*.html"))
    assert len(pages) >= 40, pages
    # one Java start for every page: the checker takes about a second a file otherwise. For one
    # short run Java's quick compiler alone is half the CPU (its deeper frames need a larger stack).
    done = subprocess.run(["java", "-XX:TieredStopAtLevel=1", "-Xss16m", "-jar", str(VNU), "--errors-only", "--format", "json", "--exit-zero-always",
                           *map(str, pages)], capture_output=True, text=True, timeout=900)
    messages = json.loads(done.stderr or done.stdout)["messages"]
    errors = [f"{m.get('url', '').split(str(SITE))[-1]}:{m.get('lastLine')}: {m.get('message')}"
              f" [{m.get('extract', '').strip()[:120]}]" for m in messages]
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(errors[:40])


def test_copied_theme_templates_match_the_installed_material() -> None:
    """overrides/ copies a few of Material's templates to change a line or two; when Material is
    upgraded, each must be copied again from the new version (and the same lines changed)."""
    installed = version("mkdocs-material")
    copies = {}
    for path in sorted((ROOT / "overrides").rglob("*.html")):
        found = COPIED.search(path.read_text(encoding="utf-8")[:600])
        if found:
            copies[path.relative_to(ROOT / "overrides").as_posix()] = found.groups()
    assert {"base.html", "partials/nav-item.html", "partials/toc.html", "partials/search.html"} <= set(copies)
    for name, (copied_from, original) in copies.items():
        assert original == name, (name, original)
        assert copied_from == installed, f"overrides/{name} is Material {copied_from}'s, installed is {installed}"


def test_copied_sitemap_template_matches_the_installed_static_i18n() -> None:
    """overrides/sitemap.xml is mkdocs-static-i18n's, changed only where it would write "None"
    without a site_url; an upgrade of the plugin must copy it again."""
    from pathlib import Path

    import mkdocs_static_i18n

    ours = (ROOT / "overrides" / "sitemap.xml").read_text(encoding="utf-8")
    assert f"mkdocs-static-i18n {version('mkdocs-static-i18n')}'s sitemap.xml, copied" in ours
    theirs = (Path(mkdocs_static_i18n.__file__).parent / "custom_i18n_sitemap" / "sitemap.xml").read_text(encoding="utf-8")
    changed = {'config.site_url ~': '(config.site_url or "") ~', "= config.site_url %}": '= config.site_url or "./" %}'}
    for old, new in changed.items():
        theirs = theirs.replace(old, new)
    body = re.sub(r"\{#-.*?-#\}\n", "", ours, count=1, flags=re.S)
    assert body == theirs
