"""Each file in broken/ is one kind of mistake staff could make, applied to a copy of the real
policy folder; the validator must name the exact file, line, field and what is wrong.
Each file in accepted/ is an edit that looks odd but must pass (BOM + CRLF, HTML in a text).

Fixture format (YAML):
    why: what the mistake is
    file: path inside policy/ to change
    copy: path inside policy/ to copy to `file` first           (optional)
    replace: [[old, new], ...]   each old must occur; its first occurrence is replaced
    write: text (the whole file) | append: text | repeat: [text, times] | delete: true
    encoding: gbk | newline: "\\r\\n" | bom: true                 how the file is saved
    expect: {file, at | line [+ col], path, message, hint?, count?}
        at: a piece of the changed file; its first occurrence gives the expected line and column
        count: how many problems the change must cause in all
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.policy import Problem, validate

from policy_fixtures import copy_policy

HERE = Path(__file__).parent
BROKEN = sorted((HERE / "broken").glob("*.yaml"))
ACCEPTED = sorted((HERE / "accepted").glob("*.yaml"))


def apply(case: dict[str, Any], root: Path) -> str:
    """Make the change on the copy; return the new text of the file (before encoding)."""
    target = root / case["file"]
    if "copy" in case:
        target.write_bytes((root / case["copy"]).read_bytes())
    if case.get("delete"):
        target.unlink()
        return ""
    target.parent.mkdir(parents=True, exist_ok=True)
    text = target.read_text(encoding="utf-8") if target.exists() else ""
    if "write" in case:
        text = case["write"]
    for old, new in case.get("replace", []):
        assert old in text, f"fixture out of date: {old!r} is not in {case['file']}"
        text = text.replace(old, new, 1)
    text += case.get("append", "")
    if "repeat" in case:
        piece, times = case["repeat"]
        text += piece * times
    saved = text.replace("\n", case.get("newline", "\n"))
    data = saved.encode(case.get("encoding", "utf-8"))
    target.write_bytes((b"\xef\xbb\xbf" if case.get("bom") else b"") + data)
    return text


def position(text: str, piece: str) -> tuple[int, int]:
    index = text.index(piece)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> set[Problem]:
    """Problems of the unchanged copy (none once the policy is complete): not the fixture's doing."""
    return set(validate(copy_policy(tmp_path_factory.mktemp("baseline"))))


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_corpus_is_large_enough() -> None:
    assert len(BROKEN) >= 30


@pytest.mark.parametrize("fixture", BROKEN, ids=lambda p: p.stem)
def test_broken(fixture: Path, policy_copy: Path, baseline: set[Problem]) -> None:
    case = _load(fixture)
    text = apply(case, policy_copy)
    problems = validate(policy_copy)
    new = [p for p in problems if p not in baseline]
    expect = case["expect"]
    listing = "\n".join(p.format() for p in new)
    assert new, f"{case['why']}: not detected"
    if "at" in expect:
        line, col = position(text, expect["at"])
    else:
        line, col = expect["line"], expect.get("col")
    matching = [p for p in new if p.file == expect.get("file", case["file"]) and p.line == line
                and (col is None or p.col == col) and p.path == expect["path"]
                and expect["message"] in p.message and expect.get("hint", "") in p.hint]
    assert matching, f"expected {expect.get('file', case['file'])}:{line}:{col}: {expect['path']}: " \
                     f"...{expect['message']}... among:\n{listing}"
    if "count" in expect:
        assert len(new) == expect["count"], listing


@pytest.mark.parametrize("fixture", ACCEPTED, ids=lambda p: p.stem)
def test_accepted(fixture: Path, policy_copy: Path, baseline: set[Problem]) -> None:
    case = _load(fixture)
    apply(case, policy_copy)
    new = [p.format() for p in validate(policy_copy) if p not in baseline]
    assert new == [], case["why"]
