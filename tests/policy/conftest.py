"""Fixtures for the policy tests: a private copy of the real policy/ folder to break."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # policy_fixtures, next to this file

from policy_fixtures import copy_policy  # noqa: E402


@pytest.fixture
def policy_copy(tmp_path: Path) -> Path:
    """tmp_path/policy: the real folder, ready to be mutated (the published notice is not beside it)."""
    return copy_policy(tmp_path)
