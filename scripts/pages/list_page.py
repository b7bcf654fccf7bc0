"""Generate the "check a list" page (docs/calculator/list.zh.md and list.en.md) and its templates
(docs/calculator/list-templates/<list id>.csv) from policy/.

What each list asks (columns, conditions, counts) comes from questions.yaml `lists:`, the page's
words from policy/texts/lists.yaml `page`. The templates are written by the calculator's own code
(subsidy_calculator.lists), so the headings the page offers are exactly those it reads back. The
browser glue (docs/assets/calculator/lists.js) reads the texts from one JSON block; nothing here
is executable script. Written only when changed (else `mkdocs serve` loops).
"""
from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any, Mapping

from scripts.pages.calculator_page import LANGS, _e, _Renderer, one_language
from subsidy_calculator.texts import fill
from scripts.files import write_if_changed

PAGE = "calculator/list"
TEMPLATES = "calculator/list-templates"


def _checker(policy: Mapping[str, Any]):
    from scripts.bundle.rules_bundle import build_bundle
    from subsidy_calculator import Rules
    from subsidy_calculator.lists import Lists

    return Lists(Rules(json.loads(json.dumps(build_bundle(dict(policy)), ensure_ascii=False))))


class _Page:
    def __init__(self, policy: Mapping[str, Any], lang: str, today: str, docs_dir: Path, checker) -> None:
        self.policy, self.lang, self.today = policy, lang, today
        self.form = _Renderer(policy, lang, today, docs_dir)     # the calculator's own questions
        self.t = one_language(policy["texts"]["lists"]["page"], lang, "lists")
        self.checker = checker
        self.questions = {q["id"]: q for q in policy.get("questions", [])}

    def column_rows(self, spec, view) -> str:
        t = self.t
        rows = []
        for column, heading, options in zip(spec.columns, view.headers, view.options):
            kind = column.type
            what = (t["yes_no"] if kind == "boolean" else t["a_date"] if kind == "date"
                    else fill(t["one_of"], options=options) if kind == "choice" else t["any_text"])
            if column.raw.get("help"):
                what += " " + self.form.text(column.raw["help"])
            need = t["required"] if column.required else t["optional"]
            rows.append(f"<tr><th scope=\"row\">{_e(heading)}</th><td>{_e(need)}</td><td>{_e(what)}</td></tr>")
        return "".join(rows)

    def counts(self, spec, view) -> str:
        sep = self.checker.words[self.lang]["separator"]
        items = []
        for q, idx in spec.counts:
            conditions = sep.join(view.condition_texts[i] for i in idx)
            items.append(f"<li>{_e(fill(self.t['counts_as'], label=view.count_labels[q], conditions=conditions))}</li>")
        return "".join(items)

    def list_section(self, spec, index: int) -> str:
        t, lang = self.t, self.lang
        view = self.checker.view(spec, self.today, lang)
        asks = "".join(self.form.question({k: v for k, v in self.questions[q].items() if k != "ask_when"})
                       for q in spec.asks)
        href = f"../list-templates/{spec.id}.csv" if lang == "zh" else f"../../../calculator/list-templates/{spec.id}.csv"
        return (
            f'<section class="lc-list" id="lc-list-{_e(spec.id)}" data-list="{_e(spec.id)}" '
            f'aria-labelledby="lc-list-{_e(spec.id)}-title"{"" if index == 0 else " hidden"}>'
            f'<h2 id="lc-list-{_e(spec.id)}-title">{_e(view.title)}</h2>'
            f'<h3>{_e(t["about_list"])}</h3>{asks}'
            f'<h3>{_e(t["template_heading"])}</h3><p>{_e(t["template_note"])}</p>'
            f'<p><a class="md-button lc-template" href="{_e(href)}" download="{_e(spec.id)}.csv">'
            f'{_e(fill(t["template_link"], title=view.title))}</a></p>'
            f'<table class="lc-columns"><caption>{_e(t["columns_caption"])}</caption>'
            f'<thead><tr><th scope="col">{_e(t["column"])}</th><th scope="col">{_e(t["required"])}/{_e(t["optional"])}</th>'
            f'<th scope="col">{_e(t["what_to_enter"])}</th></tr></thead><tbody>{self.column_rows(spec, view)}</tbody></table>'
            f'<p class="lc-conditions-heading">{_e(t["conditions_heading"])}</p><ul class="lc-conditions">{self.counts(spec, view)}</ul>'
            f"</section>"
        )

    def markdown(self) -> str:
        from subsidy_calculator.lists import MAX_BYTES, MAX_ROWS

        t, lang = self.t, self.lang
        specs = list(self.checker.specs.values())
        texts_json = json.dumps(t, ensure_ascii=False, sort_keys=True)
        texts_json = texts_json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        choices = "".join(
            f'<label class="calc-option" for="lc-choose-{i}"><input type="radio" id="lc-choose-{i}" name="lc-list" '
            f'value="{_e(s.id)}"{" checked" if i == 0 else ""}><span>{_e(self.checker.view(s, self.today, lang).title)}</span></label>'
            for i, s in enumerate(specs))
        limit = fill(t["file_limit"], limit=fill(t["units"]["mb"], size=str(MAX_BYTES // (1024 * 1024))),
                     rows=f"{MAX_ROWS:,}")
        body = (
            f'<div class="calc lc" id="lc" data-lang="{_e(lang)}" data-max-bytes="{MAX_BYTES}" data-phase="loading">'
            f'<script type="application/json" id="lc-texts">{texts_json}</script>'
            f'<p class="calc-intro">{_e(t["intro"])}</p>'
            f'<p class="lc-privacy">{_e(t["privacy"])}</p>'
            f'<p class="calc-list-link"><a href="../">{_e(t["calculator_link"])}</a></p>'
            f'<noscript><p class="calc-noscript">{_e(t["noscript"])}</p></noscript>'
            f'<p class="calc-phase" id="lc-status" role="status">{_e(t["status"]["loading"])}</p>'
            f'<p class="calc-phase-note" id="lc-offline-note" hidden>{_e(t["status"]["offline_ready"])}</p>'
            f'<form class="lc-form" id="lc-form" novalidate>'
            f'<fieldset class="calc-q"><legend class="calc-label">{_e(t["choose_list"])}</legend>'
            f'<div class="calc-options">{choices}</div></fieldset>'
            f'{"".join(self.list_section(s, i) for i, s in enumerate(specs))}'
            f'<h2 id="lc-file-heading">{_e(t["file_heading"])}</h2>'
            f'<div class="lc-drop" id="lc-drop">'
            f'<label class="calc-label" for="lc-file">{_e(t["file_label"])}</label>'
            f'<input type="file" id="lc-file" accept=".csv,.txt,.tsv,text/csv,text/plain" aria-describedby="lc-drop-hint" disabled>'
            f'<p class="calc-help" id="lc-drop-hint">{_e(t["drop_hint"])} {_e(limit)}</p></div>'
            f"</form>"
            f'<progress id="lc-progress" max="1" value="0" hidden aria-labelledby="lc-status"></progress>'
            f'<section class="lc-results" id="lc-results" aria-labelledby="lc-results-heading" hidden>'
            f'<h2 id="lc-results-heading">{_e(t["results_heading"])}</h2>'
            f'<p class="calc-estimate-only">{_e(t["estimate_only"])}</p>'
            f'<div id="lc-summary"></div>'
            f'<div id="lc-problems"></div>'
            f'<div id="lc-totals"></div>'
            f'<div id="lc-rows"></div>'
            f'<p class="calc-buttons">'
            f'<button type="button" class="md-button" id="lc-download">{_e(t["download"])}</button>'
            f'<button type="button" class="md-button" id="lc-print">{_e(t["print"])}</button>'
            f'<button type="button" class="md-button" id="lc-clear">{_e(t["clear"])}</button></p>'
            f"</section>"
            f"</div>"
        )
        front = {"template": "list.html", "title": t["title"], "description": t["description"],
                 "hide": ["navigation", "toc"]}
        return ("---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in front.items())
                + "---\n\n<!-- generated by scripts/pages/list_page.py from policy/; do not edit -->\n\n"
                + f"# {t['title']}\n\n" + body + "\n")


def links(policy: Mapping[str, Any], lang: str, prefix: str, measure: Mapping[str, Any] | None = None,
          role: str | None = None) -> list[dict[str, str]]:
    """Links to the list page for a measure page (lists whose counts its amounts use) or an
    audience page (lists for its calculator role): [{href, text}]."""
    page = ((policy.get("texts") or {}).get("lists") or {}).get("page")
    out = []
    for spec in policy.get("lists") or []:
        counted = set(spec.get("counts") or {})
        if measure is not None:
            uses = set()
            for b in measure.get("benefits") or []:
                amount = b.get("amount") or {}
                uses |= {amount.get("per"), amount.get("each"), (amount.get("left_out") or {}).get("total")}
            if not counted & uses or spec.get("role") not in {r for b in measure.get("benefits") or [] for r in b.get("roles") or []}:
                continue
        elif role is None or spec.get("role") != role:
            continue
        title = spec["title"][lang]
        out.append({"href": f"{prefix}calculator/list.md#list={spec['id']}",
                    "text": fill(page["link"][lang], title=title)})
    return out


def generate(policy: dict, docs_dir: Path, today: str | None = None) -> None:
    """Write the page in both languages and one template per list (only when changed)."""
    docs_dir = Path(docs_dir)
    if not policy.get("lists"):
        return
    day = today or _dt.date.today().isoformat()
    checker = _checker(policy)
    for lang in LANGS:
        write_if_changed(docs_dir / f"{PAGE}.{lang}.md", _Page(policy, lang, day, docs_dir, checker).markdown())
    for list_id in checker.specs:
        write_if_changed(docs_dir / TEMPLATES / f"{list_id}.csv", checker.template(list_id, day).encode("utf-8"))
