"""Generate the site's Markdown pages and Atom feeds from the loaded policy, in both languages.

Called by the MkDocs hook before every build. Pages are written only when their content
changed (else `mkdocs serve` would rebuild forever) and generated files that no longer belong
(a measure removed) are deleted. Page structure lives in scripts/pages/templates/*.md.j2; every word
comes from policy/ (measures, notice, texts/site.yaml); anything missing raises.
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any, Iterable, Mapping

from subsidy_calculator.formatting import format_date

from scripts.pages import jinja_env, list_page
from scripts.pages.feed import build_feed
from scripts.pages.words import LANGS, Texts, pick
from scripts.files import write_if_changed
from scripts.pages.view import (PolicyIndex, benefit_rows, condition_blocks, key_amounts, measure_state,
                               newest_first, quote_label, render, state, traced)

GENERATED_DIRS = ("measures", "parts", "audiences", "changes")
GENERATED_FILES = tuple(f"{name}.{lang}.{ext}" for lang in LANGS
                        for name, ext in (("index", "md"), ("changes", "md"), ("feed", "xml")))
# Lists longer than this are split into pages, so no page grows with the number of measures.
MEASURES_PER_PAGE = 25
CHANGES_PER_PAGE = 40


_ZH_DIGITS = "零一二三四五六七八九"


def part_numeral(number: int, lang: str) -> str:
    """A part's number as each language writes it: 2 -> '二' (zh, up to 99) / '2' (en)."""
    if lang != "zh" or not 0 < number < 100:
        return str(number)
    tens, units = divmod(number, 10)
    return ((_ZH_DIGITS[tens] if tens > 1 else "") + ("十" if tens else "")
            + (_ZH_DIGITS[units] if units else ""))


def _page_link(base: str, here: int, there: int) -> str:
    """Link from page `here` to page `there` of a list split by _Site.paginate: page 1 is
    `parts/x.md`, page n is `parts/x/page-n.md`."""
    name = base.rsplit("/", 1)[-1]
    if there == 1:
        return f"../{name}.md"  # only ever linked from page 2
    return f"{name}/page-{there}.md" if here == 1 else f"page-{there}.md"


