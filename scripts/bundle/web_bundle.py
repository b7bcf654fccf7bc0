"""The browser front end (calculator/web/) bundled by esbuild (npm, pinned in package.json).

Entry points: `boot.js` (started from the calculator and list pages' <head>: the Python worker),
`app.js` (the calculator page), `lists.js` (the list check page), `worker.js` (the module worker
that owns Pyodide) and the two style sheets. ES modules with code splitting: code that several
entry points import (the worker client, dom.js, boot.js itself) goes to `chunk-<hash>.js` files,
so a page and its boot.js share one instance of it. Every file lands in one flat folder, which
keeps the sources' relative URLs (`new URL("./worker.js", import.meta.url)`, `manifest.json`,
`../../pyodide/`) right. esbuild's metafile says which files each output imports; the pages'
modulepreload links and the manifest's lists of modules are made from it, never by hand.
"""
from __future__ import annotations

import json
import posixpath
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from scripts.bundle.asset_minify import esbuild

ROOT = Path(__file__).resolve().parents[2]
WEB_DIR = ROOT / "calculator" / "web"
# the entry points; the pages' entry modules: each runs beside boot.js
ENTRIES = ("boot.js", "app.js", "lists.js", "worker.js", "calculator.css", "lists.css")
BOOT = "boot.js"
PAGE_ENTRIES = ("app.js", "lists.js")
WORKER = "worker.js"
# the site's service worker: not bundled (scripts/bundle/calculator_assets.py fills in its names)
SERVICE_WORKER = WEB_DIR / "service_worker.js"


@dataclass(frozen=True)
class Bundle:
    """What one esbuild run wrote: `files`, the names of the folder's files; `imports`, each
    JavaScript file's static imports (names in the same folder)."""
    folder: Path
    files: tuple[str, ...]
    imports: dict[str, tuple[str, ...]]

    def closure(self, name: str) -> list[str]:
        """`name` and every file it imports statically, directly or not (`name` first)."""
        found = [name]
        for current in found:
            for imported in self.imports.get(current, ()):
                if imported not in found:
                    found.append(imported)
        return found

    def page_modules(self, entry: str) -> list[str]:
        """Every module a page whose entry module is `entry` runs: the entry's and boot.js's."""
        return list(dict.fromkeys(self.closure(entry) + self.closure(BOOT)))


def build(out_dir: Path, minify: bool) -> Bundle:
    """Bundle calculator/web/ into `out_dir` (made empty first)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.iterdir():
        if old.is_file():
            old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        meta_path = Path(tmp) / "meta.json"
        command = [esbuild(), *(str(WEB_DIR / name) for name in ENTRIES), "--bundle", "--splitting",
                   "--format=esm", f"--outdir={out_dir}", "--entry-names=[name]", "--chunk-names=chunk-[hash]",
                   "--charset=utf8", "--log-level=warning", f"--metafile={meta_path}"]
        if minify:
            command.append("--minify")
        subprocess.run(command, check=True, cwd=ROOT)
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    imports: dict[str, tuple[str, ...]] = {}
    files = []
    for output, info in meta["outputs"].items():
        path = (ROOT / output).resolve()
        if path.parent != out_dir.resolve():
            raise ValueError(f"esbuild wrote {output} outside {out_dir}")
        files.append(path.name)
        imports[path.name] = tuple(posixpath.basename(i["path"]) for i in info.get("imports", [])
                                   if i.get("kind") == "import-statement" and not i.get("external"))
    for name in ENTRIES:
        if name not in files:
            raise ValueError(f"esbuild wrote no {name}")
    return Bundle(out_dir, tuple(sorted(files)), imports)
