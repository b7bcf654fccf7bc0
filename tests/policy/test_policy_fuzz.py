"""Property-based: however a policy document is mangled, validation reports problems and never
crashes (a crash would stop the build without telling staff what is wrong).

FUZZ_POLICY_EXAMPLES (or FUZZ_EXAMPLES) sets the number of examples; 200 by default.
"""
from __future__ import annotations

import copy
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy_fixtures import POLICY
from scripts.policy import Problem, read_policy
from scripts.policy.checks import check
from scripts.policy.reader import Doc, NoticeDocs, PolicyDocs, read_yaml

EXAMPLES = int(os.environ.get("FUZZ_POLICY_EXAMPLES") or os.environ.get("FUZZ_EXAMPLES") or 200)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

REAL = read_policy(POLICY)
MEASURE = next(d for d in REAL.measures if d.file.startswith("notices/eighteen-measures/measures/05-"))
NOTICE = REAL.notices[0]
TARGETS = ["library", "notice", "questions", "measure", "texts", "scenario"]

junk = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**12) | st.floats(allow_nan=True)
    | st.sampled_from(["", " ", "2,111", "2026-02-30", "[[x]]", "{", "role", "micro", "hiring_award",
                       "graduates_hired", "enterprise", "{condition: x}", "\t", "<script>"])
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["id", "zh", "en", "rule", "question", "figure", "values", "value", "from", "until",
                        "condition", "all", "any", "not", "in", "equals", "min", "max", "per", "each", "x"]),
        inner, max_size=3),
    max_leaves=6)


def _paths(value: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(value, dict):
        for key, sub in value.items():
            found += _paths(sub, path + (key,))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            found += _paths(sub, path + (i,))
    return found


def _mutate(data: Any, draw: Any) -> Any:
    """Delete a key, change a value's type, or insert junk, somewhere in the document."""
    path = draw(st.sampled_from(_paths(data)))
    op = draw(st.sampled_from(["delete", "replace", "insert"]))
    if not path:
        return draw(junk) if op == "replace" else data
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if op == "delete":
        del parent[last]
    elif op == "replace":
        parent[last] = draw(junk)
    elif isinstance(parent[last], dict):
        parent[last][draw(st.text(max_size=8))] = draw(junk)
    elif isinstance(parent[last], list):
        parent[last].insert(draw(st.integers(0, len(parent[last]))), draw(junk))
    else:
        parent[last] = [parent[last], draw(junk)]
    return data


def _docs(target: str, data: Any) -> PolicyDocs:
    """A small policy (library, one notice with its text and measure 5, questions, results texts, one
    scenario) with one document replaced."""
    def doc(original: Doc | None, name: str) -> Doc:
        assert original is not None
        return Doc(original.file, data if name == target else copy.deepcopy(original.data),
                   original.values, original.keys)
    notice = NoticeDocs(NOTICE.id, NOTICE.folder, doc(NOTICE.notice, "notice"), NOTICE.text,
                        [doc(MEASURE, "measure")])
    return PolicyDocs(library=doc(REAL.library, "library"), questions=doc(REAL.questions, "questions"),
                      notices=[notice], texts={"results": doc(REAL.texts["results"], "texts")},
                      scenarios=[doc(REAL.scenarios[0], "scenario")])


def _original(target: str) -> Doc:
    found = {"library": REAL.library, "notice": NOTICE.notice, "questions": REAL.questions, "measure": MEASURE,
            "texts": REAL.texts["results"], "scenario": REAL.scenarios[0]}[target]
    assert found is not None
    return found


@FUZZ
@given(target=st.sampled_from(TARGETS), times=st.integers(1, 4), data=st.data())
def test_fuzz_mangled_documents_never_crash(target: str, times: int, data: st.DataObject) -> None:
    document = copy.deepcopy(_original(target).data)
    for _ in range(times):
        document = _mutate(document, data.draw)
    problems = check(_docs(target, document))
    assert all(isinstance(p, Problem) and p.line >= 1 and p.col >= 1 for p in problems)


@FUZZ
@given(edits=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(
    ["", ":", ": ", "-", "- ", "\t", "  ", "\n", "&a ", "*a", "\"", "'", "{", "}", "[", "]", "#", "!!binary ",
     "<<: *a\n", "? ", "|", ">", "%", "@", "`", "\x00", "\ufeff", "é", "2026-13-45", "1e999", ".nan", "~"]),
    st.integers(0, 3)), min_size=1, max_size=6))
def test_fuzz_mangled_yaml_text_never_crashes(edits: list[tuple[float, str, int]], tmp_path_factory) -> None:
    """Random insertions and deletions in a real file: read_yaml reports, it never raises."""
    text = (POLICY / MEASURE.file).read_text(encoding="utf-8")
    for where, insert, delete in edits:
        at = int(where * len(text))
        text = text[:at] + insert + text[at + delete:]
    path = tmp_path_factory.mktemp("fuzz") / "m.yaml"
    path.write_text(text, encoding="utf-8")
    doc, problems = read_yaml(path, "m.yaml")
    assert doc is not None or problems
    if doc is not None:
        check(_docs("measure", doc.data))
