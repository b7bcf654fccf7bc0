"""The thin MkDocs hook: policy/ -> validated -> generated Markdown (before the build) and
calculator assets + security headers (after it). All logic lives in the modules it calls."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts import calculator_assets, calculator_page, site_pages  # noqa: E402
from scripts.policy_load import load_policy  # noqa: E402

_state: dict = {"command": "build"}


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command


def on_pre_build(config) -> None:
    policy = load_policy()  # raises on an invalid policy: nothing is built or published
    _state["policy"] = policy
    docs = Path(config["docs_dir"])
    site_pages.generate(policy, docs)
    calculator_page.generate(policy, docs)


def on_post_build(config) -> None:
    calculator_assets.install(_state["policy"], Path(config["site_dir"]),
                              serving=_state["command"] == "serve")
