"""Where the real policy is, and how the tests copy it."""
from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policy"


def copy_policy(parent: Path) -> Path:
    """parent/policy: a copy of the real folder without its schemas (they are read from the repo)."""
    target = parent / "policy"
    shutil.copytree(POLICY, target, ignore=shutil.ignore_patterns("schema"))
    return target
