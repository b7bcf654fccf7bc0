"""The one Jinja environment every generated page is written with (scripts/pages/templates/):
autoescaped, strict about missing names, and the filters the templates share.

    md        policy text made safe inside Markdown (scripts/pages/words.py)
    br        policy text as HTML with its line breaks kept
    yaml      a front-matter string: HTML-escaped and quoted
    json_data a value as the text of a <script type="application/json"> block (never executed)
    html      {% filter html %}: the markup of an HTML block joined into one line, so Markdown
              passes it through whole; only the template's own line breaks between tags go
"""
from __future__ import annotations

import functools
import html as _html
import json
import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from scripts.pages.words import html_text, md_inline

TEMPLATES = Path(__file__).resolve().parent / "templates"
_BETWEEN_TAGS = re.compile(r">\s*\n\s*<")


def yaml_string(value: str) -> Markup:
    """A front-matter string: HTML-escaped (MkDocs prints meta titles as they are) and quoted."""
    return Markup(json.dumps(_html.escape(str(value), quote=False), ensure_ascii=False))


def json_data(value: Any) -> Markup:
    """JSON for a data block: what could end the element is escaped (a JSON string's \\u003c)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def json_attr(value: Any) -> str:
    """JSON for an attribute value (autoescape then quotes it): compact, keys sorted."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def one_html_line(markup: str) -> Markup:
    return Markup(_BETWEEN_TAGS.sub("><", str(markup).strip()))


@functools.cache
def environment() -> jinja2.Environment:
    """One environment for the whole build (its loader still reloads a template edited under
    `mkdocs serve`), so each template is compiled once."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(md=md_inline, br=html_text, yaml=yaml_string, json_data=json_data,
                       json_attr=json_attr, html=one_html_line)
    return env
