"""The site's search: one index per language, downloaded only when the visitor opens the search box.

Material (9.8.2) and mkdocs-static-i18n write one `search/search_index.json` with the pages of
every language, and Material's script asks for it on every page as soon as the page loads. Here:

- each language gets an index of its own pages: `search/search_index.json` for the default
  language, `<lang>/search/search_index.json` for the others (`write_language_index`, after each
  language's build; `compact_indexes` once every language is built), so that an English page never
  finds a Chinese one and a visitor downloads only the index of the language they read;
- the page asks for it only when the search box opens (focused, clicked or its key pressed): a
  copy of Material's script with exact edits (`BUNDLE_EDITS`), under a name of its own so that
  browsers holding the original (cached as immutable) do not keep using it: Material's own
  behaviour for pages opened from a file (`file:`), the index's address from the page's
  configuration (`search_index` in overrides/base.html's `__config`), the search worker started
  with its first search rather than with the page, and the highlighting of the searched words
  only on a page opened from a search result. A page that is only read downloads neither the
  index nor the worker.

A Material upgrade that changes the script fails the build here (each edit must match exactly once):
copy overrides/base.html again and look at the new script's search set-up.
"""
from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scripts.files import write_if_changed
from scripts.pages.i18n_build import language_build, other_language

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

INDEX = "search/search_index.json"
MATERIAL_BUNDLE = "assets/javascripts/bundle.a5f9d56c.min.js"  # Material 9.8.2's, as overrides/base.html had it
# (what Material's script does, what it does here)
BUNDLE_EDITS = (
    # the index is sent to the search worker once the search box opens, not at once as well
    # (Material does it so for pages opened from a file)
    ('L($(location.protocol!=="file:"),Je("search"))', 'Je("search")'),
    # the index of the page's language: `search_index` in the page's __config, relative to its base
    ('ze(new URL("search/search_index.json",Or.base))', 'ze(new URL(Or.search_index||"search/search_index.json",Or.base))'),
    # the search worker (lunr) started when it is first given the index, not with the
    # page: a stand-in that Material's script listens to, which starts the worker on its first message
    ('function Ei(e,t){let r=Mn(e);',
     'function Ei(e,t){let r=Mn(e,(()=>{let w,s=new EventTarget;s.postMessage=d=>{w||(w=new Worker(e),'
     'w.onmessage=m=>s.dispatchEvent(new MessageEvent("message",{data:m.data})));w.postMessage(d)};return s})());'),
    # search.highlight (the words searched for, marked on the page a result opens): it waited for
    # the index on every page; now only on a page opened with `?h=` (from a search result)
    ('z([t,r.pipe(Q(we()),g(o=>!!o.searchParams.get("h")))])',
     'r.pipe(Q(we()),g(o=>!!o.searchParams.get("h")),b(n=>t.pipe(m(o=>[o,n]))))'),
)


def _material_templates() -> Path:
    import material

    return Path(material.__file__).resolve().parent / "templates"


def _patched_bundle() -> tuple[str, bytes]:
    """(site path, content) of Material's script with BUNDLE_EDITS made."""
    source = _material_templates() / MATERIAL_BUNDLE
    text = source.read_text(encoding="utf-8")
    for old, new in BUNDLE_EDITS:
        if text.count(old) != 1:
            raise ValueError(f"{source}: expected {old!r} once, found it {text.count(old)} times: Material's "
                             "script changed; look at its search set-up again (scripts/pages/search.py)")
        text = text.replace(old, new)
    data = text.encode("utf-8")
    stem = MATERIAL_BUNDLE.removesuffix(".min.js")
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:8]}.min.js", data


_bundle_cache: dict[str, tuple[str, bytes]] = {}


def material_bundle() -> str:
    """The site path of the edited script (the page's <script>; overrides/base.html)."""
    if "bundle" not in _bundle_cache:
        _bundle_cache["bundle"] = _patched_bundle()
    return _bundle_cache["bundle"][0]


