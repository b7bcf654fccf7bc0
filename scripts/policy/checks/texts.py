"""Checks of texts/*.yaml: {placeholder} syntax, the same placeholders and figures in zh and en."""
from __future__ import annotations

import re
import string

from scripts.policy.checks.context import Context, texts
from scripts.policy.problems import PathT
from scripts.policy.reader import Doc


def check(ctx: Context) -> None:
    for doc in ctx.docs.texts.values():
        check_file(ctx, doc)


def check_file(ctx: Context, doc: Doc) -> None:
    formatter = string.Formatter()
    by_text: dict[PathT, dict[str, set[str]]] = {}
    for path, text in texts(doc.data):
        try:
            fields = {f for _, f, _, _ in formatter.parse(text) if f is not None}
        except ValueError as error:
            ctx.add(doc, path, "placeholder_syntax", error=str(error))
            continue
        for field_name in fields:
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", field_name):
                ctx.add(doc, path, "bad_placeholder", name=field_name)
        by_text.setdefault(path[:-1], {})[str(path[-1])] = fields
    for path, langs in by_text.items():
        if len(langs) == 2 and langs["zh"] != langs["en"]:
            diff = tuple("{" + f + "}" for f in sorted(langs["zh"] ^ langs["en"]))
            ctx.add(doc, path, "placeholders_differ", names=diff)
    ctx.placeholders(doc, doc.data, None)
