"""The calculator's wheel: the pure-Python package in calculator/ built with the standard PEP 517
build, once per content of its sources (cached in build/calculator-wheel/), entries stored so
that the host compresses the whole file.

    python -m scripts.bundle.wheel      print the wheel's path (building it if needed)
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The calculator package to ship. CALCULATOR_DIR may point elsewhere (development only).
CALCULATOR_DIR = Path(os.environ.get("CALCULATOR_DIR", ROOT / "calculator"))
WHEEL_CACHE = ROOT / "build" / "calculator-wheel"


def _source_files(project: Path) -> list[Path]:
    skip = {"__pycache__", "build", "dist", ".pytest_cache"}
    files = []
    for path in sorted(project.rglob("*")):
        parts = set(path.relative_to(project).parts)
        if path.is_file() and not (parts & skip) and not any(p.endswith(".egg-info") for p in parts) \
                and path.suffix not in (".pyc", ".pyo"):
            files.append(path)
    return files


def source_hash(project: Path = CALCULATOR_DIR) -> str:
    h = hashlib.sha256()
    for path in _source_files(project):
        if path.relative_to(project).parts[0] in ("src",) or path.name in ("pyproject.toml", "setup.cfg", "setup.py"):
            h.update(str(path.relative_to(project)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _stored(wheel: Path, target: Path) -> None:
    """`wheel` rewritten with its entries stored, not deflated: the host compresses the whole file,
    which does better than deflating it file by file (as the standard library, D3), and it stays
    the same wheel."""
    with zipfile.ZipFile(wheel) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
        for info in src.infolist():
            data = src.read(info)
            info.compress_type = zipfile.ZIP_STORED
            out.writestr(info, data)


def build_wheel(project: Path = CALCULATOR_DIR) -> Path:
    """The pure-Python wheel of the calculator, built once per content of calculator/src with the
    standard PEP 517 build (in a copy of the project, so the source tree stays clean), entries
    stored uncompressed."""
    digest = source_hash(project)[:16]
    out = WHEEL_CACHE / f"stored-{digest}"
    wheels = sorted(out.glob("*.whl")) if out.exists() else []
    if wheels:
        return wheels[0]
    WHEEL_CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="calc-wheel-", dir=WHEEL_CACHE) as tmp:
        copy = Path(tmp) / "project"
        shutil.copytree(project, copy, ignore=shutil.ignore_patterns("__pycache__", "build", "dist", "*.egg-info"))
        dist = Path(tmp) / "dist"
        attempts = [
            # fast and offline: the build backend already installed in this environment
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--skip-dependency-check", "-o", str(dist), str(copy)],
            # the standard isolated build
            [sys.executable, "-m", "build", "--wheel", "-o", str(dist), str(copy)],
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-w", str(dist), str(copy)],
        ]
        errors = []
        for cmd in attempts:
            done = subprocess.run(cmd, capture_output=True, text=True)
            built = sorted(dist.glob("*-py3-none-any.whl")) if dist.exists() else []
            if done.returncode == 0 and built:
                out.mkdir(parents=True, exist_ok=True)
                final = out / built[0].name
                _stored(built[0], final)
                return final
            errors.append(f"$ {' '.join(cmd[2:4])}...\n{done.stdout[-1500:]}{done.stderr[-1500:]}")
        raise RuntimeError("could not build the calculator wheel:\n" + "\n".join(errors))


if __name__ == "__main__":
    print(build_wheel())
