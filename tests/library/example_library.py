"""The staff guide's worked example of a library with a second notice, as staff would make it: a
copy of the real policy plus the notice folder `2027-youth-employment` (three measures, one of the
first notice's measures superseded from 2028-01-01), the question its internship subsidy needs,
(its scenario cases are in example/scenarios/). Kept with the tests, never published with the real policy."""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = Path(__file__).resolve().parent / "example"
NOTICE = "2027-youth-employment"


def write(parent: Path) -> Path:
    """parent/policy: the real policy with the example notice added; returns the folder."""
    target = parent / "policy"
    shutil.copytree(ROOT / "policy", target)
    shutil.copytree(EXAMPLE / "notices" / NOTICE, target / "notices" / NOTICE)
    # the new question goes after the one it depends on, as staff would write it in questions.yaml
    questions = target / "questions.yaml"
    text = questions.read_text(encoding="utf-8")
    anchor = "  - id: provides_training\n"
    added = "".join(("  - " if i == 0 else "    ") + line + "\n" for i, line in enumerate(
        line for line in (EXAMPLE / "question.yaml").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")))
    assert anchor in text, "questions.yaml changed: update tests/library/example_library.py"
    questions.write_text(text.replace(anchor, added + anchor, 1), encoding="utf-8")
    yaml.safe_load(questions.read_text(encoding="utf-8"))  # still one YAML document
    # the bureau has given its own service line (the real policy leaves it null until it does)
    library = target / "library.yaml"
    text = library.read_text(encoding="utf-8")
    for key, value in (("name", "{zh: 市人力资源和社会保障局, en: Municipal Human Resources and Social Security Bureau}"),
                       ("phone", '"12333"'), ("hall", "{zh: 市民服务中心二楼, en: \"Citizen Service Centre, 2nd floor\"}")):
        text = text.replace(f"  {key}: null\n", f"  {key}: {value}\n", 1)
    library.write_text(text, encoding="utf-8")
    return target
