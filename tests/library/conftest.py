"""The example library (example_library.py), written once per test session."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
for path in (ROOT / "calculator" / "src", ROOT):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import example_library  # noqa: E402


@pytest.fixture(scope="session")
def library_dir(tmp_path_factory) -> Path:
    return example_library.write(tmp_path_factory.mktemp("library"))


@pytest.fixture(scope="session")
def library(library_dir: Path) -> dict[str, Any]:
    from scripts.policy import load_policy

    return load_policy(library_dir)


@pytest.fixture(scope="session")
def library_rules(library: dict[str, Any]):
    from scripts.bundle.rules_bundle import build_bundle
    from subsidy_calculator import load_rules

    return load_rules(json.loads(json.dumps(build_bundle(library), ensure_ascii=False)))
