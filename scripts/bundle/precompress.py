"""Write `name.br` (brotli, quality 11) and `name.gz` (gzip: level 9, or Zopfli for a file of
1 MB or more) beside every compressible file of a built site, so that the server sends them as
they are (nginx's brotli_static and gzip_static) instead of compressing on every request, or not
at all (ARCHITECTURE.md, D10). Zopfli writes ordinary gzip that every browser reads, a few percent
smaller than level 9 and many times slower, so only for the few large files (most of a first
visit to the calculator), which change only with Pyodide or the standard library the calculator
uses.

Which files are compressible is said once, in scripts/server/headers.yaml (`types`). A copy is
kept only when it is smaller. Compressing Pyodide's WebAssembly at these levels is slow, so every
result is kept in build/precompressed/, by content hash: a rebuild compresses only what changed.

    python -m scripts.bundle.precompress [SITE_DIR]    (make site does it for site/)
"""
from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import sys
import zipfile
from pathlib import Path

import brotli
import zopfli.gzip  # also binds zopfli, for its __version__

from scripts.server import server_config

ROOT = Path(__file__).resolve().parents[2]
CACHE_DIR = ROOT / "build" / "precompressed"
ENCODINGS = (".br", ".gz")
# part of every cache key: other settings or another library version make other files
ZOPFLI_FROM = 1_000_000  # bytes
_SETTINGS = f"brotli {brotli.version} q11 lgwin24; gzip 9 mtime0; zopfli {zopfli.__version__} i1 from {ZOPFLI_FROM}".encode()


def compressible(path: Path) -> bool:
    kind = server_config.rules().types.get(path.suffix.lower().lstrip("."))
    if kind is None or kind[1] == "no":
        return False
    if kind[1] == "when stored":  # a zip whose entries are deflated does not shrink any more
        try:
            with zipfile.ZipFile(path) as z:
                return all(i.compress_type == zipfile.ZIP_STORED for i in z.infolist())
        except zipfile.BadZipFile:
            return False
    return True


def _compress(data: bytes, encoding: str) -> bytes:
    if encoding == ".br":
        return brotli.compress(data, quality=11, lgwin=24)
    if len(data) >= ZOPFLI_FROM:  # one iteration: Zopfli's default of 15 gains almost nothing for far longer (D10)
        return zopfli.gzip.compress(data, numiterations=1)
    return gzip.compress(data, compresslevel=9, mtime=0)


def _cached(data: bytes, encoding: str) -> Path:
    key = hashlib.sha256(_SETTINGS + b"\0" + data).hexdigest()
    path = CACHE_DIR / key[:2] / f"{key}{encoding}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(_compress(data, encoding))
        tmp.replace(path)
    return path


def _place(cached: Path, target: Path) -> None:
    """The cached file at `target` (a hard link when possible: the cache is never modified)."""
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        os.link(cached, tmp)
    except OSError:
        shutil.copyfile(cached, tmp)
    tmp.replace(target)


def precompress(site_dir: Path) -> dict[str, int]:
    """Bring every .br/.gz of `site_dir` up to date with its file; remove those whose file is gone.
    Returns counts: files compressed and copies written."""
    site_dir = Path(site_dir)
    files = [p for p in sorted(site_dir.rglob("*")) if p.is_file() and not p.name.startswith(".")]
    present = set(files)
    counts = {"files": 0, "copies": 0, "removed": 0}
    for path in files:
        if path.suffix in ENCODINGS:
            original = path.with_suffix("")
            # ours, and its file is gone (or no longer compressible): stale, a server would send it
            if original not in present and (path.suffix == ".br" or _is_ours(original)):
                path.unlink()
                counts["removed"] += 1
            continue
        if not compressible(path):
            continue
        data = path.read_bytes()
        counts["files"] += 1
        for encoding in ENCODINGS:
            target = path.with_name(path.name + encoding)
            cached = _cached(data, encoding)
            if cached.stat().st_size >= len(data):
                target.unlink(missing_ok=True)
                continue
            if not (target.exists() and (os.path.samefile(target, cached) or target.read_bytes() == cached.read_bytes())):
                _place(cached, target)
            counts["copies"] += 1
    return counts


def _is_ours(original: Path) -> bool:
    """A `.gz` next to where a compressible file would be is one this module wrote (a `.gz` that is
    a file of the site in its own right, such as the Pyodide snapshot, has no such neighbour)."""
    kind = server_config.rules().types.get(original.suffix.lower().lstrip("."))
    return kind is not None and kind[1] != "no"


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    site = Path(args[0]) if args else ROOT / "site"
    counts = precompress(site)
    print(f"precompress: {counts['files']} files, {counts['copies']} .br/.gz copies"
          + (f", {counts['removed']} stale removed" if counts["removed"] else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
