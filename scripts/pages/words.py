"""The site's words and how policy text is made safe for Markdown and HTML.

Every visible word of the generated pages comes from policy/texts/site.yaml through `Texts`;
a missing key or language raises, so a page is never published half translated.
"""
from __future__ import annotations

import html
import re
from typing import Any, Mapping

from markupsafe import Markup
from subsidy_calculator.texts import FIELD, fill

LANGS = ("zh", "en")


class MissingText(KeyError):
    """A text the site needs is not in policy/texts/site.yaml (or lacks a language)."""

    def __str__(self) -> str:  # KeyError would print the repr of the message
        return str(self.args[0])


def pick(text: Mapping[str, str], lang: str, where: str = "policy") -> str:
    """The `lang` version of a {zh, en} policy text; raises if it is missing or empty."""
    value = text.get(lang) if isinstance(text, Mapping) else None
    if not isinstance(value, str) or not value.strip():
        raise MissingText(f"{where}: no '{lang}' text")
    return value


class Texts:
    """Look up site.yaml texts by dotted key: texts("measure.who_for", "en")."""

    def __init__(self, site_texts: Mapping[str, Any]) -> None:
        self._texts = site_texts

    def __call__(self, key: str, lang: str, **values: Any) -> str:
        node: Any = self._texts
        for part in key.split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise MissingText(f"policy/texts/site.yaml: {key}: this text is missing")
            node = node[part]
        text = pick(node, lang, f"policy/texts/site.yaml: {key}")
        if not values:
            return text
        unknown = set(FIELD.findall(text)) - set(values)
        if unknown:  # a misspelt {name}: never publish it as it is
            raise MissingText(f"policy/texts/site.yaml: {key}.{lang}: no value for "
                              + ", ".join("{" + name + "}" for name in sorted(unknown)))
        return fill(text, **{name: str(value) for name, value in values.items()})

    def group(self, key: str, lang: str) -> dict[str, str]:
        """All texts of a group in one language (for templates), each checked."""
        node = self._texts.get(key)
        if not isinstance(node, Mapping):
            raise MissingText(f"policy/texts/site.yaml: {key}: this group is missing")
        return {name: self(f"{key}.{name}", lang) for name in node}


# Characters Python-Markdown gives a meaning to and accepts a backslash before. `<`, `>` and
# `&` are not among them: html.escape turns those into entities afterwards.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


def md_inline(text: str) -> Markup:
    """Policy text made literal for a Markdown inline context (a heading, a list item, a link
    label): no emphasis, link, list, heading or raw HTML can come out of it."""
    flat = re.sub(r"\s+", " ", str(text))  # no line breaks: they could start a new block
    return Markup(html.escape(_MD_SPECIAL.sub(r"\\\1", flat), quote=False))


def html_text(text: str) -> Markup:
    """Policy text for an HTML element's content, line breaks kept as <br>."""
    lines = [html.escape(line, quote=False) for line in str(text).strip().splitlines()]
    return Markup("<br>".join(lines))
