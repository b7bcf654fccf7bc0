"""Placeholder: filled in by the site work."""
from pathlib import Path


def generate(policy: dict, docs_dir: Path) -> None:
    pass
