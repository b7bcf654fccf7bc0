"""The build refuses a change to a figure, condition, date or benefit of a measure whose change
log has no new dated entry: the public "what changed" page and feed must never be silent about a
change. The edit is compared with policy/ as last committed; outside a git repository (a copy of
the folder) there is nothing to compare with and the check passes quietly. Its words are the
validator's (scripts/policy/messages.yaml, change_log.*).

    python -m scripts.policy.change_log [policy_dir] [--read COPY]
                                exit 1 and file:line: messages on a problem; COPY: a copy of
                                policy_dir taken at one moment (publish), read instead of it so
                                that the check and the build read the same files
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Mapping

from scripts.policy import POLICY_DIR, Problem, read_policy
from scripts.policy.load import assemble
from scripts.policy.messages import msg, say, staff_languages
from scripts.policy.diff import MISSING, Change, diff, units
from scripts.policy.revision import published_folder


def _entries(measure: Any) -> list[Any]:
    return list(measure.get("change_log") or []) if isinstance(measure, Mapping) else []


def unannounced(changes: list[Change], before: Mapping, after: Mapping) -> list[Change]:
    """The changes that need a change-log entry in a measure whose log gained none."""
    out = []
    for change in changes:
        if change.unit[0] != "measure" or not change.needs_log or change.after is MISSING and not change.path:
            continue  # a measure removed has no log left to write in
        old, new = _entries(before.get(change.unit)), _entries(after.get(change.unit))
        if not [entry for entry in new if entry not in old]:
            out.append(change)
    return out


def problems(changes: list[Change], before: Mapping, after: Mapping) -> list[Problem]:
    return [Problem(c.file, c.line, c.col, c.path,
                    msg("change_log.not_announced", kind=msg(f"thing.{c.kind}_change")),
                    msg("change_log.not_announced.hint"))
            for c in unannounced(changes, before, after)]


def check(root: Path = POLICY_DIR, read: Path | None = None) -> list[Problem]:
    """Problems for the policy folder `root` (as copied to `read`, when given) against its last
    commit ([] outside git)."""
    with published_folder(root) as published:
        if published is None:
            return []
        before = units(assemble(read_policy(published)))
    docs = read_policy(read or root)
    after = units(assemble(docs))
    return problems(diff(before, after, docs), before, after)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    read = None
    if "--read" in args[:-1]:
        at = args.index("--read")
        read = Path(args.pop(at + 1))
        args.pop(at)
    root = Path(args[0]) if args else Path(os.environ.get("POLICY_DIR") or POLICY_DIR)
    langs = staff_languages()
    found = check(root, read)
    for problem in found:
        print("\n".join(problem.lines(root.name, langs)))
    if found:
        print(say("summary.not_announced", langs, count=len(found)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
