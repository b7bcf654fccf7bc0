"""Generate the calculator page (docs/calculator/index.zh.md and index.en.md) from policy/.

The whole form is written at build time, from questions.yaml in the page's language, so it is
visible and fillable before Python has started in the browser: this module prepares each question
(label, help, options, limits) and templates/calculator.md.j2 with questions.html.j2 writes the
markup. The page's own words come from policy/texts/calculator_page.yaml. The browser glue
(calculator/web/form.js) reads the questions back from `data-*` attributes and the texts from
one JSON block; nothing here is executable script, so the Content-Security-Policy needs no hash for it.

The files are gitignored and written only when their content changed (else `mkdocs serve` loops).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Mapping

ROOT = Path(__file__).resolve().parents[2]
_CALC_SRC = ROOT / "calculator" / "src"
if str(_CALC_SRC) not in sys.path:  # the shared formatting helpers; stdlib only
    sys.path.insert(0, str(_CALC_SRC))

from subsidy_calculator import formatting  # noqa: E402
from subsidy_calculator.vocabulary import NUMBER_TYPES, QUESTION_TYPES  # noqa: E402
from scripts.files import write_if_changed  # noqa: E402
from scripts.pages import jinja_env  # noqa: E402
from scripts.pages.view import build_day, publisher_contact  # noqa: E402
from scripts.pages.words import Texts  # noqa: E402

LANGS = ("zh", "en")
PAGE_DIR = "calculator"
TEXTS_KEY = "calculator_page"


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

    def question(self, q: Mapping[str, Any]) -> dict[str, Any]:
        """What templates/questions.html.j2 needs of one question, in this page's language."""
        qid, qtype = q["id"], q["type"]
        if qtype not in QUESTION_TYPES:
            raise ValueError(f"questions.yaml: question {qid!r} has unknown type {qtype!r}")
        view: dict[str, Any] = {
            "id": qid, "type": qtype, "dom": f"q-{qid}", "label": self.labels[qid],
            "help": self.text(q["help"]) if q.get("help") else "", "ask_when": q.get("ask_when"),
            "options": [], "min": None, "max": None, "max_question": None, "max_label": None, "unit": "",
        }
        if qtype == "boolean":
            view["options"] = [("true", self.t["page"]["yes"]), ("false", self.t["page"]["no"])]
        elif qtype == "choice":
            view["options"] = [(str(o["value"]), self.text(o["label"])) for o in q["options"]]
        elif qtype in NUMBER_TYPES:
            if isinstance(q.get("min"), (int, float)):
                view["min"] = q["min"]
            maximum = q.get("max")
            if isinstance(maximum, (int, float)):
                view["max"] = maximum
            elif isinstance(maximum, dict) and "question" in maximum:
                view["max_question"] = maximum["question"]
                view["max_label"] = self.labels.get(maximum["question"], maximum["question"])
            view["unit"] = self.text(q["unit"]) if q.get("unit") else ""
        return view

    def guide_links(self) -> list[dict[str, str]]:
        """Where to read instead when the calculator cannot start: home, measures, audience pages."""
        links = [("../", self.t["page"]["home"])]
        if any((self.docs_dir / "measures").glob("index*.md")):
            links.append(("../measures/", self.t["page"]["measures"]))
        for group in (self.policy.get("library") or {}).get("audience_groups", []):  # "who it is for" pages
            if any((self.docs_dir / "audiences").glob(f"{group['id']}*.md")):
                links.append((f"../audiences/{group['id']}/", self.text(group["title"])))
        return [{"href": href, "text": text} for href, text in links]

    def list_link(self) -> str:
        """"Have a whole list? Check a list" (the list page, scripts/pages/list_page.py), if lists exist."""
        page = (self.policy.get("texts", {}).get("lists") or {}).get("page")
        if not self.policy.get("lists") or not page:
            return ""
        return page["from_calculator"][self.lang]

    def markdown(self) -> str:
        return jinja_env.environment().get_template("calculator.md.j2").render(
            t=self.t, lang=self.lang, site_root="../" if self.lang == "zh" else "../../",
            questions=[self.question(q) for q in self.questions], guide_links=self.guide_links(),
            list_link=self.list_link(), publisher=self.publisher())

    def publisher(self) -> dict | None:
        """The publisher's own service line beside the results (library.yaml), labelled as such."""
        site = Texts(self.policy["texts"]["site"])
        contact = publisher_contact(self.policy.get("library") or {}, site, self.lang)
        if contact is None:
            return None
        return {**contact, "heading": site("measure.where_to_ask", self.lang),
                "note": site("measure.where_to_ask_note", self.lang), "colon": site("common.colon", self.lang)}


def render(policy: Mapping[str, Any], lang: str, docs_dir: Path, today: str | None = None) -> str:
    """The Markdown source of the calculator page in `lang`."""
    day = today or build_day()  # the day the site is built for (SITE_DATE), as the guide pages
    return _Renderer(policy, lang, day, docs_dir).markdown()




def generate(policy: dict, docs_dir: Path) -> None:
    """Write docs/calculator/index.<lang>.md for every language (only when changed)."""
    for lang in LANGS:
        write_if_changed(Path(docs_dir) / PAGE_DIR / f"index.{lang}.md", render(policy, lang, Path(docs_dir)))
