"""Generate the calculator page (docs/calculator/index.zh.md and index.en.md) from policy/.

The whole form is rendered here, at build time, from questions.yaml in the page's language, so it
is visible and fillable before Python has started in the browser. The page's own words come from
policy/texts/calculator_page.yaml. The browser glue (docs/assets/calculator/app.js) reads the
questions back from `data-*` attributes and the texts from one JSON block; nothing here is
executable script, so the Content-Security-Policy needs no hash for it.

The files are gitignored and written only when their content changed (else `mkdocs serve` loops).
"""
from __future__ import annotations

import html
import json
import sys
from pathlib import Path
from typing import Any, Mapping

ROOT = Path(__file__).resolve().parents[2]
_CALC_SRC = ROOT / "calculator" / "src"
if str(_CALC_SRC) not in sys.path:  # the shared formatting helpers; stdlib only
    sys.path.insert(0, str(_CALC_SRC))

from subsidy_calculator import formatting  # noqa: E402
from scripts.files import write_if_changed  # noqa: E402
from scripts.pages.view import build_day  # noqa: E402

LANGS = ("zh", "en")
PAGE_DIR = "calculator"
TEXTS_KEY = "calculator_page"


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def figures_map(policy: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Every figure of every measure, keyed "measure-id.figure_id" (for question texts)."""
    out: dict[str, Mapping[str, Any]] = {}
    for measure in policy.get("measures", []):
        for fid, figure in (measure.get("figures") or {}).items():
            out[f"{measure['id']}.{fid}"] = figure
    return out


def page_texts(policy: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The calculator page's interface texts, reduced to one language (same tree, str leaves)."""
    texts = policy.get("texts", {}).get(TEXTS_KEY)
    if texts is None:
        raise KeyError(f"policy/texts/{TEXTS_KEY}.yaml is missing")
    return one_language(texts, lang, TEXTS_KEY)


def one_language(texts: Any, lang: str, name: str) -> dict[str, Any]:
    """A tree of {zh, en} texts reduced to one language (same tree, str leaves); `name` (the
    file) is named in the error when a text is empty or not a text."""

    def pick(node: Any, path: str) -> Any:
        if isinstance(node, dict) and set(node) == set(LANGS):
            value = node[lang]
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{name}.yaml: {path}.{lang} is empty")
            return value
        if isinstance(node, dict):
            return {k: pick(v, f"{path}.{k}" if path else k) for k, v in node.items()}
        raise ValueError(f"{name}.yaml: {path} is not a {{zh, en}} text")

    return pick(texts, "")


class _Renderer:
    def __init__(self, policy: Mapping[str, Any], lang: str, today: str, docs_dir: Path) -> None:
        self.policy = policy
        self.lang = lang
        self.today = today
        self.docs_dir = docs_dir
        self.figures = figures_map(policy)
        self.t = page_texts(policy, lang)
        self.questions = list(policy.get("questions", []))
        self.labels = {q["id"]: self.text(q["label"]) for q in self.questions}

    def text(self, node: Mapping[str, str]) -> str:
        raw = node[self.lang]
        try:
            return formatting.render_text(raw, self.lang, self.figures, self.today)
        except KeyError as missing:  # the validator reports it; never publish a crash here
            print(f"calculator_page: unknown figure {missing} in {raw!r}", file=sys.stderr)
            return raw

    # --- questions -------------------------------------------------------------------------
    def question(self, q: Mapping[str, Any]) -> str:
        qid, qtype = q["id"], q["type"]
        label = self.labels[qid]
        help_text = self.text(q["help"]) if q.get("help") else ""
        dom = f"q-{qid}"
        attrs = [f'class="calc-q" id="{_e(dom)}" data-question="{_e(qid)}" data-type="{_e(qtype)}"']
        if q.get("ask_when") is not None:
            rule = json.dumps(q["ask_when"], ensure_ascii=False, separators=(",", ":"), sort_keys=True)
            attrs.append(f'data-ask-when="{_e(rule)}" hidden')
        described = [f"{dom}-help"] if help_text else []
        help_html = f'<p class="calc-help" id="{_e(dom)}-help">{_e(help_text)}</p>' if help_text else ""
        error_html = f'<p class="calc-error" id="{_e(dom)}-error" hidden></p>'

        if qtype in ("choice", "boolean"):
            if qtype == "boolean":
                options = [("true", self.t["page"]["yes"]), ("false", self.t["page"]["no"])]
            else:
                options = [(str(o["value"]), self.text(o["label"])) for o in q["options"]]
            radios = "".join(
                f'<label class="calc-option" for="{_e(dom)}-{i}">'
                f'<input type="radio" id="{_e(dom)}-{i}" name="{_e(qid)}" value="{_e(value)}">'
                f"<span>{_e(text)}</span></label>"
                for i, (value, text) in enumerate(options)
            )
            describedby = f' aria-describedby="{_e(" ".join(described))}"' if described else ""
            return (
                f'<fieldset {" ".join(attrs)}{describedby}>'
                f'<legend class="calc-label">{_e(label)}</legend>{help_html}'
                f'<div class="calc-options{" calc-options-inline" if qtype == "boolean" else ""}">{radios}</div>'
                f"{error_html}</fieldset>"
            )

        if qtype in ("integer", "money"):
            bounds = []
            if isinstance(q.get("min"), (int, float)):
                attrs.append(f'data-min="{_e(q["min"])}"')
                bounds.append(f'min="{_e(q["min"])}"')
            maximum = q.get("max")
            if isinstance(maximum, (int, float)):
                attrs.append(f'data-max="{_e(maximum)}"')
                bounds.append(f'max="{_e(maximum)}"')
            elif isinstance(maximum, dict) and "question" in maximum:
                other = maximum["question"]
                attrs.append(f'data-max-question="{_e(other)}" data-max-label="{_e(self.labels.get(other, other))}"')
            unit = self.text(q["unit"]) if q.get("unit") else ""
            if unit:
                described.append(f"{dom}-unit")
            unit_html = f'<span class="calc-unit" id="{_e(dom)}-unit">{_e(unit)}</span>' if unit else ""
            describedby = f' aria-describedby="{_e(" ".join(described))}"' if described else ""
            return (
                f'<div {" ".join(attrs)}>'
                f'<label class="calc-label" for="{_e(dom)}-input">{_e(label)}</label>{help_html}'
                f'<div class="calc-number"><input type="number" id="{_e(dom)}-input" name="{_e(qid)}" '
                f'inputmode="numeric" step="1" {" ".join(bounds)} autocomplete="off"{describedby}>'
                f"{unit_html}</div>{error_html}</div>"
            )
        if qtype == "month":
            # <input type="month"> gives "YYYY-MM"; where a browser shows a plain text box instead,
            # the question's help gives the same form and rules.js checks it.
            describedby = f' aria-describedby="{_e(" ".join(described))}"' if described else ""
            return (
                f'<div {" ".join(attrs)}>'
                f'<label class="calc-label" for="{_e(dom)}-input">{_e(label)}</label>{help_html}'
                f'<div class="calc-month"><input type="month" id="{_e(dom)}-input" name="{_e(qid)}" '
                f'autocomplete="off"{describedby}>'
                f"</div>{error_html}</div>"
            )
        raise ValueError(f"questions.yaml: question {qid!r} has unknown type {qtype!r}")

    def date_field(self) -> str:
        """The day the result is worked out for: a native date input, today unless the visitor
        (or the share link) chooses another day; app.js fills in today."""
        t = self.t["date"]
        return (
            '<div class="calc-date" id="calc-date">'
            f'<label class="calc-label" for="calc-on">{_e(t["label"])}</label>'
            f'<p class="calc-help" id="calc-on-help">{_e(t["help"])}</p>'
            '<input type="date" id="calc-on" name="on" aria-describedby="calc-on-help">'
            "</div>"
        )

    # --- page --------------------------------------------------------------------------------
    def guide_links(self) -> str:
        links = [("../", self.t["page"]["home"])]
        if any((self.docs_dir / "measures").glob("index*.md")):
            links.append(("../measures/", self.t["page"]["measures"]))
        for group in self.policy.get("notice", {}).get("audience_groups", []):  # "who it is for" pages
            if any((self.docs_dir / "audiences").glob(f"{group['id']}*.md")):
                links.append((f"../audiences/{group['id']}/", self.text(group["title"])))
        return "".join(f'<li><a href="{_e(href)}">{_e(text)}</a></li>' for href, text in links)

    def list_link(self) -> str:
        """"Have a whole list? Check a list" (the list page, scripts/pages/list_page.py), if lists exist."""
        page = (self.policy.get("texts", {}).get("lists") or {}).get("page")
        if not self.policy.get("lists") or not page:
            return ""
        return f'<p class="calc-list-link"><a href="list/">{_e(page["from_calculator"][self.lang])}</a></p>'

    def markdown(self) -> str:
        t = self.t
        texts_json = json.dumps(t, ensure_ascii=False, sort_keys=True)
        # A JSON data block is never executed; escape what could end the element.
        texts_json = texts_json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        questions = "".join(self.question(q) for q in self.questions)
        site_root = "../" if self.lang == "zh" else "../../"
        body = (
            f'<div class="calc" id="calc" data-lang="{_e(self.lang)}" data-site-root="{_e(site_root)}" data-phase="loading">'
            f'<script type="application/json" id="calc-texts">{texts_json}</script>'
            f'<p class="calc-intro">{_e(t["page"]["intro"])}</p>'
            f"{self.list_link()}"
            f'<noscript><p class="calc-noscript">{_e(t["page"]["noscript"])}</p></noscript>'
            f'<div class="calc-status" id="calc-status">'
            f'<progress id="calc-progress" max="4" value="0" aria-labelledby="calc-phase"></progress>'
            f'<p class="calc-phase" id="calc-phase" role="status">{_e(t["status"]["downloading"])}</p>'
            f'<p class="calc-phase-note" id="calc-phase-note">{_e(t["status"]["answer_now"])}</p>'
            f"</div>"
            f'<div class="calc-failure" id="calc-failure" role="alert" hidden>'
            f'<p class="calc-failure-title">{_e(t["failure"]["title"])}</p>'
            f'<p class="calc-failure-message" id="calc-failure-message"></p>'
            f'<p>{_e(t["failure"]["read_guide"])}</p><ul class="calc-guide-links">{self.guide_links()}</ul>'
            f'<p><button type="button" class="md-button" id="calc-reload">{_e(t["failure"]["reload"])}</button></p>'
            f"</div>"
            f'<p class="calc-notice" id="calc-notice" role="status" hidden></p>'
            f'<div class="calc-layout">'
            f'<form class="calc-form" id="calc-form" novalidate aria-labelledby="calc-questions-heading">'
            f'<h2 id="calc-questions-heading">{_e(t["page"]["questions_heading"])}</h2>'
            f'<p class="calc-error calc-error-summary" id="calc-error-summary" role="alert" hidden></p>'
            f"{self.date_field()}"
            f"{questions}"
            f'<p class="calc-reset"><button type="button" class="md-button" id="calc-reset">{_e(t["actions"]["reset"])}</button></p>'
            f"</form>"
            f'<section class="calc-output" aria-labelledby="calc-results-heading">'
            f'<h2 id="calc-results-heading">{_e(t["page"]["results_heading"])}</h2>'
            f'<p class="calc-estimate-only">{_e(t["page"]["estimate_only"])}</p>'
            f'<p class="calc-live" id="calc-live" role="status" aria-live="polite"></p>'
            f'<div class="calc-results" id="calc-results" data-state="empty">'
            f'<p class="calc-placeholder">{_e(t["results"]["choose_role"])}</p></div>'
            f'<section class="calc-answers" id="calc-answers" aria-labelledby="calc-answers-heading">'
            f'<h2 id="calc-answers-heading">{_e(t["page"]["answers_heading"])}</h2>'
            f'<dl id="calc-answers-list"></dl></section>'
            f'<section class="calc-actions" aria-labelledby="calc-actions-heading">'
            f'<h2 id="calc-actions-heading">{_e(t["actions"]["heading"])}</h2>'
            f'<p class="calc-buttons">'
            f'<button type="button" class="md-button" id="calc-copy">{_e(t["actions"]["copy_link"])}</button>'
            f'<button type="button" class="md-button" id="calc-print">{_e(t["actions"]["print"])}</button>'
            f'<button type="button" class="md-button" id="calc-download">{_e(t["actions"]["download"])}</button>'
            f"</p>"
            f'<p class="calc-share"><label for="calc-share-link">{_e(t["actions"]["link_label"])}</label>'
            f'<input type="text" id="calc-share-link" readonly aria-describedby="calc-share-note"></p>'
            f'<p class="calc-share-note" id="calc-share-note">{_e(t["actions"]["share_note"])}</p>'
            f'<p class="calc-copy-status" id="calc-copy-status" role="status"></p>'
            f"</section>"
            f"</section>"
            f"</div>"
            f"</div>"
        )
        front = {
            "template": "calculator.html",
            "title": t["page"]["title"],
            "description": t["page"]["description"],
            "hide": ["navigation", "toc"],
        }
        return (
            "---\n"
            + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in front.items())
            + "---\n\n"
            + "<!-- generated by scripts/pages/calculator_page.py from policy/; do not edit -->\n\n"
            + f"# {t['page']['title']}\n\n"
            + body
            + "\n"
        )


def render(policy: Mapping[str, Any], lang: str, docs_dir: Path, today: str | None = None) -> str:
    """The Markdown source of the calculator page in `lang`."""
    day = today or build_day()  # the day the site is built for (SITE_DATE), as the guide pages
    return _Renderer(policy, lang, day, docs_dir).markdown()




def generate(policy: dict, docs_dir: Path) -> None:
    """Write docs/calculator/index.<lang>.md for every language (only when changed)."""
    for lang in LANGS:
        write_if_changed(Path(docs_dir) / PAGE_DIR / f"index.{lang}.md", render(policy, lang, Path(docs_dir)))
