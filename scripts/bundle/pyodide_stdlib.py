"""The Python standard library the site ships to the browser (ARCHITECTURE.md, D3): only the files
of Pyodide's python_stdlib.zip (already deflated, so no host can compress it further) that
Pyodide's own start, the calculator wheel and BROWSER_IMPORTS load, compiled (`.pyc`, without
docstrings, column ranges or line numbers inside a function: see pyodide_stdlib.mjs), stored
uncompressed so that the host compresses it: a fraction of Pyodide's zip on the wire. Compiled,
because compiling these sources was most of Python's start in the browser.

Which files: found by running the real thing (scripts/bundle/pyodide_stdlib.mjs imports every module of
the wheel under the pinned npm Pyodide and lists what Python loaded). A module imported only inside
a function, or by a browser feature, is not loaded by that import: name it in BROWSER_IMPORTS.
The parity suite and the browser tests run on exactly this zip, so a missing module fails a test.

    python -m scripts.bundle.pyodide_stdlib [--out FILE]   # build (cached) and print what it holds
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from scripts.bundle.wheel import build_wheel

ROOT = Path(__file__).resolve().parents[2]
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
FULL_ZIP = PYODIDE_DIR / "python_stdlib.zip"
SCRIPT = Path(__file__).with_suffix(".mjs")
CACHE = ROOT / "build" / "pyodide-stdlib"

# Modules the calculator needs in the browser that importing its modules does not load. One place:
# add a name here when a lazy import or a new browser feature needs it.
BROWSER_IMPORTS = (
    "csv", "codecs", "io",  # the list check reads CSV in the browser (subsidy_calculator.lists)
    # ... in the encodings Excel saves it in (lists.decode: bytes.decode looks each one up lazily)
    "encodings.utf_8_sig", "encodings.utf_16", "encodings.utf_16_le", "encodings.utf_16_be",
    "encodings.gb18030",
)
_EPOCH = (1980, 1, 1, 0, 0, 0)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _node(*args: str) -> str:
    done = subprocess.run(["node", str(SCRIPT), *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        # without the lines of minified JavaScript that Node prints around an error
        readable = "\n".join(line for line in done.stderr.splitlines() if len(line) < 400)
        raise RuntimeError(f"scripts/bundle/pyodide_stdlib.mjs {args[0]} failed:\n{readable[-2000:]}")
    return done.stdout


def wheel_modules(wheel: Path) -> list[str]:
    """Every module of the wheel, as a dotted name (not __main__: the browser never runs it)."""
    names = []
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            if name.endswith(".py") and ".dist-info/" not in name:
                dotted = name[:-3].replace("/", ".").removesuffix(".__init__")
                if not dotted.endswith("__main__"):
                    names.append(dotted)
    return sorted(names)


def _pyodide_key() -> str:
    version = json.loads((PYODIDE_DIR / "package.json").read_text(encoding="utf-8"))["version"]
    return f"{version}-{_sha(FULL_ZIP.read_bytes())[:12]}"


def used_files(wheel: Path) -> list[str]:
    """The zip entries Python loads to run the wheel's modules and BROWSER_IMPORTS (cached)."""
    modules = wheel_modules(wheel) + list(BROWSER_IMPORTS)
    key = _sha("\0".join([_pyodide_key(), _sha(wheel.read_bytes()), _sha(SCRIPT.read_bytes()), *modules]).encode())
    cached = CACHE / f"used-{key[:16]}.json"
    if cached.exists():
        return json.loads(cached.read_text(encoding="utf-8"))
    used = json.loads(_node("trace", str(wheel), *modules))
    CACHE.mkdir(parents=True, exist_ok=True)
    for old in CACHE.glob("used-*.json"):
        old.unlink(missing_ok=True)
    tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(used), encoding="utf-8")
    tmp.replace(cached)
    return used


def compiled(names: list[str]) -> dict[str, bytes]:
    """Each `.py` entry compiled to its `.pyc`, made once per Pyodide and set of names; other
    entries are not in the result."""
    sources = sorted(n for n in names if n.endswith(".py"))
    key = _sha("\0".join([_pyodide_key(), _sha(SCRIPT.read_bytes()), *sources]).encode())
    cached = CACHE / f"pyc-{key[:16]}.json"
    if cached.exists():
        made = json.loads(cached.read_text(encoding="utf-8"))
    else:
        made = json.loads(_node("compile", *sources))
        CACHE.mkdir(parents=True, exist_ok=True)
        for old in CACHE.glob("pyc-*.json"):
            if old != cached:
                old.unlink(missing_ok=True)
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(made, sort_keys=True), encoding="utf-8")
        tmp.replace(cached)
    return {name: base64.b64decode(pyc) for name, pyc in made.items()}


def build(wheel: Path) -> bytes:
    """The trimmed zip: same bytes for the same Pyodide, wheel and lists (fixed dates, sorted)."""
    names = used_files(wheel)
    pycs = compiled(names)
    entries = {name[:-3] + ".pyc" if name in pycs else name: name for name in names}
    out = io.BytesIO()
    with zipfile.ZipFile(FULL_ZIP) as full, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for entry in sorted(entries):
            name = entries[entry]
            z.writestr(zipfile.ZipInfo(entry, _EPOCH), pycs[name] if name in pycs else full.read(name))
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    data = build(build_wheel())
    if args.out:
        args.out.write_bytes(data)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    print(f"{len(names)} files, {len(data)} bytes (full zip: {FULL_ZIP.stat().st_size} bytes)")
    print("\n".join(names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
