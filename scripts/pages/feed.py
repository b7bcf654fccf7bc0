"""The Atom feeds of changes: of everything (docs/feed.<lang>.xml -> site/feed.xml, site/en/feed.xml)
and of each notice (docs/notices/<id>/feed.<lang>.xml -> site/notices/<id>/feed.xml, ...).

Built with ElementTree, so every policy text is escaped as XML. Links are relative to the
feed's own address (valid Atom), because the site does not know where it will be deployed.
Ids are stable name-based UUIDs: a reader sees an entry once, however often the site is built.
"""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

from scripts.pages.words import Texts, pick
from scripts.pages.view import PolicyIndex, act_text, measure_state, newest_first, quote_label, render

ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 100  # feed readers only need the recent changes; the page lists them all
_NAMESPACE = uuid.UUID("6f1d3a52-9c1e-4c1b-8f0a-2f4b7f0c2d11")


def _stamp(day: str) -> str:
    return f"{day}T00:00:00Z"


def build_feed(index: PolicyIndex, lang: str, t: Texts, notice_id: str | None = None,
               entries: list[dict] | None = None) -> str:
    """The feed of every change (site/feed.xml), or of one notice's (site/notices/<id>/feed.xml)."""
    ET.register_namespace("", ATOM)
    entries = newest_first(index) if entries is None else entries
    up = "../../" if notice_id else ""           # links are relative to the feed's own folder
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    title = t("feed.title", lang) if notice_id is None else \
        t("feed.notice_title", lang, notice=index.notice_title(notice_id, lang))
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    key = "feed/" + lang if notice_id is None else f"feed/{notice_id}/{lang}"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"urn:uuid:{uuid.uuid5(_NAMESPACE, key)}"
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(entries[0]["date"] if entries else "1970-01-01")
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": "feed.xml"})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html",
                                            "href": "changes/" if notice_id is None else "./"})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = t("feed.title", lang)
    for e in entries[:MAX_ENTRIES]:
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        measure, notice = e["measure"], e["notice"]
        short = index.notice_title(notice["id"], lang)
        if measure is not None:
            label = t("common.measure_label", lang, notice=short, number=index.measure_label(measure, lang))
            title = t("feed.entry_title", lang, measure=label, title=render(index, measure, measure["title"], lang))
            href = f"{up}measures/{measure['id']}/"
            text = pick(e["entry"]["text"], lang, f"policy/notices/{notice['id']}/measures: {measure['id']}.change_log")
            state = measure_state(index, measure, lang)  # "This measure ended on ..."
            if state:
                text += "\n\n" + state
        else:
            title = text = act_text(index, e["act"], notice, lang)
            href = f"{up}notices/{notice['id']}/"
        ET.SubElement(item, f"{{{ATOM}}}title").text = title
        # the same change has the same id in the notice's feed and in the feed of everything
        ET.SubElement(item, f"{{{ATOM}}}id").text = f"urn:uuid:{uuid.uuid5(_NAMESPACE, lang + '/' + e['key'])}"
        ET.SubElement(item, f"{{{ATOM}}}updated").text = _stamp(e["date"])
        ET.SubElement(item, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": href})
        if e["entry"].get("quote"):
            text += "\n\n" + quote_label(index, e["entry"], lang) + " " + e["entry"]["quote"]
        ET.SubElement(item, f"{{{ATOM}}}content", {"type": "text"}).text = text
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
