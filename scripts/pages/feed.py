"""The Atom feed of changes (docs/feed.<lang>.xml -> site/feed.xml and site/en/feed.xml).

Built with ElementTree, so every policy text is escaped as XML. Links are relative to the
feed's own address (valid Atom), because the site does not know where it will be deployed.
Ids are stable name-based UUIDs: a reader sees an entry once, however often the site is built.
"""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

from scripts.pages.words import Texts, pick
from scripts.pages.view import PolicyIndex, measure_state, newest_first, quote_label, render

ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 100  # feed readers only need the recent changes; the page lists them all
_NAMESPACE = uuid.UUID("6f1d3a52-9c1e-4c1b-8f0a-2f4b7f0c2d11")


def _stamp(day: str) -> str:
    return f"{day}T00:00:00Z"


def build_feed(index: PolicyIndex, lang: str, t: Texts) -> str:
    ET.register_namespace("", ATOM)
    entries = newest_first(index)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    ET.SubElement(feed, f"{{{ATOM}}}title").text = t("feed.title", lang)
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"urn:uuid:{uuid.uuid5(_NAMESPACE, 'feed/' + lang)}"
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(entries[0][0] if entries else "1970-01-01")
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": "feed.xml"})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": "changes/"})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = t("feed.title", lang)
    for day, position, measure, entry in entries[:MAX_ENTRIES]:
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        label = t("common.measure_number", lang, number=measure["number"])
        title = t("feed.entry_title", lang, measure=label, title=render(index, measure, measure["title"], lang))
        ET.SubElement(item, f"{{{ATOM}}}title").text = title
        key = f"{lang}/{measure['id']}/{day}/{position}"
        ET.SubElement(item, f"{{{ATOM}}}id").text = f"urn:uuid:{uuid.uuid5(_NAMESPACE, key)}"
        ET.SubElement(item, f"{{{ATOM}}}updated").text = _stamp(day)
        ET.SubElement(item, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html",
                                                "href": f"measures/{measure['id']}/"})
        text = pick(entry["text"], lang, f"policy/measures: {measure['id']}.change_log")
        state = measure_state(index, measure, lang)  # "This measure ended on ..."
        if state:
            text += "\n\n" + state
        if entry.get("quote"):
            text += "\n\n" + quote_label(index, entry, lang) + " " + entry["quote"]
        ET.SubElement(item, f"{{{ATOM}}}content", {"type": "text"}).text = text
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
