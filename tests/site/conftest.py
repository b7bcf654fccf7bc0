"""Fixtures for the site tests: the real policy, loaded the way the build loads it."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # site_helpers, next to this file

from scripts.policy import load_policy  # noqa: E402


@pytest.fixture(scope="session")
def policy() -> dict[str, Any]:
    return load_policy()
