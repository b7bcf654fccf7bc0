"""The calculator page's build steps, without a browser: the generated form, the CSP and what
install() puts into the site."""
from __future__ import annotations

import copy
import io
import json
import re
import zipfile
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
for path in (ROOT, ROOT / "calculator" / "src"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from scripts.bundle import calculator_assets  # noqa: E402

from scripts.pages import calculator_page  # noqa: E402
from scripts.policy import load_policy  # noqa: E402

from calc_page_helpers import SITE_DIR  # noqa: E402


@pytest.fixture(scope="module")
def policy() -> dict:
    return load_policy()


class _Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.questions: dict[str, dict] = {}
        self.ids: list[str] = []
        self.texts_json = ""
        self._in_texts = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if "data-question" in a:
            self.questions[a["data-question"]] = a
        self._in_texts = tag == "script" and a.get("id") == "calc-texts"

    def handle_data(self, data):
        if self._in_texts:
            self.texts_json += data

    def handle_endtag(self, tag):
        self._in_texts = False


def _parse(markdown: str) -> _Form:
    form = _Form()
    form.feed(markdown.split("\n---\n", 1)[1])
    return form


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_form_has_every_question_in_order(policy: dict, lang: str, tmp_path: Path) -> None:
    text = calculator_page.render(policy, lang, tmp_path, today="2026-11-26")
    assert text.startswith('---\ntemplate: "calculator.html"\n')
    form = _parse(text)
    assert list(form.questions) == [q["id"] for q in policy["questions"]]
    assert len(form.ids) == len(set(form.ids)), "duplicate ids"
    for q in policy["questions"]:
        attrs = form.questions[q["id"]]
        assert attrs["data-type"] == q["type"]
        if q.get("ask_when"):
            assert json.loads(attrs["data-ask-when"]) == q["ask_when"]
            assert "hidden" in attrs
        if isinstance(q.get("max"), dict):
            assert attrs["data-max-question"] == q["max"]["question"]
        if q["type"] == "month":  # a month picker that works before Python loads
            assert f'<input type="month" id="q-{q["id"]}-input"' in text
    assert "[[" not in text, "a figure placeholder was not replaced"
    texts = json.loads(form.texts_json)
    # what the visitor reads while it loads: no developer words ("Python is starting")
    assert texts["status"]["starting"].startswith({"zh": "测算工具正在加载", "en": "The calculator is loading"}[lang])
    assert "Python" not in form.texts_json
    assert "<" not in form.texts_json


def test_figures_in_question_texts(policy: dict, tmp_path: Path) -> None:
    figures = calculator_page.figures_map(policy)
    from subsidy_calculator.formatting import format_quantity

    figure = figures["job-placement-subsidy.min_contract"]
    value = figure["values"][-1]["value"]
    for lang in ("zh", "en"):
        text = calculator_page.render(policy, lang, tmp_path, today="2026-11-26")
        assert format_quantity(value, figure["unit"], lang) in text


def test_everything_is_escaped(policy: dict, tmp_path: Path) -> None:
    evil = copy.deepcopy(policy)
    evil["questions"][0]["label"]["en"] = '<img src=x onerror="alert(1)"> & co'
    evil["questions"][0]["options"][0]["label"]["en"] = "</label><script>alert(2)</script>"
    text = calculator_page.render(evil, "en", tmp_path, today="2026-11-26")
    assert "<img" not in text and "<script>alert" not in text
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; &amp; co" in text  # markupsafe writes " as &#34;


def test_generate_writes_only_when_changed(policy: dict, tmp_path: Path) -> None:
    calculator_page.generate(policy, tmp_path)
    page = tmp_path / "calculator" / "index.zh.md"
    first = page.stat().st_mtime_ns
    calculator_page.generate(policy, tmp_path)
    assert page.stat().st_mtime_ns == first
    assert (tmp_path / "calculator" / "index.en.md").exists()


def test_texts_file_has_both_languages(policy: dict) -> None:
    zh = calculator_page.page_texts(policy, "zh")
    en = calculator_page.page_texts(policy, "en")

    def keys(node, prefix=""):
        return {prefix} if isinstance(node, str) else set().union(*(keys(v, f"{prefix}.{k}") for k, v in node.items()))

    assert keys(zh) == keys(en)
    placeholders = lambda s: sorted(re.findall(r"\{(\w+)\}", s))  # noqa: E731

    def walk(a, b):
        if isinstance(a, str):
            assert placeholders(a) == placeholders(b), (a, b)
        else:
            for k in a:
                walk(a[k], b[k])

    walk(zh, en)


def test_csp_meta_is_the_sites_policy_and_is_idempotent() -> None:
    page = ('<!doctype html><html><head><meta charset="utf-8"><script src="x.js"></script>'
            '<script id="d" type="application/json">{"a": 1}</script></head><body></body></html>')
    once = calculator_assets.add_csp(page)
    assert once == calculator_assets.add_csp(once)
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', once)
    assert meta and once.index(meta.group(0)) < once.index("<script")
    policy = meta.group(1)
    for part in ("default-src 'self'", "script-src 'self' 'wasm-unsafe-eval';", "worker-src 'self'",
                 "connect-src 'self'", "img-src 'self' data:", "style-src 'self' 'unsafe-inline'",
                 "object-src 'none'", "base-uri 'self'"):
        assert part in policy
    assert "unsafe-eval'" not in policy.replace("wasm-unsafe-eval", "")
    assert "frame-ancestors" not in policy  # a <meta> cannot carry it; the header does


def test_a_page_with_an_inline_script_fails_the_build() -> None:
    page = '<!doctype html><html><head><meta charset="utf-8"><script>var a=1;</script></head></html>'
    with pytest.raises(ValueError, match="inline script.*var a=1"):
        calculator_assets.add_csp(page)


def test_a_modulepreload_of_an_entry_names_every_module_it_runs_once() -> None:
    """The templates preload an entry module by its source name; the build writes one link for
    it and for each module it imports (esbuild's metafile), leaving out what the page named before."""
    imports = {"boot.js": ["boot.js", "chunk-B.js"], "app.js": ["app.js", "chunk-A.js", "chunk-B.js"]}
    page = ('<script type="module" async src="../assets/calculator/boot.js"></script>'
            '<link rel="modulepreload" href="../assets/calculator/boot.js">'
            '<link rel="stylesheet" href="../assets/calculator/calculator.css">'
            '<link rel="modulepreload" href="../assets/calculator/app.js">')
    assert calculator_assets.expand_preloads(page, imports) == (
        '<script type="module" async src="../assets/calculator/boot.js"></script>'
        '<link rel="modulepreload" href="../assets/calculator/chunk-B.js">'
        '<link rel="stylesheet" href="../assets/calculator/calculator.css">'
        '<link rel="modulepreload" href="../assets/calculator/app.js">'
        '<link rel="modulepreload" href="../assets/calculator/chunk-A.js">')
    with pytest.raises(ValueError, match="form.js"):
        calculator_assets.expand_preloads('<link rel="modulepreload" href="assets/calculator/form.js">', imports)


site_built = pytest.mark.skipif(not (SITE_DIR / "index.html").exists(), reason="no built site (make site)")


@site_built
def test_every_page_has_one_csp_before_any_script() -> None:
    pages = list(SITE_DIR.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert text.count('http-equiv="Content-Security-Policy"') == 1, page
        assert text.index("Content-Security-Policy") < text.find("<script") or "<script" not in text, page
        assert calculator_assets.add_csp(text) == text, f"{page}: CSP is not the site's policy"
    assert (SITE_DIR / "404.html").exists() and (SITE_DIR / "en" / "calculator" / "index.html").exists()


@site_built
@pytest.mark.parametrize("page, module", [("calculator/index.html", "app.js"), ("en/calculator/index.html", "app.js"),
                                          ("calculator/list/index.html", "lists.js"),
                                          ("en/calculator/list/index.html", "lists.js")])
def test_the_form_does_not_wait_for_the_themes_scripts(page: str, module: str) -> None:
    """The parser stops for no classic script but Material's 0.2 KB head script (its storage
    scope, needed before the body), and the page's own module runs first: the form answers while
    Material's bundle and the service-worker registration still load."""
    scripts = re.findall(r"<script\b[^>]*\bsrc=[^>]*>", (SITE_DIR / page).read_text(encoding="utf-8"))
    classic = [tag for tag in scripts if 'type="module"' not in tag]
    assert classic and all(re.search(r"\s(defer|async)\b", tag) for tag in classic
                           if "material-scope." not in tag), classic
    order = [tag for tag in scripts if f"/{module}" in tag or "bundle." in tag or "register-sw." in tag]
    assert len(order) == 3 and re.search(rf"calculator/v-[0-9a-f]+/{module}", order[0]), order


@site_built
def test_site_holds_one_pyodide_and_a_consistent_manifest() -> None:
    from scripts.bundle import pyodide_stdlib
    from scripts.bundle.wheel import build_wheel

    shipped = sorted(p.name for p in (SITE_DIR / "assets" / "pyodide").iterdir() if p.suffix not in (".br", ".gz"))
    stdlib = [n for n in shipped if n.startswith("python_stdlib")]
    # beside them: their .br/.gz
    assert sorted(set(shipped) - set(stdlib)) == sorted(calculator_assets.PYODIDE_FILES)
    assert not list(SITE_DIR.glob("*/assets/pyodide")), "Pyodide copied twice"
    calc = SITE_DIR / "assets" / "calculator"
    manifest = json.loads((calc / "manifest.json").read_text(encoding="utf-8"))
    assert (calc / manifest["wheel"]).is_file() and manifest["wheel"].endswith("-py3-none-any.whl")
    bundle = json.loads((calc / manifest["rules"]).read_text(encoding="utf-8"))
    assert bundle["version"] == manifest["version"] and manifest["rules"] == f"rules.{manifest['version']}.json"
    # one standard library: the trimmed zip the tests run on, not Pyodide's full one
    assert len(stdlib) == 1 and manifest["stdlib"] == f"../pyodide/{stdlib[0]}"
    zip_bytes = (calc / manifest["stdlib"]).read_bytes()
    assert zip_bytes == pyodide_stdlib.build(build_wheel())
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as z:
        assert {i.compress_type for i in z.infolist()} == {zipfile.ZIP_STORED}  # the host compresses it
        # compiled (one Python's magic number, no source beside it); the Pyodide parity test
        # loads every module from this zip
        assert "json/decoder.pyc" in z.namelist() and "csv.pyc" in z.namelist()
        assert not [n for n in z.namelist() if n.endswith(".py")]
        assert "sqlite3/__init__.pyc" not in z.namelist()
        headers = {z.read(n)[:16] for n in z.namelist()}
        assert len(headers) == 1 and headers.pop()[4:] == bytes(12)
    assert manifest["pyodide"] == calculator_assets.pyodide_version()
    lock = json.loads((SITE_DIR / "assets" / "pyodide" / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert manifest["pyodide_lock"] == {"info": lock["info"], "packages": {}}
    # the names the browser code shares: Pyodide's files, each entry module's graph, the caches
    assert [(calc / name).resolve() for name in manifest["pyodide_files"]] == \
        [(SITE_DIR / "assets" / "pyodide" / name).resolve() for name in calculator_assets.PYODIDE_LOADED]
    assert (calc / manifest["pyodide_index"]).resolve() == (SITE_DIR / "assets" / "pyodide").resolve()
    graphs = manifest["modules"]
    assert sorted(graphs) == sorted(calculator_assets.ENTRY_MODULES)
    assert all(graph[0] == entry and len(set(graph)) == len(graph) for entry, graph in graphs.items())
    # every module of the deployment's folder is in the graph of a page or of the worker, and
    # nothing else is; its manifest is this one, with the paths relative to the folder
    folder = calc / manifest["folder"]
    assert re.fullmatch(r"v-[0-9a-f]{12}/", manifest["folder"]) and not list(calc.glob("*.js"))
    assert {name for graph in graphs.values() for name in graph} == {p.name for p in folder.glob("*.js")}
    own = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for key in ("rules", "wheel", "stdlib", "pyodide_index"):
        assert (folder / own[key]).resolve() == (calc / manifest[key]).resolve(), key
    paths = ("rules", "wheel", "stdlib", "pyodide_index", "pyodide_files", "folder", "sizes")
    assert {(folder / name).resolve() for name in own["sizes"]} == {(calc / name).resolve() for name in manifest["sizes"]}
    assert {k: v for k, v in own.items() if k not in paths} == {k: v for k, v in manifest.items() if k not in paths}
    # bundled by esbuild (scripts/bundle/web_bundle.py): a page runs its entry module, boot.js and
    # the chunks they share (one instance of the worker's hand-over); the worker is one file
    for entry in ("app.js", "lists.js"):
        assert "boot.js" in graphs[entry] and all(re.fullmatch(r"chunk-[A-Z0-9]+\.js", name)
                                                   for name in set(graphs[entry]) - {entry, "boot.js"}), graphs
    assert graphs["worker.js"] == ["worker.js"], graphs
    assert manifest["snapshot_cache"] == calculator_assets.SNAPSHOT_CACHE
    # each page asks for its entry module's imports at once (boot.js: its own async script)
    for page, entry in (("calculator/index.html", "app.js"), ("calculator/list/index.html", "lists.js")):
        html = (SITE_DIR / page).read_text(encoding="utf-8")
        preloaded = {href.rsplit("/", 1)[-1] for href in re.findall(r'<link rel="?modulepreload"? href="?([^"> ]+)', html)}
        assert preloaded == set(graphs[entry]) - {"boot.js"}, page
    sw = (SITE_DIR / "sw.js").read_text(encoding="utf-8")
    assert not re.search(r"__[A-Z_]+__", sw), "a name left unfilled in sw.js"
    assert f'"{calculator_assets.CALCULATOR_PATH}{manifest["folder"]}{calculator_assets.MANIFEST}"' in sw
    assert re.search(r'"site-[0-9a-f]{16}"', sw)
    # one wheel of this deployment (the previous deployment's hashed files stay for one more)
    own = set((SITE_DIR / ".hashed-files").read_text(encoding="utf-8").split())
    assert len([p for p in SITE_DIR.rglob("*.whl") if p.relative_to(SITE_DIR).as_posix() in own]) == 1, \
        "more than one wheel shipped"
