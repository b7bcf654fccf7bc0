"""The thin MkDocs hook: policy/ -> validated -> generated Markdown (before the build) and
calculator assets + security headers (after it); under `mkdocs serve`, the staff-only impact
report (/impact/). All logic lives in the modules it calls."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.bundle import calculator_assets  # noqa: E402

from scripts.pages import calculator_page  # noqa: E402

from scripts.impact import report as impact_report  # noqa: E402

from scripts.pages import list_page  # noqa: E402

from scripts.pages import guide  # noqa: E402
from scripts.pages.i18n_build import language_build, last_language  # noqa: E402
from scripts.pages import preview  # noqa: E402
from scripts.pages import search  # noqa: E402
from scripts.policy import load_policy  # noqa: E402

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

_state: dict[str, Any] = {"command": "build"}


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command
    preview.start(command, dirty)  # `make serve` (mkdocs serve --dirty): rebuild what an edit touches


def on_shutdown() -> None:
    # after static-i18n's last language build has written the default language's search index
    if "site_dir" in _state:
        search.compact_indexes(_state["site_dir"], *_state["languages"])


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """The site's name, description and menu come from policy/, in the language being built
    (static-i18n builds each language with this same config, calling on_config again)."""
    search.keep_chinese_segmentation()
    i18n = language_build(config)
    if not (i18n.building and "policy" in _state):  # another language of the same build: reuse
        preview.inputs_read(config)
        # POLICY_DIR: build from another policy folder (e.g. scripts/dev/synthetic_policy.py output)
        root = os.environ.get("POLICY_DIR")
        _state["policy"] = load_policy(Path(root)) if root else load_policy()  # raises if invalid
    lang = i18n.current_language or i18n.default_language
    for key, value in guide.site_config(_state["policy"], lang).items():
        config[key] = value
    # each language's search index, and Material's script that asks for it when search opens
    # (overrides/base.html)
    config.extra["material_bundle"] = search.material_bundle()
    config.extra["search_index"] = search.index_path(lang, i18n.default_language)
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    if language_build(config).building:
        return  # static-i18n's build of another language: the first build generated every page
    policy = _state["policy"]
    _state["impact_written"] = False
    docs = Path(config["docs_dir"])
    guide.generate(policy, docs)
    config.extra["site_texts"] = guide.theme_texts(policy)  # 404 page, feed link
    calculator_page.generate(policy, docs)
    list_page.generate(policy, docs)
    _state["build_started"] = time.time()
    preview.before_build(policy, config)


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    preview.nav_titles(nav, config, files)
    return nav


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    return preview.serve(server, config)


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """The theme's templates compiled once and kept (build/jinja/, keyed by each template's
    source): compiling Material's templates was a large part of every rebuild, twice (once per language)."""
    from jinja2 import FileSystemBytecodeCache

    cache = ROOT / "build" / "jinja"
    cache.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(cache))
    env.globals["kept_nav"] = guide.kept_nav()   # the menu rendered once per folder of unlisted pages
    return env


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    preview.page_built(page, config)
    return guide.compact_html(output)


def on_post_build(config: MkDocsConfig) -> None:
    _state["site_dir"] = Path(config["site_dir"])
    i18n = language_build(config)
    _state["languages"] = (list(i18n.build_languages), i18n.default_language)
    search.write_language_index(config, preview.search_entries(i18n.current_language or i18n.default_language))
    search.install_bundle(_state["site_dir"])
    guide.keep_not_found_pages(config)
    guide.write_language_sitemap(config)
    if not last_language(config):
        return  # the calculator's assets and the pages' final form: once, over every language's pages
    site = Path(config["site_dir"])
    # a preview's build: only the pages written by it need their final names (the others have them)
    written = [p for p in site.rglob("*.html") if p.stat().st_mtime >= _state["build_started"] - 1] \
        if preview.active() else None
    calculator_assets.install(_state["policy"], site, serving=_state["command"] == "serve", pages=written)
    preview.hand_over_search(config)
    if _state["command"] == "serve" and not _state["impact_written"]:
        # staff only: the impact report of the edit being served, never in a published site;
        # under the preview made when /impact/ is opened, else in the background after the build,
        # so that the preview does not wait for it
        policy_dir = Path(os.environ.get("POLICY_DIR") or impact_report.POLICY_DIR)
        if preview.report_when_asked(lambda: impact_report.write_staff_pages(site, policy_dir)):
            impact_report.write_preparing_pages(site)
        else:
            impact_report.write_staff_pages_later(site, policy_dir)
        _state["impact_written"] = True
