"""What the pages read of mkdocs-static-i18n, which builds the site once per language into the
same site/. The plugin ships no type information, so the part of it used here is written down."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


class LanguageBuild(Protocol):
    building: bool                  # inside static-i18n's builds of the languages after the first
    current_language: str | None    # the language being built (None before the first build)
    default_language: str
    is_default_language_build: bool
    build_languages: list[str]


def language_build(config: MkDocsConfig) -> LanguageBuild:
    """static-i18n's plugin of this build."""
    plugin: Any = config.plugins["i18n"]
    return plugin


def other_language(config: MkDocsConfig) -> str | None:
    """The language being built when it is not the default one (whose build comes first)."""
    i18n = language_build(config)
    return None if i18n.is_default_language_build else i18n.current_language


def last_language(config: MkDocsConfig) -> bool:
    """Whether the language being built is the last of this build (static-i18n builds the default
    language first, then the others in their order, all into the same site/): what is made from the
    whole site/ (the calculator's assets, the pages' final names and CSP, the service worker) is made
    once, after it, rather than after every language."""
    i18n = language_build(config)
    order = [i18n.default_language, *(lang for lang in i18n.build_languages if lang != i18n.default_language)]
    return (i18n.current_language or i18n.default_language) == order[-1]
