"""The rules bundle the tests (and calculator/bench.py) use: exactly what the site ships,
built by scripts.bundle.rules_bundle from policy/ (which validates it first)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
for path in (ROOT / "calculator" / "src", ROOT):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


def build_test_bundle() -> dict[str, Any]:
    from scripts.bundle.rules_bundle import build_bundle

    return json.loads(json.dumps(build_bundle(), ensure_ascii=False))  # exactly what JSON carries
