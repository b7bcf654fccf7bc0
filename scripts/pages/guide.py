"""Generate the site's Markdown pages and Atom feeds from the loaded policy, in both languages.

Called by the MkDocs hook before every build. Pages are written only when their content
changed (else `mkdocs serve` would rebuild forever) and generated files that no longer belong
(a measure removed) are deleted. Page structure lives in scripts/pages/templates/*.md.j2; every word
comes from policy/ (measures, notice, texts/site.yaml); anything missing raises.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from subsidy_calculator.formatting import format_date, format_numeral

from scripts.pages import jinja_env, list_page
from scripts.pages.feed import build_feed
from scripts.pages.i18n_build import other_language
from scripts.pages.words import LANGS, Texts, pick
from scripts.files import write_if_changed
from scripts.pages.view import (PolicyIndex, act_text, benefit_rows, condition_blocks, contact_lines, key_amounts,
                               measure_state, measure_state_kind, newest_first, publisher_contact, quote_label, render,
                               state, traced)

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

GENERATED_DIRS = ("measures", "parts", "audiences", "changes", "notices", "data")
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "policy" / "schema"
GENERATED_FILES = tuple(f"{name}.{lang}.{ext}" for lang in LANGS
                        for name, ext in (("index", "md"), ("changes", "md"), ("notices", "md"), ("feed", "xml")))
# Lists longer than this are split into pages, so no page grows with the number of measures.
MEASURES_PER_PAGE = 25
CHANGES_PER_PAGE = 40
NOTICES_ON_HOME = 10


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


_TEXT = {"$ref": "common.schema.json#/$defs/text"}
_PERIOD = {"type": "object", "properties": {"from": {"$ref": "common.schema.json#/$defs/dateOrNull"},
                                            "until": {"$ref": "common.schema.json#/$defs/dateOrNull"}},
           "required": ["from", "until"], "additionalProperties": False}
NOTICE_DATA_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "data/notices/<id>.json: one notice of the library, its published text and its measures",
    "type": "object",
    "properties": {
        "$schema": {"type": "string"},
        "id": {"$ref": "common.schema.json#/$defs/slug"},
        "notice": {"$ref": "notice.schema.json"},
        "ended_by": {"description": "the later notice that repeals or supersedes the whole notice, from a date",
                     "oneOf": [{"type": "null"}, {"type": "object", "properties": {
                         "notice": {"$ref": "common.schema.json#/$defs/slug"},
                         "action": {"enum": ["repeals", "supersedes"]},
                         "from": {"$ref": "common.schema.json#/$defs/date"}},
                         "required": ["notice", "action", "from"], "additionalProperties": False}]},
        "text": {"description": "the notice's text exactly as published", "type": "string"},
        "measures": {"type": "array", "items": {"$ref": "measure.schema.json"}},
    },
    "required": ["id", "notice", "ended_by", "text", "measures"],
    "additionalProperties": False,
}
NOTICES_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "data/notices.json: every notice of the library, newest first",
    "type": "object",
    "properties": {
        "$schema": {"type": "string"},
        "notices": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"$ref": "common.schema.json#/$defs/slug"},
            "title": _TEXT, "short_title": _TEXT,
            "document_number": {"type": ["string", "null"]},
            "published": {"$ref": "common.schema.json#/$defs/dateOrNull"},
            "in_force": {**_PERIOD, "description": "the days it applies, cut short by a later notice that ends it"},
            "topics": {"type": "array", "items": {"$ref": "common.schema.json#/$defs/slug"}},
            "measures": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"$ref": "common.schema.json#/$defs/slug"}, "number": {"type": "integer"}, "title": _TEXT},
                "required": ["id", "number", "title"], "additionalProperties": False}},
            "data": {"description": "its data file, relative to this one", "type": "string"},
            "page": {"type": "object", "properties": {"zh": {"type": "string"}, "en": {"type": "string"}},
                     "required": ["zh", "en"], "additionalProperties": False},
        }, "required": ["id", "title", "short_title", "document_number", "published", "in_force", "topics",
                        "measures", "data", "page"], "additionalProperties": False}},
    },
    "required": ["notices"],
    "additionalProperties": False,
}


def part_numeral(number: int, lang: str) -> str:
    """A part's number as each language writes it: 2 -> '二' (zh, up to 99) / '2' (en)."""
    return format_numeral(number, lang)


