"""Read, check and assemble the policy: what the page generator, the rules bundle and the tests use.

    load_policy(root) -> {"library": {...} (library.yaml), "notices": [...] (newest first, each with
                          its `id`, `text` and `measures`: the ids of its measures by number),
                          "questions": [...], "lists": [...] (questions.yaml `lists:`),
                          "measures": [...] (notice by notice, by number; each with its `notice`),
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


def notice_order(notice: dict[str, Any]) -> tuple[str, str]:
    """Newest first: by publication date (a notice without one counts as oldest), then id."""
    return (str(notice.get("published") or ""), str(notice["id"]))


def assemble(docs: PolicyDocs) -> dict[str, Any]:
    """The loaded policy in the shape the site and the calculator use (call only when valid)."""
    notices = []
    for folder in docs.notices:
        measures = sorted((d.data for d in folder.measures), key=lambda m: m["number"])
        notices.append({**(folder.notice.data if folder.notice else {}), "id": folder.id, "text": folder.text or "",
                        "measures": [m["id"] for m in measures]})
    notices.sort(key=notice_order, reverse=True)
    by_notice = {folder.id: folder for folder in docs.notices}
    measures = [{**d.data, "notice": n["id"]} for n in notices
                for d in sorted(by_notice[n["id"]].measures, key=lambda d: d.data["number"])]
    return {
        "library": docs.library.data if docs.library else None,
        "notices": notices,
        "questions": (docs.questions.data or {}).get("questions", []) if docs.questions else [],
        "lists": (docs.questions.data or {}).get("lists", []) if docs.questions else [],
        "measures": measures,
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