def install_bundle(site_dir: Path) -> None:
    """Write the edited script into the site, without Material's original (no page uses it)."""
    material_bundle()
    name, data = _bundle_cache["bundle"]
    write_if_changed(site_dir / name, data)
    (site_dir / MATERIAL_BUNDLE).unlink(missing_ok=True)


def index_path(lang: str, default: str) -> str:
    """The site path of `lang`'s index."""
    return INDEX if lang == default else f"{lang}/{INDEX}"


def _search_plugin(config: MkDocsConfig) -> Any:
    return config.plugins.get("material/search") or config.plugins["search"]


def write_language_index(config: MkDocsConfig, kept: list[dict] | None = None) -> None:
    """After a language's build (static-i18n's builds of the other languages come after the
    default one's, into the same site/): a language other than the default writes its own index
    from the pages just built, and hands none of them on, so that static-i18n's index of every
    language, written last to search/search_index.json, holds the default language's pages only.
    (compact_indexes makes sure of it once the build is over; `mkdocs serve` never gets there.)
    `kept`: the language's entries of every page, kept across the live preview's builds, which
    render only some pages (scripts/pages/preview.py)."""
    lang = other_language(config)
    if lang is None:
        return
    plugin = _search_plugin(config)
    data = json.loads(plugin.search_index.generate_search_index(None))
    if kept is not None:
        data["docs"] = kept
    _write(Path(config["site_dir"]) / index_path(lang, language_build(config).default_language), data)
    plugin.search_index.entries.clear()


def _write(path: Path, data: dict) -> None:
    # Material writes every Chinese character as a \\uXXXX escape (6 bytes instead of 3): UTF-8 JSON
    # is the same data in about half the download
    write_if_changed(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def compact_indexes(site_dir: Path, langs: list[str], default: str) -> None:
    """Once every language is built: the default language's index (static-i18n's, written last)
    without the other languages' pages, in case it was handed some, as compact UTF-8 JSON; the
    other languages' indexes were written so (write_language_index)."""
    for lang in langs:
        path = Path(site_dir) / index_path(lang, default)
        if not path.is_file():
            raise FileNotFoundError(f"{path}: the search index of {lang!r} was not written")
    others = tuple(f"{lang}/" for lang in langs if lang != default)
    path = Path(site_dir) / index_path(default, default)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["docs"] = [d for d in data["docs"] if not d["location"].startswith(others)]
    _write(path, data)


class _KeptCuts:
    """jieba as Material's search plugin calls it (`jieba.cut(bytes)`), with every run of Chinese
    characters segmented once per process: the same title, label or sentence comes back on the
    measure's page, its notice's, part's and audience pages and "What changed", in every build of
    `mkdocs serve`. jieba is deterministic for a given dictionary, so the index is the same."""

    def __init__(self, jieba: Any) -> None:
        self._jieba = jieba
        self._cuts: dict[bytes, tuple[str, ...]] = {}

    def cut(self, sentence: bytes, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs or not isinstance(sentence, bytes):
            return self._jieba.cut(sentence, *args, **kwargs)
        found = self._cuts.get(sentence)
        if found is None:
            found = self._cuts[sentence] = tuple(self._jieba.cut(sentence))
        return found

    def __getattr__(self, name: str) -> Any:   # set_dictionary, load_userdict, ...
        return getattr(self._jieba, name)


def keep_chinese_segmentation() -> None:
    """Material's search plugin segments every Chinese section of every page with jieba (a tenth
    of a library's build): have it reuse what it has segmented before (_KeptCuts)."""
    from material.plugins.search import plugin

    if getattr(plugin, "jieba", None) is not None and not isinstance(plugin.jieba, _KeptCuts):
        plugin.jieba.setLogLevel(logging.WARNING)  # not its four lines on loading its dictionary
        plugin.jieba = _KeptCuts(plugin.jieba)
