"""Placeholder: copies Pyodide, the wheel and the rules bundle into the site."""
from pathlib import Path


def install(policy: dict, site_dir: Path, serving: bool = False) -> None:
    pass