class _Site:
    """Everything one build generates, as {path relative to docs/: content}."""

    def __init__(self, policy: Mapping[str, Any]) -> None:
        self.index = PolicyIndex(policy)
        self.policy = policy
        self.t = self.index.t
        self.env = jinja_env.environment()
        self.files: dict[str, str] = {}
        self._texts: dict[str, dict[str, dict[str, str]]] = {}

    # -- helpers ------------------------------------------------------------------------
    def texts(self, lang: str) -> dict[str, dict[str, str]]:
        """The site.yaml groups the templates use, in one language (looked up once)."""
        if lang not in self._texts:
            self._texts[lang] = {g: self.t.group(g, lang)
                                 for g in ("common", "home", "part", "audience", "measure", "changes")}
        return self._texts[lang]

    def page(self, path: str, template: str, lang: str, **values: Any) -> None:
        self.files[path] = self.env.get_template(template).render(t=self.texts(lang), **values)

    def paginate(self, base: str, lang: str, items: list, per_page: int) -> Iterable[tuple[str, list, dict | None]]:
        """Split a list over `base.<lang>.md`, `base/page-2.<lang>.md`, ... with pager links."""
        pages = max(1, math.ceil(len(items) / per_page))
        for number in range(1, pages + 1):
            path = f"{base}.{lang}.md" if number == 1 else f"{base}/page-{number}.{lang}.md"
            pager = None
            if pages > 1:
                pager = {
                    "previous": _page_link(base, number, number - 1) if number > 1 else None,
                    "next": _page_link(base, number, number + 1) if number < pages else None,
                    "position": self.t("common.page_of", lang, page=number, pages=pages),
                }
            yield path, items[(number - 1) * per_page:number * per_page], pager

    def measure_label(self, measure: Mapping, lang: str) -> str:
        return self.t("common.measure_number", lang, number=measure["number"])

    def name_of(self, item: Mapping, lang: str, where: str) -> str:
        return pick(item["title"] if "title" in item else item["name"], lang, where)

    # -- pages --------------------------------------------------------------------------
    def home(self, lang: str) -> None:
        notice, t = self.index.notice, self.t
        in_force = notice.get("in_force") or {}
        dates = {k: format_date(str(in_force[k]), lang) if in_force.get(k) else t("home.not_stated", lang)
                 for k in ("from", "until")}
        changes = newest_first(self.index)
        groups = []
        for group in notice["audience_groups"]:
            count = len(self.group_measures(group["id"]))
            groups.append({"id": group["id"], "title": self.name_of(group, lang, f"audience_groups.{group['id']}"),
                           "count": self.count_text(count, lang)})
        parts = [{"id": p["id"], "heading": t("common.part_heading", lang, number=part_numeral(p["number"], lang),
                                               title=self.name_of(p, lang, f"parts.{p['id']}")),
                  "count": self.count_text(len(self.part_measures(p["id"])), lang)}
                 for p in notice["parts"]]
        self.page(f"index.{lang}.md", "home.md.j2", lang,
                  title=pick(notice["title"], lang, "policy/notice.yaml: title"),
                  summary=pick(notice["summary"], lang, "policy/notice.yaml: summary"),
                  in_force_from=t("home.in_force_from", lang, date=dates["from"]),
                  in_force_until=t("home.in_force_until", lang, date=dates["until"]),
                  groups=groups, parts=parts,
                  last_updated=t("home.last_updated", lang, date=format_date(changes[0][0], lang)) if changes else "")

    def count_text(self, count: int, lang: str) -> str:
        return self.t("home.measure_count_one", lang) if count == 1 else self.t("home.measure_count", lang, count=count)

    def part_measures(self, part_id: str) -> list[dict]:
        return [m for m in self.index.measures if m["part"] == part_id]

    def group_measures(self, group_id: str) -> list[dict]:
        return [m for m in self.index.measures if group_id in self.index.measure_groups(m)]

    def measure_link(self, measure: Mapping, lang: str, prefix: str) -> dict[str, str]:
        return {"label": self.measure_label(measure, lang), "title": render(self.index, measure, measure["title"], lang),
                "href": f"{prefix}measures/{measure['id']}.md",
                "state": measure_state(self.index, measure, lang, short=True)}

    def part_pages(self, lang: str) -> None:
        for part in self.index.notice["parts"]:
            items = self.part_measures(part["id"])
            for path, chunk, pager in self.paginate(f"parts/{part['id']}", lang, items, MEASURES_PER_PAGE):
                prefix = "../" * path.count("/")
                measures = [{**self.measure_link(m, lang, prefix), "summary": render(self.index, m, m["summary"], lang)}
                            for m in chunk]
                self.page(path, "part.md.j2", lang, title=self.name_of(part, lang, f"parts.{part['id']}"),
                          label=self.t("common.part_number", lang, number=part_numeral(part["number"], lang)),
                          measures=measures, pager=pager)

    def audience_pages(self, lang: str) -> None:
        sep = self.t("common.list_separator", lang)
        for group in self.index.notice["audience_groups"]:
            title = self.name_of(group, lang, f"audience_groups.{group['id']}")
            role = group.get("role")
            members = [a for a in self.index.notice["audiences"] if a["group"] == group["id"]]
            items = self.group_measures(group["id"])
            for path, chunk, pager in self.paginate(f"audiences/{group['id']}", lang, items, MEASURES_PER_PAGE):
                prefix = "../" * path.count("/")
                measures = []
                for m in chunk:
                    names = [pick(a["name"], lang, f"audiences.{a['id']}") for a in members if a["id"] in m["audiences"]]
                    measures.append({**self.measure_link(m, lang, prefix),
                                     "concerns": self.t("audience.concerns", lang, audiences=sep.join(names)),
                                     "amounts": key_amounts(self.index, self.for_role(m, role), lang, self.t)})
                self.page(path, "audience.md.j2", lang, title=title, measures=measures, pager=pager,
                          intro=self.t("audience.intro", lang),
                          calculator_href=f"{prefix}calculator/index.md#role={role}" if role else "",
                          list_links=list_page.links(self.policy, lang, prefix, role=role))

    @staticmethod
    def for_role(measure: Mapping, role: str | None) -> Mapping:
        """The measure with only the benefits assessed for `role` (all if none is)."""
        benefits = measure.get("benefits") or []
        mine = [b for b in benefits if role in (b.get("roles") or [])]
        return {**measure, "benefits": mine or benefits}

    def measure_pages(self, lang: str) -> None:
        index, t = self.index, self.t
        for m in index.measures:
            role = index.calculator_role(m)
            where = f"policy/measures: {m['id']}"
            part = index.parts[m["part"]]
            self.page(
                f"measures/{m['id']}.{lang}.md", "measure.md.j2", lang,
                title=render(index, m, m["title"], lang), summary=render(index, m, m["summary"], lang),
                state=measure_state(index, m, lang),
                state_kind=(state(index, m.get("in_force")) or ("",))[0],
                label=self.measure_label(m, lang), part_id=part["id"],
                part_title=self.name_of(part, lang, f"parts.{part['id']}"),
                calculator_href="../calculator/index.md" + (f"#role={role}" if role else ""),
                calculator_text=t("measure.calculator_link" if role else "measure.calculator_general", lang),
                list_links=list_page.links(self.policy, lang, "../", measure=m),
                audiences=[pick(index.audiences[a]["name"], lang, f"audiences.{a}") for a in m["audiences"]],
                rows=benefit_rows(index, m, lang, t), conditions=condition_blocks(index, m, lang, t),
                has_duration=any(b.get("duration") for b in m.get("benefits") or []),
                apply_how=traced(index, m, m["apply"]["how"], lang, t, "apply.how"),
                apply_where=traced(index, m, m["apply"]["where"], lang, t, "apply.where") if m["apply"].get("where") else "",
                documents=[traced(index, m, d, lang, t, "apply.documents") for d in m["apply"].get("documents") or []],
                contacts=[self.contact(c, lang, where) for c in m.get("contacts") or []],
                source_as_published=m["source"]["as_published"],
                source_translation=m["source"].get("zh", "") if lang == "zh" else "",
                change_log=[{"date": format_date(str(e["date"]), lang), "text": render(index, m, e["text"], lang, "change_log"),
                             "quote": e.get("quote", ""), "quote_label": quote_label(index, e, lang)}
                            for e in m.get("change_log") or []],
            )

    def contact(self, contact: Mapping, lang: str, where: str) -> dict:
        t = self.t
        lines: list[tuple[str, str, str]] = []
        if contact.get("phone"):
            phone = str(contact["phone"])
            lines.append((t("measure.phone", lang), phone, "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+")))
        if contact.get("email"):
            lines.append((t("measure.email", lang), contact["email"], f"mailto:{contact['email']}"))
        for key in ("address", "hours"):
            if contact.get(key):
                lines.append((t(f"measure.{key}", lang), pick(contact[key], lang, f"{where}.contacts.{key}"), ""))
        if contact.get("url"):
            url = str(contact["url"])
            safe = url.startswith(("https://", "http://"))  # never a javascript: link
            lines.append((t("measure.website", lang), url, url if safe else ""))
        return {"name": pick(contact["name"], lang, f"{where}.contacts.name"), "lines": lines}

    def changes_pages(self, lang: str) -> None:
        entries = newest_first(self.index)
        for path, chunk, pager in self.paginate("changes", lang, entries, CHANGES_PER_PAGE):
            prefix = "../" * path.count("/")
            days: list[dict] = []
            for day, _position, m, entry in chunk:
                if not days or days[-1]["iso"] != day:
                    days.append({"iso": day, "date": format_date(day, lang), "entries": []})
                days[-1]["entries"].append({**self.measure_link(m, lang, prefix),
                                            "text": render(self.index, m, entry["text"], lang, "change_log"),
                                            "quote": entry.get("quote", ""),
                                            "quote_label": quote_label(self.index, entry, lang)})
            self.page(path, "changes.md.j2", lang, days=days, pager=pager, feed_href=f"{prefix}feed.xml")
        self.files[f"feed.{lang}.xml"] = build_feed(self.index, lang, self.t)

    def build(self) -> dict[str, str]:
        for lang in LANGS:
            self.home(lang)
            self.part_pages(lang)
            self.audience_pages(lang)
            self.measure_pages(lang)
            self.changes_pages(lang)
        return self.files


