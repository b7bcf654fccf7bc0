"""What a visitor should read on the site for the real policy (shared by the site tests)."""
from __future__ import annotations

from pathlib import Path

from subsidy_calculator.formatting import format_quantity

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "site"
LANGS = ("zh", "en")


def prefix(lang: str) -> str:
    return "/en" if lang == "en" else ""


def measure_path(measure: dict, lang: str) -> str:
    return f"{prefix(lang)}/measures/{measure['id']}/"


def amounts(measure: dict, lang: str) -> list[str]:
    """Every dated value of every figure a benefit pays or lasts, as the visitor reads it."""
    out: set[str] = set()
    for benefit in measure.get("benefits") or []:
        for key in ("amount", "duration"):
            ref = benefit.get(key) or {}
            if "figure" in ref:
                figure = measure["figures"][ref["figure"]]
                out.update(format_quantity(v["value"], figure["unit"], lang) for v in figure["values"])
    return sorted(out)
