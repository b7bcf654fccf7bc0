"""Fixtures for the engine's tests: the rules bundle from policy/ and its compiled rules."""
from __future__ import annotations

import copy
from typing import Any

import pytest

from policy_bundle import build_test_bundle  # also puts calculator/src on sys.path

from subsidy_calculator import Rules, load_rules


@pytest.fixture(scope="session")
def _bundle() -> dict[str, Any]:
    return build_test_bundle()


@pytest.fixture()
def bundle(_bundle: dict[str, Any]) -> dict[str, Any]:
    """A fresh copy each test, so a test may change it."""
    return copy.deepcopy(_bundle)


@pytest.fixture(scope="session")
def rules(_bundle: dict[str, Any]) -> Rules:
    return load_rules(_bundle)