def site_config(policy: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The site's name, description and menu in `lang`, from policy/: the menu lists the notice's
    parts and audience groups in their order (measure pages are reached from those pages)."""
    t, notice = Texts(policy["texts"]["site"]), policy["notice"]
    return {
        "site_name": t("site.name", lang),
        "site_description": t("site.description", lang),
        "nav": [
            "index.md",
            {t("site.menu_parts", lang): [f"parts/{p['id']}.md" for p in notice["parts"]]},
            {t("site.menu_audiences", lang): [f"audiences/{g['id']}.md" for g in notice["audience_groups"]]},
            "calculator/index.md",
            *(["calculator/list.md"] if policy.get("lists") else []),   # scripts/pages/list_page.py
            "changes.md",
            {t("site.menu_about", lang): ["staff-guide.md", "privacy.md", "accessibility.md"]},
        ],
    }


def theme_texts(policy: Mapping[str, Any]) -> dict[str, dict]:
    """Texts the theme templates need (404 page, feed link in the head), per language."""
    t = Texts(policy["texts"]["site"])
    return {lang: {g: t.group(g, lang) for g in ("not_found", "head")} for lang in LANGS}




def _remove_stale(docs_dir: Path, keep: set[str]) -> None:
    candidates = [p for d in GENERATED_DIRS if (docs_dir / d).is_dir() for p in (docs_dir / d).rglob("*")
                  if p.is_file()]
    candidates += [docs_dir / name for name in GENERATED_FILES if (docs_dir / name).exists()]
    for path in candidates:
        if path.relative_to(docs_dir).as_posix() not in keep:
            path.unlink()
    for d in GENERATED_DIRS:
        for folder in sorted((docs_dir / d).rglob("*"), reverse=True) if (docs_dir / d).is_dir() else []:
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()


def check_translations(docs_dir: Path) -> None:
    """Every page in docs/ exists in both languages (static-i18n would silently fall back)."""
    missing = []
    for lang in LANGS:
        for page in docs_dir.rglob(f"*.{lang}.md"):
            for other in LANGS:
                twin = page.with_name(page.name[: -len(f".{lang}.md")] + f".{other}.md")
                if not twin.exists():
                    missing.append(twin.relative_to(docs_dir).as_posix())
    if missing:
        raise FileNotFoundError("pages missing a translation: " + ", ".join(sorted(set(missing))))


_KEEP_AS_IS = re.compile(r"(<(pre|script|style|textarea)\b.*?</\2\s*>)", re.S | re.I)


def compact_html(html_text: str) -> str:
    """Drop the theme's indentation and blank lines (a quarter of a page's bytes). Line breaks
    stay, so the page renders exactly the same; <pre>, <script>, <style> and <textarea> are
    left untouched."""
    parts = _KEEP_AS_IS.split(html_text)
    out = []
    for i in range(0, len(parts), 3):  # split() yields text, element, tag name, text, ...
        out.append(re.sub(r"\n\s+", "\n", parts[i]))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)


_not_found_pages: dict[str, bytes] = {}


def keep_not_found_pages(config: Any) -> None:
    """Give each language its own 404 page. MkDocs writes a theme's 404.html to site/404.html in
    every language build, so the last build would overwrite the first: after each build, move
    a non-default language's page to site/<lang>/404.html and put the default one back."""
    i18n = config.plugins["i18n"]
    site = Path(config["site_dir"])
    page = site / "404.html"
    if i18n.is_default_language_build:
        _not_found_pages["default"] = page.read_bytes()
    elif "default" in _not_found_pages:
        page.replace(site / i18n.current_language / "404.html")
        page.write_bytes(_not_found_pages["default"])


