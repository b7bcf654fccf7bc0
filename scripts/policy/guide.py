"""The staff guide's table of example messages, written from the catalogue (messages.yaml, `guide:`),
so that the guide shows exactly what the validator prints.

    python -m scripts.policy.guide      rewrite the tables in docs/staff-guide.{zh,en}.md
"""
from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from scripts.policy.messages import LANGS, Shown, catalogue_file, hint_of, msg, render_problem_text

GUIDE = {lang: Path(__file__).resolve().parents[2] / "docs" / f"staff-guide.{lang}.md" for lang in LANGS}
GUIDE_BEGIN, GUIDE_END = "<!-- messages: begin (python -m scripts.policy.guide) -->", "<!-- messages: end -->"


def _example_arg(value: Any) -> Any:
    if isinstance(value, dict) and "msg" in value:
        args = {k: _example_arg(v) for k, v in value.items() if k != "msg"}
        return msg(value["msg"], **args)
    if isinstance(value, dict) and "shown" in value:
        return Shown.of(value["shown"])
    if isinstance(value, list):
        return [_example_arg(v) for v in value]
    return value


def guide_rows() -> list[dict[str, Any]]:
    return list(catalogue_file()["guide"])


def guide_table(lang: str) -> str:
    """The Markdown table of example messages for the staff guide in `lang`, from the catalogue."""
    head = {"zh": "| 信息 | 含义 |", "en": "| message | meaning |"}[lang]
    lines = [head, "|---|---|"]
    for row in guide_rows():
        args = {k: _example_arg(v) for k, v in row.get("args", {}).items()}
        message = msg(row["message"], **args)
        hint = msg(row["hint"], **args) if "hint" in row else hint_of(row["message"], **args)
        shown = render_problem_text(message, hint, lang)
        lines.append(f"| `{shown}` | {row['meaning'][lang]} |")
    return "\n".join(lines)


def guide_with_table(text: str, lang: str) -> str:
    """The guide's text with its table between the markers replaced by the catalogue's."""
    pattern = re.compile(re.escape(GUIDE_BEGIN) + r".*?" + re.escape(GUIDE_END), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"the markers {GUIDE_BEGIN} ... {GUIDE_END} are missing")
    return pattern.sub(lambda _: f"{GUIDE_BEGIN}\n{guide_table(lang)}\n{GUIDE_END}", text)


def main() -> int:
    for lang, path in GUIDE.items():
        text = path.read_text(encoding="utf-8")
        new = guide_with_table(text, lang)
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(f"rewrote the table of messages in {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
