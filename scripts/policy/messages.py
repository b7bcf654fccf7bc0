"""The validator's words, in Chinese and English, from one catalogue (messages.yaml beside this file).

A check never writes a sentence itself: it names a catalogue entry and its values,
    msg("unknown_key", key="untill", suggestion=did_you_mean("untill", allowed))
and the problem is rendered in the staff member's languages when it is printed. The catalogue sits
here, not in policy/, so that no edit of the policy folder can break or silence the validator.
The staff guide's table of messages is written from the same catalogue (see guide.py).
"""
from __future__ import annotations

import difflib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

CATALOGUE = Path(__file__).with_name("messages.yaml")
LANGS = ("zh", "en")


@cache
def catalogue_file() -> dict[str, Any]:
    """messages.yaml as written (messages, schema_descriptions, guide)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(CATALOGUE.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (a safe loader)


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """{code: {zh, en}}; an entry's `hint:` becomes the entry 'code.hint'."""
    raw = catalogue_file()
    flat: dict[str, dict[str, str]] = {}
    for code, entry in raw["messages"].items():
        flat[code] = {lang: entry[lang] for lang in LANGS}
        if "hint" in entry:
            flat[f"{code}.hint"] = {lang: entry["hint"][lang] for lang in LANGS}
    return flat


@cache
def schema_words() -> dict[str, str]:
    """English description in policy/schema -> its Chinese (descriptions are used as hints)."""
    return dict(catalogue_file()["schema_descriptions"])


@dataclass(frozen=True)
class Shown:
    """A value from the file as staff wrote it: a text in quotes, anything else as JSON; long values cut."""

    text: str
    quoted: bool

    @classmethod
    def of(cls, value: Any) -> Shown:
        if isinstance(value, str):
            return cls(value if len(value) <= 58 else value[:55] + "...", True)
        text = json.dumps(value, ensure_ascii=False)
        return cls(text if len(text) <= 60 else text[:57] + "...", False)

    def render(self, lang: str) -> str:
        if not self.quoted:
            return self.text
        return f"“{self.text}”" if lang == "zh" else f"'{self.text}'"


@dataclass(frozen=True)
class SchemaWords:
    """A description from policy/schema, shown as a hint (its Chinese is in the catalogue)."""

    text: str

    def render(self, lang: str) -> str:
        return schema_words().get(self.text, self.text) if lang == "zh" else self.text


@dataclass(frozen=True)
class Joined:
    """Values joined by a word of the catalogue: 'a or b', 'a 或 b'; 'x' and 'y'."""

    items: tuple[Any, ...]
    word: str = "word.or"

    def render(self, lang: str) -> str:
        return catalogue()[self.word][lang].join(str(_arg(v, lang)) for v in self.items)


@dataclass(frozen=True)
class Message:
    """A catalogue entry and its values; rendered only when shown, in any language."""

    code: str
    args: tuple[tuple[str, Any], ...] = ()

    def render(self, lang: str) -> str:
        template = catalogue()[self.code][lang]
        return template.format(**{name: _arg(value, lang) for name, value in self.args})

    def __str__(self) -> str:
        return self.render("en")


# What a problem's hint can be: a catalogue message, a schema's description, or values joined
Hint = Message | SchemaWords | Joined


def _frozen(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return Shown.of(value)
    return value


def _arg(value: Any, lang: str) -> Any:
    if isinstance(value, (Message, Shown, SchemaWords, Joined)):
        return value.render(lang)
    if isinstance(value, tuple):
        return ("、" if lang == "zh" else ", ").join(str(_arg(v, lang)) for v in value)
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "null"
    return value


def msg(code: str, **args: Any) -> Message:
    """A message of the catalogue; an unknown code or a missing value fails at once (a bug, not a staff slip)."""
    entry = catalogue().get(code)
    if entry is None:
        raise KeyError(f"no message {code!r} in {CATALOGUE.name}")
    message = Message(code, tuple(sorted((k, _frozen(v)) for k, v in args.items())))
    message.render("en")  # every {name} given
    return message


def hint_of(code: str, **args: Any) -> Message | None:
    """The entry's own hint (code.hint) with the same values, if it has one."""
    return msg(f"{code}.hint", **args) if f"{code}.hint" in catalogue() else None


def did_you_mean(word: Any, choices: Iterable[Any]) -> Message:
    """'did you mean 'until'? possible: from, until, value': every possible name, never cut."""
    names = tuple(dict.fromkeys(str(c) for c in choices))
    close = difflib.get_close_matches(str(word), names, n=1, cutoff=0.6)
    if close and names:
        return msg("did_you_mean", close=close[0], names=names)
    return msg("possible", names=names) if names else msg("none")


# ---- which languages, in which order -----------------------------------------------------------

def staff_languages(environ: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(first, second): POLICY_LANG=zh|en, else the locale (LC_ALL, LC_MESSAGES, LANG); English by default."""
    env = os.environ if environ is None else environ
    for name in ("POLICY_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip().lower()
        if value and value not in ("c", "posix") and not value.startswith(("c.", "posix.")):
            first = "zh" if value.startswith("zh") else "en"
            return (first, "en" if first == "zh" else "zh")
    return ("en", "zh")


def say(code: str, langs: tuple[str, ...], **args: Any) -> str:
    """A catalogue line in every language, first language first (for summaries printed by tools)."""
    message = msg(code, **args)
    return "\n".join(message.render(lang) for lang in langs)


def render_problem_text(message: Message, hint: Hint | None, lang: str) -> str:
    """'message — hint: hint' in one language (the part after file:line:column: field:)."""
    text = message.render(lang)
    if hint is not None and (shown := hint.render(lang)):
        text = msg("format.with_hint", message=text, hint=shown).render(lang)
    return text