_SITEMAP_ENTRY = re.compile(r"[ \t]*<url>.*?</url>\n?", re.S)
_SITEMAP_LOC = re.compile(r"<loc>(.*?)</loc>")


def write_language_sitemap(config: Any) -> None:
    """Material's language switcher reads the sitemap.xml next to each <link rel="alternate"> of
    a page; on an English page that is the English feed's, so en/sitemap.xml must exist (else a
    404 in every English page's console). After a non-default language's build, write it: the
    entries of the site's sitemap.xml that are pages of that language."""
    i18n = config.plugins["i18n"]
    if i18n.is_default_language_build:
        return
    site = Path(config["site_dir"])
    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    # overrides/sitemap.xml writes site_url + the page's URL, or (no site_url) the URL relative
    # to the site's root, which this copy one folder down must rebase
    base = config["site_url"] or ""
    here = f"{base}{i18n.current_language}/"
    entries = "".join(e for e in _SITEMAP_ENTRY.findall(text) if _SITEMAP_LOC.search(e).group(1).startswith(here))
    if not base:
        entries = _SITEMAP_URL.sub(lambda m: m.group(1) + _rebase(m.group(2), here), entries)
    first = _SITEMAP_ENTRY.search(text)
    head = text[:first.start()] if first else text[:text.index("</urlset>")]
    write_if_changed(site / i18n.current_language / "sitemap.xml", head + entries + "</urlset>\n")


_SITEMAP_URL = re.compile(r'(<loc>|href=")([^"<]*)')


def _rebase(url: str, folder: str) -> str:
    """A URL relative to the site's root, made relative to `folder` (one level down, e.g. "en/")."""
    if url.startswith(folder):
        return url[len(folder):] or "./"
    return "../" + ("" if url == "./" else url)


def compact_search_index(site_dir: Path) -> None:
    """Material writes the search index with every Chinese character as a \\uXXXX escape (6 bytes
    instead of 3). Rewrite it as UTF-8 JSON: the same data, about half the download."""
    index = site_dir / "search" / "search_index.json"
    if index.is_file():
        data = json.loads(index.read_text(encoding="utf-8"))
        index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def generate(policy: Mapping[str, Any], docs_dir: Path) -> None:
    files = _Site(policy).build()
    for rel, content in files.items():
        write_if_changed(docs_dir / rel, content)
    _remove_stale(docs_dir, set(files))
    check_translations(docs_dir)
