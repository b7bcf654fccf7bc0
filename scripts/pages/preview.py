"""`make serve`'s live preview: after a save, rebuild what the edit touches, not the whole library.

`make serve` runs `mkdocs serve --dirty`: MkDocs renders again only the pages whose Markdown file
is newer than their HTML, and the guide writes a generated page only when its text changed
(scripts/pages/guide.py), so the pages rendered again are those whose text the edit changes (the
measure's page, its notice's and part's, the lists and audience pages that show the changed
title or figure, "What changed"), in both languages. What the hook adds to make that exact
(ARCHITECTURE.md, D15; tests/site/test_preview.py compares it with a whole build):

- `before_build`: when something every page shows changed (the menu or the site's name in either
  language, the theme's texts, a template of overrides/, the MkDocs configuration) or a page
  came or went, the site folder is emptied first, so that build is a whole one;
- `nav_titles`: the titles of the menu's pages that are not rendered again, from their first block
  rendered (MkDocs leaves them empty in a dirty build, and every page shows them in its menu and
  footer); a changed title of a menu page makes the build a whole one (`_fingerprint`);
- `page_built` / `search_entries`: each language's search index is kept page by page across
  builds; a page rendered again replaces its own entries;
- `serve`: the build's own writing of the generated pages into docs/ starts no second build, and
  the watcher does not look through those pages (`_watch_what_staff_edit`);
- MkDocs' warning that a dirty build may be inexact is not counted as a `strict` failure;
- `keep_language_files`: static-i18n's per-language copy of each file (its name, address and
  language), made once per file and language for the whole session, not twice per build.

Nothing here is used by `make site`, which builds from an empty folder.
"""
from __future__ import annotations

import copy
import gc
import hashlib
import json
import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from mkdocs.structure.toc import get_toc

from scripts.pages import calculator_page, guide
from scripts.pages.i18n_build import language_build
from scripts.policy import reader

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

DIRTY_WARNING = "A 'dirty' build is being performed"
# the folders and files of docs/ that the build generates from the policy (it writes them itself)
_GENERATED = frozenset({*guide.GENERATED_DIRS, *guide.GENERATED_FILES, calculator_page.PAGE_DIR})


class _DirtyBuildIsExact(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNING)


_state: dict[str, Any] = {"active": False}


def start(command: str, dirty: bool) -> None:
    """On MkDocs' startup: the preview is on under `mkdocs serve --dirty` only."""
    active = command == "serve" and dirty
    _state.clear()
    _state.update(active=active, fingerprint=None, search={}, marks={})
    logger = logging.getLogger("mkdocs.commands.build")
    for old in [f for f in logger.filters if isinstance(f, _DirtyBuildIsExact)]:
        logger.removeFilter(old)
    if active:
        logger.addFilter(_DirtyBuildIsExact())
        reader.keep_reads()
        guide.keep_made()
        keep_language_files()


_LANGUAGE_FILES: dict[tuple, Any] = {}


def keep_language_files() -> None:
    """static-i18n (1.3.1) makes, in each language's build, a new File of every file of docs/ for
    that language (`suffix.create_i18n_file`: its name, address and language, from the file's path
    and the configuration only), a third of a preview's build at 1,500 measures. Under the preview
    the one made for the same file, language and configuration is copied instead (a copy: the
    build then sets the copy's page and alternates, which must not outlive it)."""
    from mkdocs_static_i18n import suffix

    make = suffix.create_i18n_file
    if getattr(make, "kept", False):
        return

    def create_i18n_file(file: Any, current_language: str, default_language: str,
                         all_languages: list, config: MkDocsConfig) -> Any:
        key = (file.src_uri, file.dest_uri, file.inclusion, file.src_dir, current_language, default_language,
               tuple(all_languages), config.docs_dir, config.site_dir, config.use_directory_urls)
        first = _LANGUAGE_FILES.get(key)
        if first is None:
            first = _LANGUAGE_FILES[key] = make(file, current_language, default_language, all_languages, config)
        kept = copy.copy(first)
        kept.alternates = {current_language: kept}
        return kept

    create_i18n_file.kept = True  # type: ignore[attr-defined]
    suffix.create_i18n_file = create_i18n_file


