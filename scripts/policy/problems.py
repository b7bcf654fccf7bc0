"""A problem is a catalogue message pinned to a place in a policy file; PolicyError carries them all."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scripts.policy.messages import Hint, Message, render_problem_text, say, staff_languages

PathT = tuple[str | int, ...]


def path_text(path: PathT) -> str:
    """('benefits', 2, 'amount') -> 'benefits[2].amount' (the form staff see in messages)."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass(frozen=True)
class Problem:
    """One thing wrong, pinned to a place: `file` is relative to the policy folder.
    `what` and `fix` are catalogue messages; `message` and `hint` are their English words."""

    file: str
    line: int
    col: int
    path: str
    what: Message
    fix: Hint | None = None

    def message_in(self, lang: str) -> str:
        return self.what.render(lang)

    def hint_in(self, lang: str) -> str:
        return self.fix.render(lang) if self.fix is not None else ""

    @property
    def message(self) -> str:
        return self.message_in("en")

    @property
    def hint(self) -> str:
        return self.hint_in("en")

    def _key(self) -> tuple[Any, ...]:
        return (self.file, self.line, self.col, self.path, self.message, self.hint)

    def __lt__(self, other: Problem) -> bool:
        return self._key() < other._key()

    def format(self, root_label: str = "policy", lang: str = "en") -> str:
        """'policy/file:line:col: field: message — hint: ...' in one language."""
        where = f"{root_label}/{self.file}" if root_label else self.file
        text = f"{where}:{self.line}:{self.col}: "
        if self.path:
            text += f"{self.path}: "
        return text + render_problem_text(self.what, self.fix, lang)

    def lines(self, root_label: str = "policy", langs: tuple[str, ...] = ("en", "zh")) -> list[str]:
        """The problem in the first language with its place, then indented in the others."""
        first, *others = langs
        return [self.format(root_label, first)] + ["    " + render_problem_text(self.what, self.fix, lang)
                                                   for lang in others]

    def __str__(self) -> str:
        return self.format()


class PolicyError(Exception):
    """The policy folder has problems; the build must refuse to publish."""

    def __init__(self, problems: list[Problem], root_label: str = "policy") -> None:
        self.problems = problems
        langs = staff_languages()
        lines = [say("summary.error_header", langs[:1], count=len(problems))]
        lines += [line for p in problems[:50] for line in p.lines(root_label, langs)]
        if len(problems) > 50:
            lines.append(say("summary.more", langs[:1], count=len(problems) - 50))
        super().__init__("\n".join(lines))
