"""Read, check and assemble the policy: what the page generator, the rules bundle and the tests use.

    load_policy(root) -> {"notice": {...}, "questions": [...], "lists": [...] (questions.yaml `lists:`),
                          "measures": [...] (by number),
                          "texts": {"site": {...}, "results": {...}, ...}}
    load_scenarios(root) -> {file stem: [case, ...]}
Both raise PolicyError (with .problems) when anything is wrong: the site must not publish.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from scripts.policy.checks import check
from scripts.policy.problems import PolicyError, Problem
from scripts.policy.reader import POLICY_DIR, PolicyDocs, read_policy


def assemble(docs: PolicyDocs) -> dict[str, Any]:
    """The loaded policy in the shape the site and the calculator use (call only when valid)."""
    measures = [d.data for d in docs.measures]
    return {
        "notice": docs.notice.data if docs.notice else None,
        "questions": (docs.questions.data or {}).get("questions", []) if docs.questions else [],
        "lists": (docs.questions.data or {}).get("lists", []) if docs.questions else [],
        "measures": sorted(measures, key=lambda m: m["number"]),
        "texts": {name: d.data for name, d in sorted(docs.texts.items())},
    }


def validate(root: Path = POLICY_DIR) -> list[Problem]:
    """Every problem of the policy folder, sorted by file and line; empty when it may be published."""
    root = Path(root)
    return check(read_policy(root), root)


def _checked(root: Path) -> PolicyDocs:
    docs = read_policy(root)
    problems = check(docs, Path(root))
    if problems:
        raise PolicyError(problems, Path(root).name)
    return docs


def load_policy(root: Path = POLICY_DIR) -> dict[str, Any]:
    """Read and validate; raise PolicyError rather than hand back a policy that must not be published."""
    return assemble(_checked(root))


def load_scenarios(root: Path = POLICY_DIR) -> dict[str, list[dict[str, Any]]]:
    """Calculator test cases by file stem; raises PolicyError like load_policy."""
    return {Path(d.file).stem: (d.data or {}).get("cases", []) for d in _checked(root).scenarios}
