"""Minify the site's own scripts and style sheets in the built site, with esbuild (npm, pinned).

The sources under docs/assets/ and calculator/web/service_worker.js keep their comments; what a
visitor downloads does not. Material's own files are minified already and are left alone. The
calculator's front end (calculator/web/) is bundled, and minified, by scripts/bundle/web_bundle.py.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
# Folders of site/ that hold only our files (copied from docs/assets/ by MkDocs)
OWN_ASSET_DIRS = ("assets/js", "assets/stylesheets")


def esbuild() -> str:
    """The pinned esbuild's executable."""
    if not ESBUILD.exists():
        raise RuntimeError(f"{ESBUILD} is missing: run `npm ci` (or `make site`, which does)")
    return str(ESBUILD)


def own_assets(site_dir: Path) -> list[Path]:
    """Our .js and .css files in the built site that MkDocs copied from docs/assets/."""
    return sorted(p for d in OWN_ASSET_DIRS for p in (site_dir / d).glob("*")
                  if p.suffix in {".js", ".css"} and p.is_file())


def minify_files(site_dir: Path, files: list[Path]) -> None:
    """Replace each file by its minified form, in one esbuild run (classic scripts stay classic,
    modules stay modules: esbuild transforms each file alone, it bundles nothing)."""
    if not files:
        return
    subprocess.run([esbuild(), *map(str, files), "--minify", "--log-level=warning",
                    "--charset=utf8", f"--outbase={site_dir}", f"--outdir={site_dir}",
                    "--allow-overwrite"], check=True, cwd=ROOT)


def minify_js(text: str) -> str:
    """A classic script's text, minified."""
    out = subprocess.run([esbuild(), "--minify", "--loader=js", "--charset=utf8", "--log-level=warning"],
                         input=text, capture_output=True, text=True, check=True, cwd=ROOT)
    return out.stdout
