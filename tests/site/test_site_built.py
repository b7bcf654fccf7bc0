"""The built site/ as files (no browser): every link leads somewhere, pages stay small, each page
names its language, nothing is fetched from another site, the feeds and 404 pages exist."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from site_helpers import SITE

MAX_PAGE_BYTES = 40 * 1024

pytestmark = pytest.mark.skipif(not (SITE / "index.html").exists(), reason="site/ not built: run `make site`")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.fetched: list[str] = []  # what the browser loads by itself (not links to follow)
        self.html_lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.html_lang = found.get("lang")
        for attr in ("href", "src"):
            if value := found.get(attr):
                self.links.append((tag, attr, value))
        rel = set((found.get("rel") or "").split())
        if found.get("src") or (tag == "link" and rel & {"stylesheet", "icon", "preload", "modulepreload",
                                                          "preconnect", "dns-prefetch", "manifest"}):
            self.fetched.append(found.get("src") or found.get("href") or "")


def _pages() -> list[Path]:
    return sorted(SITE.rglob("*.html"))


def _parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def _url_of(page: Path) -> str:
    rel = page.relative_to(SITE).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def _target(url: str) -> Path:
    path = unquote(urlsplit(url).path).lstrip("/")
    target = SITE / path
    return target / "index.html" if url.endswith("/") or target.is_dir() else target


def test_every_internal_link_leads_to_a_file() -> None:
    broken = []
    for page in _pages():
        if page.name == "404.html":  # its links are absolute, for any address
            continue
        base = _url_of(page)
        for _tag, _attr, url in _parse(page).links:
            if url.startswith(("#", "mailto:", "tel:", "data:")) or urlsplit(url).scheme:
                continue
            if not _target(urljoin(base, url)).exists():
                broken.append(f"{base}: {url}")
    assert not broken, broken[:20]


def test_nothing_is_loaded_from_another_site() -> None:
    outside = []
    for page in _pages():
        for url in _parse(page).fetched:
            if urlsplit(url).scheme or url.startswith("//"):
                outside.append(f"{_url_of(page)}: {url}")
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, page
    assert not outside, outside[:20]


# The staff guide is a hand-written manual for staff, not a page that grows with the policy; it
# is long on purpose (worked examples of every amendment) and is left out of this limit.
NOT_LIMITED = ("staff-guide",)


def test_no_page_is_over_40_kb() -> None:
    big = [(p.stat().st_size, _url_of(p)) for p in _pages()
           if p.stat().st_size > MAX_PAGE_BYTES and not set(NOT_LIMITED) & set(p.relative_to(SITE).parts)]
    assert not big, big


def test_each_page_names_its_language() -> None:
    for page in _pages():
        lang = _parse(page).html_lang
        in_english = page.relative_to(SITE).parts[0] == "en"
        assert lang == ("en" if in_english else "zh-Hans"), (_url_of(page), lang)


def test_english_passages_on_chinese_pages_are_marked() -> None:
    text = (SITE / "measures" / "employment-entrepreneurship-subsidies" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<blockquote class="source" lang="en">\s*<p>5\. Implement employment', text)


@pytest.mark.parametrize("lang, path", [("zh-Hans", "404.html"), ("en", "en/404.html")])
def test_404_page_in_each_language(lang: str, path: str) -> None:
    page = SITE / path
    text = page.read_text(encoding="utf-8")
    assert _parse(page).html_lang == lang
    first, second = ("找不到该页面", "Page not found") if lang == "zh-Hans" else ("Page not found", "找不到该页面")
    assert text.index(f"<h1>{first}</h1>") < text.index(f"<h2>{second}</h2>")


@pytest.mark.parametrize("lang, path", [("zh", "feed.xml"), ("en", "en/feed.xml")])
def test_feeds_are_published_and_linked(lang: str, path: str) -> None:
    feed = ET.parse(SITE / path).getroot()
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    assert feed.findall("{http://www.w3.org/2005/Atom}entry")
    home = (SITE / ("en/" if lang == "en" else "") / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="feed\.xml">', home)


@pytest.mark.parametrize("path", ["sitemap.xml", "en/sitemap.xml"])
def test_sitemap_addresses_lead_to_the_pages_in_each_language(path: str) -> None:
    """No site_url is set (the site does not know where it is deployed): every address in a
    sitemap, a page's and its other language's (hreflang), is relative to that sitemap."""
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    assert "None" not in (SITE / path).read_text(encoding="utf-8")
    base = "/" + path[: -len("sitemap.xml")]
    urls = ET.parse(SITE / path).getroot().findall("s:url", ns)
    assert len(urls) >= 20
    for url in urls:
        loc = url.findtext("s:loc", namespaces=ns)
        assert loc, f"{path}: a <url> without <loc>"
        page = urljoin(base, loc)
        lang = "en" if page.startswith("/en/") else "zh"
        assert lang == "en" or base == "/", f"{path}: {loc} is not an English page"   # the root's has both
        alternates = {a.get("hreflang"): urljoin(base, a.get("href")) for a in url.findall("x:link", ns)}
        assert set(alternates) == {"zh", "en"} and alternates[lang] == page, (path, loc)
        assert alternates["en"] == "/en" + alternates["zh"], (path, alternates)
        for target in [page, *alternates.values()]:
            assert _target(target).is_file(), f"{path}: {target} is not a built page"
