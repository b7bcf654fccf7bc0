"""Read the policy/ folder into plain Python data (first draft: no validation yet).

Interface used by the page generator, the rules bundle and the tests:
    load_policy(root: Path) -> dict with keys
        notice     (notice.yaml as a dict)
        questions  (list of question dicts, in order)
        measures   (list of measure dicts, sorted by number)
        texts      ({"site": {...}, "calculator": {...}} from texts/*.yaml)
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

POLICY_DIR = Path(__file__).resolve().parent.parent / "policy"


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_policy(root: Path = POLICY_DIR) -> dict[str, Any]:
    measures = [_read(p) for p in sorted((root / "measures").glob("*.yaml"))]
    texts = {p.stem: _read(p) for p in sorted((root / "texts").glob("*.yaml"))}
    return {
        "notice": _read(root / "notice.yaml"),
        "questions": _read(root / "questions.yaml")["questions"],
        "measures": sorted(measures, key=lambda m: m["number"]),
        "texts": texts,
    }