def active() -> bool:
    return bool(_state.get("active"))


def _fingerprint(policy: Mapping[str, Any], config: MkDocsConfig) -> str:
    """What every page shows besides its own Markdown, and the set of pages."""
    h = hashlib.sha256()
    for lang in guide.LANGS:
        h.update(json.dumps(guide.site_config(policy, lang), sort_keys=True, ensure_ascii=False).encode())
    h.update(json.dumps(guide.theme_texts(policy), sort_keys=True, ensure_ascii=False).encode())
    custom = config.theme.custom_dir
    watched = [Path(config.config_file_path)] if config.config_file_path else []
    if custom:
        watched += sorted(p for p in Path(custom).rglob("*") if p.is_file())
    for path in watched:
        h.update(f"{path}\0{path.stat().st_mtime_ns}\n".encode())
    docs = Path(config.docs_dir)
    for lang in guide.LANGS:   # the titles of the menu's pages (a hand-written page's too)
        for entry in _menu_files(guide.site_config(policy, lang)["nav"]):
            source = docs / (entry.removesuffix(".md") + f".{lang}.md")
            h.update(_first_heading(source).encode() + b"\n")
    for folder, _dirs, names in sorted(os.walk(docs)):
        rel = Path(folder).relative_to(docs).as_posix()
        h.update(f"{rel}/\0{chr(0).join(sorted(names))}\n".encode())
    return h.hexdigest()


def _menu_files(nav: Any) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [f for value in nav.values() for f in _menu_files(value)]
    return [f for item in nav for f in _menu_files(item)]


def _first_heading(path: Path) -> str:
    """The first `# ` line of a Markdown file after its front matter ("" if none, or no file)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    if text.startswith("---"):
        end = text.find("\n---", 3)
        text = text[end + 4:] if end >= 0 else text
    return next((line for line in text.splitlines() if line.startswith("# ")), "")


def before_build(policy: Mapping[str, Any], config: MkDocsConfig) -> None:
    """After the pages' Markdown is written, before the first language's build: a whole build
    when something every page shows changed, or a page came or went (above)."""
    if not active():
        return
    found = _fingerprint(policy, config)
    if found != _state["fingerprint"]:
        from mkdocs import utils

        site = Path(config.site_dir)
        if site.is_dir():
            utils.clean_directory(str(site))
        _state["search"] = {}
        _state["fingerprint"] = found


def nav_titles(nav: Navigation, config: MkDocsConfig, files: Files) -> None:
    """The titles of the menu's pages that will not be rendered again: they are in every page's
    menu and footer. MkDocs takes a title from the rendered first heading; rendering a page's first
    block alone gives the same (the rest of the page cannot change it) for a fraction of the time."""
    if not active():
        return
    for page in nav.pages:
        if page.markdown is not None or page.file.is_modified():
            continue
        page.read_source(config)
        markdown = page.markdown or ""
        blocks = markdown.lstrip("\n").split("\n\n", 1)
        page.markdown = blocks[0]
        try:
            page.render(config, files)
        finally:
            page.markdown, page.content, page.toc = markdown, None, get_toc([])


def _inputs(config: MkDocsConfig) -> dict[str, int]:
    """Every file `mkdocs serve` watches (docs/, the configuration, `watch:`) with its modification
    time, but the pages generated from the policy (the build writes those itself)."""
    docs = Path(config.docs_dir)
    found: dict[str, int] = {}
    roots = [docs, *(Path(w) for w in config.watch)]
    if config.config_file_path:
        roots.append(Path(config.config_file_path))
    for root in roots:
        if root.is_file():
            found[str(root)] = root.stat().st_mtime_ns
            continue
        for folder, dirs, names in os.walk(root):
            if Path(folder) == docs:
                dirs[:] = [d for d in dirs if d not in _GENERATED]
                names = [n for n in names if n not in _GENERATED]
            for name in names:
                path = os.path.join(folder, name)
                try:
                    found[path] = os.stat(path).st_mtime_ns
                except OSError:   # removed while walking
                    continue
    return found


def inputs_read(config: MkDocsConfig) -> None:
    """At the start of a build, before the policy is read: what it is built from."""
    if active():
        _state["inputs"] = _inputs(config)


def _watch_what_staff_edit(server: Any, config: MkDocsConfig) -> None:
    """MkDocs' serve looks at every file of docs/ twice a second (a polling watcher), most of them
    the pages the build generates (thousands in a large library: a tenth of a second each time,
    taken from the build under way). Watched instead: docs/'s own files and its folders that are
    not generated (a page or asset written by hand), besides the policy and the configuration
    (`watch:`). A folder added to docs/ by hand is watched from the next `make serve`."""
    docs = os.path.abspath(config.docs_dir)
    if docs not in server._watched_paths:
        return
    server.unwatch(docs)
    server.watch(docs, recursive=False)
    for entry in sorted(os.scandir(docs), key=lambda e: e.name):
        if entry.is_dir() and entry.name not in _GENERATED:
            server.watch(entry.path)


def serve(server: Any, config: MkDocsConfig) -> Any:
    """Under `mkdocs serve`: a change that is only the build's own writing of the generated pages
    (which MkDocs sees in docs/ and would answer with a second, useless build after every save)
    starts no build; any other change since the last build started does."""
    if not active():
        return server
    _watch_what_staff_edit(server, config)
    # What the first build leaves (the policy read, the pages made, static-i18n's files) lives for
    # the whole session: Python's garbage collector need not look through it again during every
    # build that follows, a tenth of a preview's build at 1,500 measures (gc.freeze; garbage made
    # from now on is collected as before).
    gc.collect()
    gc.freeze()
    build = server.builder
    app = server.get_app()

    def lazy_reports(environ: dict, start_response: Any) -> Any:
        """The impact report, made when staff open it (not after every save): a request for
        /impact/ or /en/impact/ after a build writes both languages' pages first."""
        path = environ.get("PATH_INFO", "").removesuffix("index.html").rstrip("/")
        if path in ("/impact", "/en/impact"):
            with _report_lock:
                write = _state.pop("report", None)
                if write is not None:
                    write()
        return app(environ, start_response)

    server.set_app(lazy_reports)

    def rebuild() -> None:
        if "inputs" in _state and _inputs(config) == _state["inputs"]:
            logging.getLogger("mkdocs").info("preview: nothing changed but the generated pages; no build")
            return
        build()

    server.builder = rebuild
    return server


