"""Generate the "check a list" page (docs/calculator/list.zh.md and list.en.md) and its templates
(docs/calculator/list-templates/<list id>.csv) from policy/.

What each list asks (columns, conditions, counts) comes from questions.yaml `lists:`, the page's
words from policy/texts/lists.yaml `page`. The templates are written by the calculator's own code
(subsidy_calculator.lists), so the headings the page offers are exactly those it reads back. The
browser glue (calculator/web/lists.js) reads the texts from one JSON block; nothing here
is executable script; the markup is templates/list.md.j2. Written only when changed (else `mkdocs serve` loops).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from scripts.pages import jinja_env
from scripts.pages.calculator_page import LANGS, _Renderer, one_language
from scripts.pages.view import build_day
from subsidy_calculator.amounts import read_amount
from subsidy_calculator.formatting import format_count
from subsidy_calculator.texts import fill
from scripts.files import write_if_changed

if TYPE_CHECKING:
    from subsidy_calculator.lists import Lists, ListSpec, _ListView

PAGE = "calculator/list"
TEMPLATES = "calculator/list-templates"


def _checker(policy: Mapping[str, Any]) -> Lists:
    from scripts.bundle.rules_bundle import build_bundle
    from subsidy_calculator import Rules
    from subsidy_calculator.lists import Lists

    return Lists(Rules(json.loads(json.dumps(build_bundle(dict(policy)), ensure_ascii=False))))


class _Page:
    def __init__(self, policy: Mapping[str, Any], lang: str, today: str, docs_dir: Path, checker: Lists) -> None:
        self.policy, self.lang, self.today = policy, lang, today
        self.form = _Renderer(policy, lang, today, docs_dir)     # the calculator's own questions
        self.t = one_language(policy["texts"]["lists"]["page"], lang, "lists")
        self.checker = checker
        self.questions = {q["id"]: q for q in policy.get("questions", [])}

    def columns(self, spec: ListSpec, view: _ListView) -> list[dict[str, str]]:
        """The template's columns: heading, required or optional, what to enter."""
        t = self.t
        rows = []
        for column, heading, options in zip(spec.columns, view.headers, view.options):
            kind = column.type
            what = (t["yes_no"] if kind == "boolean" else t["a_date"] if kind == "date"
                    else fill(t["one_of"], options=options) if kind == "choice" else t["any_text"])
            if column.raw.get("help"):
                what += " " + self.form.text(column.raw["help"])
            rows.append({"heading": heading, "need": t["required"] if column.required else t["optional"],
                         "what": what})
        return rows

    def counts(self, spec: ListSpec, view: _ListView) -> list[str]:
        """What each count of the list takes: "counts as ... when ..."."""
        sep = self.checker.words[self.lang]["separator"]
        return [fill(self.t["counts_as"], label=view.count_labels[q],
                     conditions=sep.join(view.condition_texts[i] for i in idx))
                for q, idx in spec.counts]

    def list_view(self, spec: ListSpec) -> dict[str, Any]:
        view = self.checker.view(spec, self.today, self.lang)
        href = (f"../list-templates/{spec.id}.csv" if self.lang == "zh"
                else f"../../../calculator/list-templates/{spec.id}.csv")
        return {
            "id": spec.id, "title": view.title, "template_href": href,
            "template_link": fill(self.t["template_link"], title=view.title),
            # the calculator's own questions, always shown here (a list asks them of every row)
            "asks": [self.form.question({k: v for k, v in self.questions[q].items() if k != "ask_when"})
                     for q in spec.asks],
            "columns": self.columns(spec, view), "counts": self.counts(spec, view),
        }

    def markdown(self) -> str:
        from subsidy_calculator.lists import MAX_BYTES, MAX_ROWS

        t = self.t
        limit = fill(t["file_limit"], limit=fill(t["units"]["mb"], size=str(MAX_BYTES // (1024 * 1024))),
                     rows=format_count(MAX_ROWS, self.lang))
        return jinja_env.environment().get_template("list.md.j2").render(
            t=t, lang=self.lang, max_bytes=MAX_BYTES, file_limit=limit,
            lists=[self.list_view(spec) for spec in self.checker.specs.values()])


def links(policy: Mapping[str, Any], lang: str, prefix: str, measure: Mapping[str, Any] | None = None,
          role: str | None = None) -> list[dict[str, str]]:
    """Links to the list page for a measure page (lists whose counts its amounts use) or an
    audience page (lists for its calculator role): [{href, text}]."""
    out = []
    for spec in policy.get("lists") or []:
        counted = set(spec.get("counts") or {})
        if measure is not None:
            uses = {q for b in measure.get("benefits") or [] for q in read_amount(b.get("amount")).questions}
            roles = {r for b in measure.get("benefits") or [] for r in b.get("roles") or []}
            if not counted & uses or spec.get("role") not in roles:
                continue
        elif role is None or spec.get("role") != role:
            continue
        title = spec["title"][lang]
        out.append({"href": f"{prefix}calculator/list.md#list={spec['id']}",
                    "text": fill(policy["texts"]["lists"]["page"]["link"][lang], title=title)})
    return out


def generate(policy: dict, docs_dir: Path, today: str | None = None) -> None:
    """Write the page in both languages and one template per list (only when changed)."""
    docs_dir = Path(docs_dir)
    if not policy.get("lists"):
        return
    day = today or build_day()  # the day the site is built for (SITE_DATE), as every page
    checker = _checker(policy)
    for lang in LANGS:
        write_if_changed(docs_dir / f"{PAGE}.{lang}.md", _Page(policy, lang, day, docs_dir, checker).markdown())
    for list_id in checker.specs:
        write_if_changed(docs_dir / TEMPLATES / f"{list_id}.csv", checker.template(list_id, day).encode("utf-8"))
