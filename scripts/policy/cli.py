"""Check the policy/ folder and report every problem of every file at once, each with
file:line:column, field, message and hint, in Chinese and English (the staff member's first).

    python -m scripts.policy.cli [policy_dir] [--label NAME]
                                exit 1 and the problems, or 0 and one line; NAME: how the
                                problems name the folder (a copy checked for policy/, by publish)

policy_dir defaults to $POLICY_DIR, else policy/. The language that comes first: POLICY_LANG=zh|en,
else the locale (LC_ALL, LC_MESSAGES, LANG); the other language follows on the next line.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from scripts.policy.checks import check
from scripts.policy.messages import say, staff_languages
from scripts.policy.reader import POLICY_DIR, read_policy


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    label = None
    if "--label" in args[:-1]:
        at = args.index("--label")
        label = args.pop(at + 1)
        args.pop(at)
    root = Path(args[0]) if args else Path(os.environ.get("POLICY_DIR") or POLICY_DIR)
    langs = staff_languages()
    started = time.perf_counter()
    docs = read_policy(root)
    problems = check(docs, root)
    if label is None:
        try:
            label = root.resolve().relative_to(Path.cwd()).as_posix()
        except ValueError:
            label = str(root)
    for problem in problems:
        print("\n".join(problem.lines(label, langs)))
    if problems:
        files = len({p.file for p in problems})
        print(say("summary.problems", langs, count=len(problems), files=files), file=sys.stderr)
        return 1
    print(say("summary.ok", langs[:1], measures=len(docs.measures), texts=len(docs.texts),
              scenarios=len(docs.scenarios), seconds=f"{time.perf_counter() - started:.2f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