_report_lock = threading.Lock()


def report_when_asked(write: Any) -> bool:
    """Under the preview: `write()` (the impact report's pages) is called when /impact/ is next
    asked for (serve's lazy_reports), not now; returns False when not previewing."""
    if not active():
        return False
    _state["report"] = write
    return True


def _search_index(config: MkDocsConfig) -> Any:
    plugin = config.plugins.get("material/search") or config.plugins["search"]
    return plugin


def page_built(page: Page, config: MkDocsConfig) -> None:
    """After a page is rendered: its search entries (those Material added since the last page)
    replace the page's entries kept from earlier builds."""
    if not active():
        return
    index = _search_index(config).search_index
    lang = language_build(config).current_language or language_build(config).default_language
    mark = _state["marks"].get(id(index), 0)
    entries = index.entries[mark:]
    _state["marks"] = {id(index): len(index.entries)}
    _state["search"].setdefault(lang, {})[page.url] = list(entries)


def search_entries(lang: str) -> list[dict] | None:
    """Every kept entry of `lang`'s pages, in the order the pages were first built (None: not
    previewing)."""
    if not active():
        return None
    return [entry for entries in _state["search"].get(lang, {}).values() for entry in entries]


def hand_over_search(config: MkDocsConfig) -> None:
    """After the last language's build: the default language's index, which static-i18n has
    Material write once every language is built, from every kept page of that language, not only
    from the pages of this build (nor merged with the previous index, Material's own way of a
    dirty build, which keeps the entries of one page only)."""
    if not active():
        return
    i18n: Any = language_build(config)
    plugin = _search_index(config)
    plugin.search_index_prev = None
    i18n.search_entries[:] = search_entries(i18n.default_language) or []