def _page_link(base: str, here: int, there: int) -> str:
    """Link from page `here` to page `there` of a list split by _Site.paginate: page 1 is
    `parts/x.md`, page n is `parts/x/page-n.md`."""
    name = base.rsplit("/", 1)[-1]
    if there == 1:
        return f"../{name}.md"  # only ever linked from page 2
    return f"{name}/page-{there}.md" if here == 1 else f"page-{there}.md"


# What earlier builds of this process made, by what it was made from (_Site.kept): under `mkdocs
# serve` a save changes one measure, and the pages and list items of the others are as they were.
# Off (not worth its hashing) in a build that generates once: keep_made() turns it on.
_KEPT: dict[tuple, Any] = {}
_KEPT_MAX = 200_000
_keeping = {"on": False}


def keep_made() -> None:
    """From now on in this process, reuse the pages and list items made from the same inputs
    (the live preview: scripts/pages/preview.py)."""
    _keeping["on"] = True


def _digest(value: Any) -> bytes | None:
    """What `value` is made of (plain data: its repr), or None when its repr does not show that (an
    object named by its address): then nothing is kept for it."""
    text = repr(value)
    return None if " at 0x" in text else hashlib.sha256(text.encode()).digest()


class _Site:
    """Everything one build generates, as {path relative to docs/: content}."""

    def __init__(self, policy: Mapping[str, Any]) -> None:
        self.index = PolicyIndex(policy)
        self.policy = policy
        self.t = self.index.t
        self.env = jinja_env.environment()
        self.files: dict[str, str] = {}
        self._by_part: dict[str, list[dict]] = {}   # each part's measures, in the library's order
        for measure in self.index.measures:
            self._by_part.setdefault(measure["part"], []).append(measure)
        self._texts: dict[str, dict[str, dict[str, str]]] = {}
        # what a page or list item of one measure reads besides that measure: the whole policy but
        # its measures (library, notices with their texts and acts, questions, texts), the day
        # the pages are written as of, and the page templates
        self.context: bytes | None = None
        if _keeping["on"]:
            templates = sorted((p.name, p.stat().st_mtime_ns) for p in jinja_env.TEMPLATES.rglob("*") if p.is_file())
            self.context = _digest(({k: v for k, v in policy.items() if k != "measures"}, self.index.day, templates))
        self._measure_keys: dict[str, bytes | None] = {}
        if len(_KEPT) > _KEPT_MAX:
            _KEPT.clear()

    def kept(self, what: str, measures: Mapping | list, lang: str, extra: Any, make: Any) -> Any:
        """`make()`, or what an earlier build made from the same measure (or measures), language,
        `extra` and everything else (self.context): the same inputs give the same text."""
        keys = []
        for measure in measures if isinstance(measures, list) else [measures]:
            mid = measure["id"]
            if mid not in self._measure_keys:
                self._measure_keys[mid] = _digest(measure)
            keys.append(self._measure_keys[mid])
        if self.context is None or None in keys:
            return make()
        key = (what, lang, self.context, tuple(keys), extra)
        if key not in _KEPT:
            _KEPT[key] = make()
        return _KEPT[key]

    # -- helpers ------------------------------------------------------------------------
    def texts(self, lang: str) -> dict[str, dict[str, str]]:
        """The site.yaml groups the templates use, in one language (looked up once)."""
        if lang not in self._texts:
            self._texts[lang] = {g: self.t.group(g, lang)
                                 for g in ("common", "home", "part", "audience", "measure", "changes", "notice",
                                           "notices")}
        return self._texts[lang]

    def page(self, path: str, template: str, lang: str, **values: Any) -> None:
        made = _digest(values) if self.context is not None else None
        if made is None:
            self.files[path] = self.env.get_template(template).render(t=self.texts(lang), **values)
            return
        key = ("page", template, lang, self.context, made)
        if key not in _KEPT:
            _KEPT[key] = self.env.get_template(template).render(t=self.texts(lang), **values)
        self.files[path] = _KEPT[key]

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
        """"稳就业十八条措施 · 第五条": the notice's short title and the measure's number in it."""
        return self.t("common.measure_label", lang, notice=self.index.notice_title(measure["notice"], lang),
                      number=self.index.measure_label(measure, lang))

    def name_of(self, item: Mapping, lang: str, where: str) -> str:
        return pick(item["title"] if "title" in item else item["name"], lang, where)

    def count_text(self, count: int, lang: str) -> str:
        return self.t("home.measure_count_one", lang) if count == 1 else self.t("home.measure_count", lang, count=count)

    def part_measures(self, part_id: str) -> list[dict]:
        return list(self._by_part.get(part_id, []))

    def group_measures(self, group_id: str) -> list[dict]:
        return [m for m in self.index.measures if group_id in self.index.measure_groups(m)]

    def measure_link(self, measure: Mapping, lang: str, prefix: str) -> dict[str, str]:
        return self.kept("link", measure, lang, prefix, lambda: {
            "label": self.measure_label(measure, lang), "title": render(self.index, measure, measure["title"], lang),
            "href": f"{prefix}measures/{measure['id']}.md",
            "state": measure_state(self.index, measure, lang, short=True)})

    # -- notices ------------------------------------------------------------------------
    def notice_state(self, notice: Mapping, lang: str) -> tuple[str, str]:
        """(kind, sentence) of a notice on the build day: in_force | coming | ended."""
        index, t = self.index, self.t
        ended = index.notice_ended.get(notice["id"])
        period = index.notice_period(notice)
        found = state(index, period)
        if ended is not None and period.get("until") == ended.last_day:
            kind = "ended" if ended.in_effect(index.day) else "in_force"
            return kind, t(f"notice.state_{ended.action}{'' if kind == 'ended' else '_to_come'}", lang,
                           notice=index.notice_title(ended.by, lang), date=format_date(ended.date, lang))
        if found is None:
            return "in_force", t("notice.state_in_force", lang)
        kind, day = found
        key = {"ended": "ended", "not_started": "coming", "ends": "in_force"}[kind]
        return key, t(f"notice.state_{kind}", lang, date=format_date(day, lang))

    def notice_facts(self, notice: Mapping, lang: str) -> list[tuple[str, str]]:
        """(label, value) rows: document number, issuer, publication date, dates in force, topics."""
        t, where = self.t, f"policy/notices/{notice['id']}"
        silent = t("notice.not_stated", lang)
        period = notice.get("in_force") or {}
        return [
            (t("notice.document_number", lang), notice.get("document_number") or silent),
            (t("notice.issuer", lang), pick(notice["issuer"], lang, where + ": issuer") if notice.get("issuer") else silent),
            (t("notice.published", lang), format_date(str(notice["published"]), lang) if notice.get("published") else silent),
            (t("notice.in_force_from", lang), format_date(str(period["from"]), lang) if period.get("from") else silent),
            (t("notice.in_force_until", lang), format_date(str(period["until"]), lang) if period.get("until") else silent),
            (t("notice.topics", lang), t("common.list_separator", lang).join(
                pick(self.index.topics[x]["name"], lang, "policy/library.yaml: topics") for x in notice["topics"])),
        ]

    def notice_groups(self, notice: Mapping) -> list[str]:
        """Audience group ids of a notice's measures, in the library's order."""
        found = {g for mid in notice["measures"] for g in self.index.measure_groups(self.index.measure_by_id[mid])}
        return [g for g in self.index.groups if g in found]

    def notice_card(self, notice: Mapping, lang: str, prefix: str) -> dict[str, Any]:
        kind, sentence = self.notice_state(notice, lang)
        year = str(notice["published"])[:4] if notice.get("published") else ""
        return {"id": notice["id"], "href": f"{prefix}notices/{notice['id']}.md",
                "title": pick(notice["title"], lang, f"policy/notices/{notice['id']}: title"),
                "descriptive": self.t("notice.title_descriptive_short", lang) if notice.get("title_descriptive") else "",
                "short_title": self.index.notice_title(notice["id"], lang),
                "number": notice.get("document_number") or "",
                "state": kind, "state_text": sentence,
                "count": self.count_text(len(notice["measures"]), lang),
                "year": year, "year_text": year or self.t("notices.no_year", lang),
                "groups": self.notice_groups(notice), "topics": list(notice["topics"])}

    def notices_page(self, lang: str) -> None:
        t = self.t
        cards = [self.notice_card(n, lang, "") for n in self.index.notices.values()]
        years = sorted({c["year"] for c in cards if c["year"]}, reverse=True)
        filters = [
            {"id": "audience", "label": t("notices.filter_audience", lang),
             "options": [(g["id"], self.name_of(g, lang, f"audience_groups.{g['id']}")) for g in self.index.groups.values()]},
            {"id": "topic", "label": t("notices.filter_topic", lang),
             "options": [(x["id"], pick(x["name"], lang, "topics")) for x in self.index.topics.values()]},
            {"id": "state", "label": t("notices.filter_state", lang),
             "options": [(k, t(f"notices.state_{k}", lang)) for k in ("in_force", "coming", "ended")]},
            {"id": "year", "label": t("notices.filter_year", lang),
             "options": [(y, y) for y in years]
             + ([("", t("notices.no_year", lang))] if any(not c["year"] for c in cards) else [])},
        ]
        data_href = "data/"   # relative to the Markdown file; MkDocs writes each language's URL
        self.page(f"notices.{lang}.md", "notices.md.j2", lang, notices=cards, filters=filters, data_href=data_href,
                  state_names={k: t(f"notices.state_{k}", lang) for k in ("in_force", "coming", "ended")})

    def notice_pages(self, lang: str) -> None:
        index, t = self.index, self.t
        for notice in index.notices.values():
            nid = notice["id"]
            kind, sentence = self.notice_state(notice, lang)
            parts = []
            for part in notice["parts"]:
                parts.append({
                    "heading": t("common.part_heading", lang, number=part_numeral(part["number"], lang),
                                 title=self.name_of(part, lang, f"parts.{part['id']}")),
                    "href": f"../parts/{part['id']}.md",
                    "measures": [{**self.measure_link(m, lang, "../"), "label": index.measure_label(m, lang)}
                                 for m in self.part_measures(part["id"])]})
            acts = [{"text": act_text(index, act, notice, lang), "href": f"{act['notice']}.md", "quote": act["quote"]}
                    for act in notice.get("acts_on") or []]
            self.page(f"notices/{nid}.{lang}.md", "notice.md.j2", lang,
                      title=pick(notice["title"], lang, f"policy/notices/{nid}: title"),
                      descriptive=t("notice.title_descriptive", lang) if notice.get("title_descriptive") else "",
                      short_title=index.notice_title(nid, lang), state=kind, state_text=sentence,
                      ended_href=f"{index.notice_ended[nid].by}.md" if kind == "ended" and nid in index.notice_ended else "",
                      summary=pick(notice["summary"], lang, f"policy/notices/{nid}: summary"),
                      facts=self.notice_facts(notice, lang), parts=parts, acts=acts,
                      paragraphs=[line.strip() for line in notice["text"].splitlines() if line.strip()],
                      feed_href=f"{nid}/feed.xml",
                      data_href=f"../data/notices/{nid}.json")
            self.files[f"notices/{nid}/feed.{lang}.xml"] = self.kept(
                "feed", [index.measure_by_id[mid] for mid in notice["measures"]], lang, nid,
                lambda nid=nid: build_feed(index, lang, self.t, notice_id=nid, entries=newest_first(index, nid)))

    # -- pages --------------------------------------------------------------------------
    def home(self, lang: str) -> None:
        t, index = self.t, self.index
        changes = newest_first(index)
        groups = []
        for group in index.groups.values():
            current = [m for m in self.group_measures(group["id"]) if index.in_force(m)]
            groups.append({"id": group["id"], "title": self.name_of(group, lang, f"audience_groups.{group['id']}"),
                           "count": self.in_force_count(len(current), lang)})
        cards = [self.notice_card(n, lang, "") for n in index.notices.values()]
        in_force = [c for c in cards if c["state"] == "in_force"]
        self.page(f"index.{lang}.md", "home.md.j2", lang,
                  intro=t("home.intro", lang, notices=str(len(in_force)),
                          measures=str(sum(1 for m in index.measures if index.in_force(m)))),
                  groups=groups, notices=cards[:NOTICES_ON_HOME], more_notices=len(cards) > NOTICES_ON_HOME,
                  last_updated=t("home.last_updated", lang, date=format_date(changes[0]["date"], lang)) if changes else "")

    def in_force_count(self, count: int, lang: str) -> str:
        return self.t("home.in_force_count_one", lang) if count == 1 else self.t("home.in_force_count", lang, count=count)

    def part_pages(self, lang: str) -> None:
        for part in self.index.parts.values():
            notice = self.index.part_notice[part["id"]]
            items = self.part_measures(part["id"])
            for path, chunk, pager in self.paginate(f"parts/{part['id']}", lang, items, MEASURES_PER_PAGE):
                prefix = "../" * path.count("/")
                measures = [{**self.measure_link(m, lang, prefix), "label": self.index.measure_label(m, lang),
                             "summary": self.kept("summary", m, lang, None,
                                                  lambda m=m: render(self.index, m, m["summary"], lang))}
                            for m in chunk]
                self.page(path, "part.md.j2", lang, title=self.name_of(part, lang, f"parts.{part['id']}"),
                          label=self.t("common.part_number", lang, number=part_numeral(part["number"], lang)),
                          notice_title=self.index.notice_title(notice["id"], lang),
                          notice_href=f"{prefix}notices/{notice['id']}.md", measures=measures, pager=pager)

    def audience_pages(self, lang: str) -> None:
        sep = self.t("common.list_separator", lang)
        for group in self.index.groups.values():
            title = self.name_of(group, lang, f"audience_groups.{group['id']}")
            role = group.get("role")
            members = [a for a in self.index.audiences.values() if a["group"] == group["id"]]
            # what applies now first, then what is to come, then what has ended
            rank = {"": 0, "ends": 0, "not_started": 1, "ended": 2}
            items = sorted(self.group_measures(group["id"]), key=lambda m: rank[measure_state_kind(self.index, m)])
            for path, chunk, pager in self.paginate(f"audiences/{group['id']}", lang, items, MEASURES_PER_PAGE):
                prefix = "../" * path.count("/")
                measures = []
                for m in chunk:
                    names = [pick(a["name"], lang, f"audiences.{a['id']}") for a in members if a["id"] in m["audiences"]]
                    measures.append({**self.measure_link(m, lang, prefix),
                                     "concerns": self.t("audience.concerns", lang, audiences=sep.join(names)),
                                     "amounts": self.kept("amounts", m, lang, role, lambda m=m, role=role: key_amounts(
                                         self.index, self.for_role(m, role), lang, self.t))})
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
        for m in self.index.measures:
            path = f"measures/{m['id']}.{lang}.md"
            self.files[path] = self.kept("measure page", m, lang, None, lambda m=m: self.measure_page(m, lang))

    def measure_page(self, m: Mapping, lang: str) -> str:
        index, t = self.index, self.t
        offered = index.in_force(m) or measure_state_kind(index, m) == "not_started"
        role = index.calculator_role(m) if offered else None
        where = f"policy/notices/{m['notice']}/measures: {m['id']}"
        part = index.parts[m["part"]]
        ended = index.ended.get(m["id"])
        return self.env.get_template("measure.md.j2").render(
            t=self.texts(lang),
            title=render(index, m, m["title"], lang), summary=render(index, m, m["summary"], lang),
            state=measure_state(index, m, lang),
            state_kind=measure_state_kind(index, m),
            ended_href=f"../notices/{ended.by}.md" if ended is not None else "",
            ended_link=t("measure.see_notice", lang, notice=index.notice_title(ended.by, lang)) if ended else "",
            label=index.measure_label(m, lang), part_id=part["id"],
            notice_id=m["notice"], notice_title=index.notice_title(m["notice"], lang),
            part_title=self.name_of(part, lang, f"parts.{part['id']}"),
            calculator_href="../calculator/index.md" + (f"#role={role}" if role else ""),
            calculator_text=t("measure.calculator_link" if m.get("benefits") and index.in_force(m)
                              else "measure.calculator_general", lang),
            list_links=list_page.links(self.policy, lang, "../", measure=m),
            audiences=[pick(index.audiences[a]["name"], lang, f"audiences.{a}") for a in m["audiences"]],
            rows=benefit_rows(index, m, lang, t), conditions=condition_blocks(index, m, lang, t),
            has_duration=any(b.get("duration") for b in m.get("benefits") or []),
            apply_how=traced(index, m, m["apply"]["how"], lang, t, "apply.how"),
            apply_where=traced(index, m, m["apply"]["where"], lang, t, "apply.where") if m["apply"].get("where") else "",
            documents=[traced(index, m, d, lang, t, "apply.documents") for d in m["apply"].get("documents") or []],
            contacts=[self.contact(c, lang, where) for c in m.get("contacts") or []],
            contacts_note=traced(index, m, m["contacts_note"], lang, t, "contacts_note") if m.get("contacts_note") else "",
            publisher=self.publisher(lang),
            source_as_published=m["source"]["as_published"],
            source_translation=m["source"].get("zh", "") if lang == "zh" else "",
            change_log=[{"date": format_date(str(e["date"]), lang), "text": render(index, m, e["text"], lang, "change_log"),
                         "quote": e.get("quote", ""), "quote_label": quote_label(index, e, lang)}
                        for e in m.get("change_log") or []],
        )

    def publisher(self, lang: str) -> dict | None:
        return publisher_contact(self.index.library, self.t, lang)

    def contact(self, contact: Mapping, lang: str, where: str) -> dict:
        return contact_lines(self.t, contact, lang, where)

    def change_item(self, e: Mapping, lang: str, prefix: str) -> dict[str, str]:
        """One change for the "What changed" pages: a measure's change log entry, or a notice's act."""
        if e["measure"] is not None:
            m = e["measure"]
            return {**self.measure_link(m, lang, prefix), "text": render(self.index, m, e["entry"]["text"], lang, "change_log"),
                    "quote": e["entry"].get("quote", ""), "quote_label": quote_label(self.index, e["entry"], lang)}
        notice = e["notice"]
        return {"label": self.index.notice_title(notice["id"], lang), "title": "", "state": "",
                "href": f"{prefix}notices/{notice['id']}.md", "text": act_text(self.index, e["act"], notice, lang),
                "quote": e["act"]["quote"], "quote_label": quote_label(self.index, e["entry"], lang)}

    def changes_pages(self, lang: str) -> None:
        entries = newest_first(self.index)
        for path, chunk, pager in self.paginate("changes", lang, entries, CHANGES_PER_PAGE):
            prefix = "../" * path.count("/")
            days: list[dict] = []
            for e in chunk:
                if not days or days[-1]["iso"] != e["date"]:
                    days.append({"iso": e["date"], "date": format_date(e["date"], lang), "entries": []})
                days[-1]["entries"].append(self.change_item(e, lang, prefix))
            self.page(path, "changes.md.j2", lang, days=days, pager=pager, feed_href=f"{prefix}feed.xml")
        self.files[f"feed.{lang}.xml"] = build_feed(self.index, lang, self.t)

    def open_data(self) -> None:
        """Every notice and measure as JSON, with the JSON Schemas they follow (site/data/): what
        another portal, a hotline's system or a journalist reuses without scraping the pages. The
        data is the policy as staff wrote it (both languages, every dated value and condition)."""
        index = []
        for notice in self.index.notices.values():
            nid = notice["id"]
            fields = {k: v for k, v in notice.items() if k not in ("id", "text", "measures")}
            measures = [{k: v for k, v in self.index.measure_by_id[mid].items() if k != "notice"}
                        for mid in notice["measures"]]
            period = self.index.notice_period(notice)
            ended = self.index.notice_ended.get(nid)
            document = {
                "$schema": "../schema/notice-data.schema.json", "id": nid, "notice": fields,
                "ended_by": {"notice": ended.by, "action": ended.action, "from": ended.date} if ended else None,
                "text": notice["text"], "measures": measures}
            self.files[f"data/notices/{nid}.json"] = self.kept(   # the JSON text: most of open_data's time
                "data", [self.index.measure_by_id[mid] for mid in notice["measures"]], "", nid,
                lambda document=document: _json(document))
            index.append({"id": nid, "title": notice["title"], "short_title": notice["short_title"],
                          "document_number": notice.get("document_number"), "published": notice.get("published"),
                          "in_force": period, "topics": notice["topics"],
                          "measures": [{"id": m["id"], "number": m["number"], "title": m["title"]} for m in measures],
                          "data": f"notices/{nid}.json", "page": {"zh": f"/notices/{nid}/", "en": f"/en/notices/{nid}/"}})
        self.files["data/notices.json"] = _json({"$schema": "schema/notices.schema.json", "notices": index})
        self.files["data/library.json"] = _json(self.index.library)   # follows schema/library.schema.json
        for name in ("common", "library", "notice", "measure"):
            self.files[f"data/schema/{name}.schema.json"] = (SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8")
        self.files["data/schema/notice-data.schema.json"] = _json(NOTICE_DATA_SCHEMA)
        self.files["data/schema/notices.schema.json"] = _json(NOTICES_SCHEMA)

    def build(self) -> dict[str, str]:
        self.open_data()
        for lang in LANGS:
            self.home(lang)
            self.notices_page(lang)
            self.notice_pages(lang)
            self.part_pages(lang)
            self.audience_pages(lang)
            self.measure_pages(lang)
            self.changes_pages(lang)
        return self.files


def site_config(policy: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The site's name, description and menu in `lang`, from policy/: the menu lists the library's
    notices page and its audience groups in their order (notice, part and measure pages are reached
    from those pages, so the menu does not grow with the library)."""
    t, library = Texts(policy["texts"]["site"]), policy["library"]
    return {
        "site_name": t("site.name", lang),
        "site_description": t("site.description", lang),
        "nav": [
            "index.md",
            "notices.md",
            {t("site.menu_audiences", lang): [f"audiences/{g['id']}.md" for g in library["audience_groups"]]},
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




def _files_under(folder: Path) -> list[str]:
    """Every file under `folder`, as paths relative to it ('/'-separated); os.walk, not rglob: a
    library's docs/ holds thousands of pages, looked through on every build of the preview."""
    found = []
    for here, _dirs, names in os.walk(folder):
        rel = os.path.relpath(here, folder).replace(os.sep, "/")
        found += [name if rel == "." else f"{rel}/{name}" for name in names]
    return found


def _remove_stale(docs_dir: Path, keep: set[str]) -> None:
    candidates = [f"{d}/{rel}" for d in GENERATED_DIRS for rel in _files_under(docs_dir / d)]
    candidates += [name for name in GENERATED_FILES if (docs_dir / name).exists()]
    for rel in candidates:
        if rel not in keep:
            (docs_dir / rel).unlink()
    for d in GENERATED_DIRS:
        for here, _dirs, _names in os.walk(docs_dir / d, topdown=False):
            if here != str(docs_dir / d) and not os.listdir(here):
                os.rmdir(here)


def check_translations(docs_dir: Path) -> None:
    """Every page in docs/ exists in both languages (static-i18n would silently fall back)."""
    files = set(_files_under(docs_dir))
    missing = []
    for rel in files:
        for lang in LANGS:
            if rel.endswith(f".{lang}.md"):
                stem = rel[: -len(f".{lang}.md")]
                missing += [f"{stem}.{other}.md" for other in LANGS if f"{stem}.{other}.md" not in files]
    if missing:
        raise FileNotFoundError("pages missing a translation: " + ", ".join(sorted(set(missing))))


def kept_nav() -> Any:
    """A function for the theme (overrides/base.html: `{% call kept_nav(page, nav) %}` around the
    menu) that renders the menu once for all the pages of a folder that the menu does not list
    (measures/, parts/, notices/...: thousands of pages, the same menu): such a page marks no item
    active, and a link's relative URL is the same from every page of one folder unless it leads
    into the page itself. One per language build (mkdocs_hooks.on_env): the menu is that build's."""
    kept: dict[str, Any] = {}
    inside: dict[str, set[str]] = {}

    def render(page: Any, nav: Any, caller: Any) -> Any:
        if page is None or not getattr(page, "url", None) or nav is None:
            return caller()
        if "urls" not in inside:
            inside["urls"] = {item.url for item in nav.pages}
        if any(url.startswith(page.url) for url in inside["urls"]):
            return caller()   # a page of the menu, or one the menu leads into
        folder = page.url.rstrip("/").rpartition("/")[0]
        if folder not in kept:
            kept[folder] = caller()
        return kept[folder]

    return render


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


def keep_not_found_pages(config: MkDocsConfig) -> None:
    """Give each language its own 404 page. MkDocs writes a theme's 404.html to site/404.html in
    every language build, so the last build would overwrite the first: after each build, move
    a non-default language's page to site/<lang>/404.html and put the default one back."""
    lang = other_language(config)
    site = Path(config["site_dir"])
    page = site / "404.html"
    if lang is None:
        _not_found_pages["default"] = page.read_bytes()
    elif "default" in _not_found_pages:
        page.replace(site / lang / "404.html")
        page.write_bytes(_not_found_pages["default"])


_SITEMAP_ENTRY = re.compile(r"[ \t]*<url>.*?</url>\n?", re.S)
_SITEMAP_LOC = re.compile(r"<loc>(.*?)</loc>")


def write_language_sitemap(config: MkDocsConfig) -> None:
    """Material's language switcher reads the sitemap.xml next to each <link rel="alternate"> of
    a page; on an English page that is the English feed's, so en/sitemap.xml must exist (else a
    404 in every English page's console). After a non-default language's build, write it: the
    entries of the site's sitemap.xml that are pages of that language."""
    lang = other_language(config)
    if lang is None:
        return
    site = Path(config["site_dir"])
    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    # overrides/sitemap.xml writes site_url + the page's URL, or (no site_url) the URL relative
    # to the site's root, which this copy one folder down must rebase
    base = config["site_url"] or ""
    here = f"{base}{lang}/"
    entries = "".join(e for e in _SITEMAP_ENTRY.findall(text)
                      if (loc := _SITEMAP_LOC.search(e)) is not None and loc.group(1).startswith(here))
    if not base:
        entries = _SITEMAP_URL.sub(lambda m: m.group(1) + _rebase(m.group(2), here), entries)
    first = _SITEMAP_ENTRY.search(text)
    head = text[:first.start()] if first else text[:text.index("</urlset>")]
    write_if_changed(site / lang / "sitemap.xml", head + entries + "</urlset>\n")


_SITEMAP_URL = re.compile(r'(<loc>|href=")([^"<]*)')


def _rebase(url: str, folder: str) -> str:
    """A URL relative to the site's root, made relative to `folder` (one level down, e.g. "en/")."""
    if url.startswith(folder):
        return url[len(folder):] or "./"
    return "../" + ("" if url == "./" else url)


def generate(policy: Mapping[str, Any], docs_dir: Path) -> None:
    files = _Site(policy).build()
    for rel, content in files.items():
        write_if_changed(docs_dir / rel, content)
    _remove_stale(docs_dir, set(files))
    check_translations(docs_dir)
