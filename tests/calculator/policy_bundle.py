"""The rules bundle the tests (and calculator/bench.py) use, built from policy/.

One place only: when scripts/rules_bundle.py exists its build_bundle() is used, so the tests
check exactly what the site ships; until then an equivalent dict is built from the policy files.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
for path in (ROOT / "calculator" / "src", ROOT):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


def build_test_bundle() -> dict[str, Any]:
    if importlib.util.find_spec("scripts.rules_bundle") is not None:
        from scripts.rules_bundle import build_bundle
        bundle = build_bundle()
    else:
        from scripts.policy_load import assemble, read_policy

        docs = read_policy(ROOT / "policy")
        assert not docs.problems, "\n".join(map(str, docs.problems))
        policy = assemble(docs)
        bundle = {
            "notice": policy["notice"],
            "questions": policy["questions"],
            "measures": policy["measures"],
            "texts": {"results": policy["texts"]["results"]},
        }
        canonical = json.dumps(bundle, sort_keys=True, ensure_ascii=False).encode()
        bundle = {"version": hashlib.sha256(canonical).hexdigest()[:12], **bundle}
    return json.loads(json.dumps(bundle, ensure_ascii=False))  # exactly what JSON carries
