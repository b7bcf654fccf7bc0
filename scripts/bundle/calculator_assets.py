"""Install everything the in-browser calculator needs into the built site, after MkDocs built it.

    site/assets/pyodide/        Pyodide's core files, copied from node_modules/pyodide (once), and
                                the trimmed standard library python_stdlib.<hash>.zip
                                (scripts/bundle/pyodide_stdlib.py) in place of Pyodide's full one
    site/assets/calculator/     the calculator wheel (content-hashed name), rules.<version>.json,
                                manifest.json (what the worker loads: wheel, stdlib, rules, version,
                                Pyodide's files, the snapshot's cache, and each entry module's
                                imports, so that pages keep all their files for offline use; for
                                tools: `folder` names the deployment's folder)
    site/assets/calculator/v-<hash>/
                                the calculator's modules and styles with a manifest of their own
                                (paths relative to it), in a folder named by the content of all
                                of them: the pages name it, so a page's scripts, its worker and
                                the rules that worker loads always come from the page's deployment
    site/sw.js                  the service worker (scope: the whole site), cache names versioned
                                by the content of what they cache, names filled in from here, with
                                what an offline visit of this deployment needs
    site/assets/{js,stylesheets,calculator}/*.{js,css}
                                our own scripts and styles, minified (scripts/bundle/asset_minify.py);
                                those of assets/js and assets/stylesheets named <name>.<hash>.<ext>
    every site/**/*.html        those names in place of the source names, and the site's
                                Content-Security-Policy as a <meta> (scripts/server/headers.yaml;
                                servers also send it as a header); a page with an inline script
                                fails the build (both skipped under `mkdocs serve`)

Called by scripts/pages/mkdocs_hooks.py after each language's build (mkdocs-static-i18n builds /en/
into the same site/ afterwards), so every step is idempotent and cheap to repeat.
"""
from __future__ import annotations

import hashlib
import os
import json
import posixpath
import re
import shutil
from pathlib import Path
from typing import Any, Iterable, Mapping
from scripts.bundle import asset_minify
from scripts.bundle import pyodide_stdlib
from scripts.bundle.wheel import build_wheel
from scripts.server import server_config
from scripts.files import write_if_changed

ROOT = Path(__file__).resolve().parents[2]
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
# The names the browser code shares, in one place. The worker knows only MANIFEST (in
# assets/calculator/); the manifest names everything else it loads and keeps (see install), and
# the service worker gets its names filled in (write_service_worker).
MANIFEST = "manifest.json"
CALCULATOR_PATH = "assets/calculator/"  # folders of the site
PYODIDE_PATH = "assets/pyodide/"
# Pyodide's files the worker loads (the lock file's contents are in the manifest), and what the site
# ships of the npm package; python_stdlib.zip is replaced by a trimmed one
PYODIDE_LOADED = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
PYODIDE_FILES = PYODIDE_LOADED + ("pyodide-lock.json",)
# Cache Storage: the service worker's caches are named <prefix><content version>, and on activation
# it deletes every cache with one of these prefixes but its own; the worker keeps Python's memory
# snapshot in SNAPSHOT_CACHE, which that clean-up must leave alone.
CACHE_PREFIXES = {"site": "site-", "pyodide": "pyodide-"}
SNAPSHOT_CACHE = "calculator-snapshot"
assert not SNAPSHOT_CACHE.startswith(tuple(CACHE_PREFIXES.values()))
# The calculator's entry modules: each one's module graph is listed in the manifest, so that the
# pages can ask the service worker to keep every file they need (docs/assets/calculator/offline.js).
ENTRY_MODULES = ("app.js", "lists.js", "worker.js")
SW_SOURCE = Path(__file__).with_name("service_worker.js")
# The deployment's folder of calculator modules, and our other scripts' and styles' hashed names
VERSION_FOLDER = re.compile(r"v-[0-9a-f]{12}")
HASHED_DIRS = ("assets/js", "assets/stylesheets")  # our files there: the names in docs/<dir>/
DOCS_DIR = ROOT / "docs"



# --- small helpers ----------------------------------------------------------------------------
def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()




# --- Pyodide ----------------------------------------------------------------------------------
def pyodide_version() -> str:
    return json.loads((PYODIDE_DIR / "package.json").read_text(encoding="utf-8"))["version"]


def pyodide_lock() -> dict:
    """What the worker hands loadPyodide as its lock file: the pinned lock's `info` (Pyodide checks
    its ABI version) and no packages, as the calculator loads none, so the full file is never fetched."""
    lock = json.loads((PYODIDE_DIR / "pyodide-lock.json").read_text(encoding="utf-8"))
    return {"info": lock["info"], "packages": {}}


def copy_pyodide(site_dir: Path) -> Path:
    """Copy the core files (skipped when an identical copy is already there)."""
    missing = [name for name in PYODIDE_FILES if not (PYODIDE_DIR / name).is_file()]
    if missing:
        raise FileNotFoundError(f"node_modules/pyodide lacks {missing}: run `npm ci` (make setup)")
    target = site_dir / PYODIDE_PATH
    target.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        src, dst = PYODIDE_DIR / name, target / name
        s = src.stat()
        if dst.exists():
            d = dst.stat()
            if d.st_size == s.st_size and int(d.st_mtime) == int(s.st_mtime):
                continue
        shutil.copy2(src, dst)
    return target


# --- the standard library -------------------------------------------------------------------
def install_stdlib(site_dir: Path, wheel: Path) -> Path:
    """site/assets/pyodide/python_stdlib.<hash>.zip, the only stdlib zip there."""
    data = pyodide_stdlib.build(wheel)
    target = site_dir / PYODIDE_PATH / f"python_stdlib.{_sha256(data)[:12]}.zip"
    for old in target.parent.glob("python_stdlib*.zip"):
        if old != target:
            old.unlink()
    write_if_changed(target, data)
    return target


# --- the rules bundle -------------------------------------------------------------------------
def rules_bundle(policy: Mapping[str, Any]) -> dict[str, Any]:
    """The rules bundle the calculator loads (scripts/bundle/rules_bundle.py)."""
    from scripts.bundle.rules_bundle import build_bundle
    return build_bundle(policy)


def bundle_text(bundle: Mapping[str, Any]) -> str:
    return json.dumps(bundle, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


# --- the browser modules --------------------------------------------------------------------
# a static import or re-export of a module of the same folder, readable or minified:
# `import { a } from "./a.js";`, `import"./b.js"`, `export{c}from"./c.js"`
_STATIC_IMPORT = re.compile(r"""(?:^|[\s;{}])(?:import|export)\b[^"'`;]*?["'](\./[\w.-]+\.js)["']""")


def module_graph(folder: Path, entry: str) -> list[str]:
    """`entry` and every module it imports statically, directly or not, as file names in `folder`
    (entry first, then in the order found). A worker is a graph of its own: boot.js starting
    worker.js does not put worker.js in boot.js's graph."""
    found = [entry]
    for name in found:
        text = (folder / name).read_text(encoding="utf-8")
        for imported in _STATIC_IMPORT.findall(text):
            imported = imported[2:]
            if not (folder / imported).is_file():
                raise FileNotFoundError(f"{folder / name} imports {imported}, which is not there")
            if imported not in found:
                found.append(imported)
    return found


# --- service worker ---------------------------------------------------------------------------
_NOT_VERSIONED = {"sw.js", "search/search_index.json"}
_SITEMAPS = {"sitemap.xml", "sitemap.xml.gz"}  # the site's and each language's: dated every build


def _content_version(site_dir: Path, files: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for path in sorted(files):
        rel = path.relative_to(site_dir).as_posix()
        h.update(rel.encode() + b"\0" + _file_sha(path).encode() + b"\n")
    return h.hexdigest()[:16]


_REF = re.compile(r"<(script|link)\b([^>]*)>", re.I)
_ATTR = re.compile(r"""\b(src|href|rel)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_SUBRESOURCE_RELS = {"stylesheet", "modulepreload", "icon"}


def page_files(html_text: str, page: str) -> set[str]:
    """The site paths of the scripts, styles, preloaded modules and icon a page at site path `page`
    loads (what an offline visit of it needs besides its HTML)."""
    found = set()
    for tag, attrs in _REF.findall(html_text):
        values = {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in _ATTR.finditer(attrs)}
        url = values.get("src") if tag.lower() == "script" else (
            values.get("href") if set(values.get("rel", "").lower().split()) & _SUBRESOURCE_RELS else None)
        if not url or re.match(r"[a-z][a-z0-9+.-]*:|//", url, re.I):
            continue
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page), url.split("#")[0].split("?")[0]))
        path = path.lstrip("/")  # the 404 pages name files from the site's root
        if not path.startswith("../"):
            found.add(path)
    return found


def offline_needs(site_dir: Path) -> dict[str, list[str]]:
    """What an offline visit of this build needs besides a page's HTML, as site paths: `shell`, the
    files the pages load outside the calculator; `calculator`, what a calculator page and its worker
    load (the deployment's folder, its manifest's files); `calculator_pages`, the pages that run it."""
    shell: set[str] = set()
    pages: set[str] = set()
    for page in site_dir.rglob("*.html"):
        rel = page.relative_to(site_dir).as_posix()
        files = page_files(page.read_text(encoding="utf-8"), rel)
        if any(f.startswith(CALCULATOR_PATH) for f in files):
            pages.add(rel.removesuffix("index.html"))
        shell |= {f for f in files if not f.startswith(CALCULATOR_PATH)}
    calculator: set[str] = set()
    manifest_path = site_dir / CALCULATOR_PATH / MANIFEST
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        folder = CALCULATOR_PATH + manifest["folder"]
        calculator |= {folder + p.name for p in (site_dir / folder).iterdir()
                       if p.is_file() and p.suffix not in (".br", ".gz")}
        named = [manifest["rules"], manifest["wheel"], manifest["stdlib"], *manifest["pyodide_files"]]
        calculator |= {posixpath.normpath(CALCULATOR_PATH + name) for name in named}
    return {"shell": sorted(shell), "calculator": sorted(calculator), "calculator_pages": sorted(pages)}


def write_service_worker(site_dir: Path, serving: bool) -> str:
    """site/sw.js; returns the site cache name."""
    if serving:  # `mkdocs serve`: a worker that removes itself and its caches, so reloads stay live
        text = ("// mkdocs serve: no offline cache while editing.\n"
                "self.addEventListener('install', () => self.skipWaiting());\n"
                "self.addEventListener('activate', (e) => e.waitUntil((async () => {\n"
                "  for (const k of await caches.keys()) await caches.delete(k);\n"
                "  await self.registration.unregister();\n})()));\n")
        write_if_changed(site_dir / "sw.js", text.encode())
        return ""
    pyodide_dir = site_dir / PYODIDE_PATH
    pyodide_files = [pyodide_dir / n for n in PYODIDE_FILES] + sorted(pyodide_dir.glob("python_stdlib.*.zip"))
    site_files = [p for p in site_dir.rglob("*") if p.is_file()
                  and p.relative_to(site_dir).as_posix() not in _NOT_VERSIONED
                  and p.name not in _SITEMAPS
                  and not p.name.startswith(".")
                  and pyodide_dir not in p.parents]
    site_cache = CACHE_PREFIXES["site"] + _content_version(site_dir, site_files)
    pyodide_cache = f"{CACHE_PREFIXES['pyodide']}{pyodide_version()}-" + _content_version(site_dir, pyodide_files)[:8]
    text = SW_SOURCE.read_text(encoding="utf-8")
    needs = offline_needs(site_dir)
    names = {"__SITE_CACHE__": site_cache, "__PYODIDE_CACHE__": pyodide_cache,
             "__CACHE_PREFIXES__": " ".join(CACHE_PREFIXES.values()), "__PYODIDE_PATH__": PYODIDE_PATH,
             "__SHELL__": json.dumps(needs["shell"]), "__CALCULATOR__": json.dumps(needs["calculator"]),
             "__CALCULATOR_PAGES__": json.dumps(needs["calculator_pages"])}
    for placeholder, name in names.items():
        if placeholder not in text:
            raise ValueError(f"{SW_SOURCE.name} lacks {placeholder}")
        text = text.replace(placeholder, name)
    write_if_changed(site_dir / "sw.js", asset_minify.minify_js(text).encode())
    return site_cache


# --- Content-Security-Policy ------------------------------------------------------------------
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>', re.I)
_CHARSET = re.compile(r"<meta\s+charset=[\"']?[\w-]+[\"']?\s*/?>", re.I)
_HEAD = re.compile(r"<head\b[^>]*>", re.I)
_SRC_ATTR = re.compile(r"\ssrc\s*=", re.I)


_DATA_TYPES = {"application/json", "application/ld+json", "importmap"}
_TYPE_ATTR = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)


def inline_scripts(html_text: str) -> list[str]:
    """The start of every inline script the browser would run (not data blocks such as
    <script type="application/json">): the site's CSP allows none."""
    out = []
    for attrs, body in _SCRIPT.findall(html_text):
        kind = _TYPE_ATTR.search(attrs)
        if _SRC_ATTR.search(" " + attrs) or (kind and kind.group(1).lower() in _DATA_TYPES) or not body.strip():
            continue
        out.append(body.strip()[:80])
    return out


def csp_for(html_text: str) -> str:
    found = inline_scripts(html_text)
    if found:
        raise ValueError(f"an inline script, which the Content-Security-Policy blocks: {found[0]!r}... "
                         "Put it in a file under docs/assets/ (overrides/ shows how for Material's own)")
    return server_config.csp_meta()


def add_csp(html_text: str) -> str:
    """The page with exactly one CSP <meta>, placed before anything it governs."""
    text = _CSP_META.sub("", html_text)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{csp_for(text)}">'
    first_script = text.lower().find("<script")
    charset = _CHARSET.search(text)
    anchor = charset if charset and (first_script < 0 or charset.start() < first_script) else _HEAD.search(text)
    if anchor is None:
        raise ValueError("page has no <head>")
    return text[:anchor.end()] + meta + text[anchor.end():]


_ASSET_REF = re.compile(r"(?<=[\"'/=])assets/(?:js|stylesheets|calculator)/[\w.-]+\.(?:js|css)(?=[\"'\s>?#])")


def finish_pages(site_dir: Path, renamed: Mapping[str, str], csp: bool) -> int:
    """Every page with our scripts and styles under their built names (`renamed`: source site path
    -> built one) and, when `csp`, its Content-Security-Policy <meta>."""
    count = 0
    for page in sorted(site_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        new = _ASSET_REF.sub(lambda m: renamed.get(m.group(0), m.group(0)), text)
        try:
            new = add_csp(new) if csp else new
        except ValueError as error:
            raise ValueError(f"{page.relative_to(site_dir)}: {error}") from None
        if new != text:
            page.write_text(new, encoding="utf-8")
        count += 1
    return count


# --- one deployment's names -------------------------------------------------------------------
def _modules_dir(calc_dir: Path) -> Path:
    """Where the calculator's modules are: loose in assets/calculator/ as MkDocs copied them, or
    already in their folder (an earlier pass of this build: MkDocs copies docs/assets/ once)."""
    if any(calc_dir.glob("*.js")):
        return calc_dir
    folders = [p for p in calc_dir.glob("v-*") if p.is_dir() and VERSION_FOLDER.fullmatch(p.name)]
    if len(folders) != 1:
        raise FileNotFoundError(f"{calc_dir} holds no calculator modules (docs/assets/calculator/)")
    return folders[0]


def _from_folder(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """The manifest with the paths it names relative to the deployment's folder, one level down."""
    up = lambda name: "../" + name  # noqa: E731
    return {**manifest, "rules": up(manifest["rules"]), "wheel": up(manifest["wheel"]),
            "stdlib": up(manifest["stdlib"]), "pyodide_index": up(manifest["pyodide_index"]),
            "pyodide_files": [up(name) for name in manifest["pyodide_files"]]}


def version_modules(calc_dir: Path, manifest: Mapping[str, Any]) -> Path:
    """Move the loose modules and styles of assets/calculator/ into v-<hash of them and of their
    manifest>/ with that manifest; earlier deployments' folders go (publish keeps them one more
    deployment, from the site it replaces)."""
    loose = sorted(p for p in calc_dir.iterdir() if p.is_file() and p.suffix in (".js", ".css"))
    text = json.dumps(_from_folder(manifest), indent=2, sort_keys=True) + "\n"
    h = hashlib.sha256(text.encode())
    for path in loose:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    folder = calc_dir / f"v-{h.hexdigest()[:12]}"
    for old in calc_dir.glob("v-*"):
        if old != folder and old.is_dir() and VERSION_FOLDER.fullmatch(old.name):
            shutil.rmtree(old)
    folder.mkdir(exist_ok=True)
    for path in loose:
        os.replace(path, folder / path.name)
    write_if_changed(folder / MANIFEST, text.encode())
    return folder


def hash_names(site_dir: Path) -> dict[str, str]:
    """Our scripts and styles of HASHED_DIRS renamed <name>.<hash>.<ext> (those an earlier pass of
    this build renamed are found as they are); returns source site path -> built site path."""
    renamed = {}
    for folder in HASHED_DIRS:
        for source in sorted((DOCS_DIR / folder).glob("*")):
            if source.suffix not in (".js", ".css"):
                continue
            site_folder = site_dir / folder
            loose = site_folder / source.name
            built = sorted(site_folder.glob(f"{source.stem}.[0-9a-f]*{source.suffix}"))
            if loose.is_file():
                for old in built:
                    old.unlink()
                target = site_folder / f"{source.stem}.{_file_sha(loose)[:8]}{source.suffix}"
                os.replace(loose, target)
            elif len(built) == 1:
                target = built[0]
            else:
                continue
            renamed[f"{folder}/{source.name}"] = f"{folder}/{target.name}"
    return renamed


# --- entry point ------------------------------------------------------------------------------
def install(policy: dict, site_dir: Path, serving: bool = False) -> None:
    site_dir = Path(site_dir)
    copy_pyodide(site_dir)
    calc_dir = site_dir / CALCULATOR_PATH
    calc_dir.mkdir(parents=True, exist_ok=True)

    wheel = build_wheel()
    wheel_digest = _file_sha(wheel)[:12]
    wheel_rel = f"wheels/{wheel_digest}/{wheel.name}"
    wheel_dst = calc_dir / wheel_rel
    if not wheel_dst.exists():
        wheel_dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(wheel, wheel_dst)

    stdlib = install_stdlib(site_dir, wheel)
    pyodide_rel = os.path.relpath(site_dir / PYODIDE_PATH, calc_dir).replace(os.sep, "/") + "/"  # ../pyodide/
    stdlib_rel = pyodide_rel + stdlib.name

    bundle = rules_bundle(policy)
    version = str(bundle.get("version") or _sha256(bundle_text(bundle).encode())[:12])
    if not re.fullmatch(r"[A-Za-z0-9._-]{1,64}", version):
        raise ValueError(f"rules bundle version {version!r} is not usable in a file name")
    rules_name = f"rules.{version}.json"
    write_if_changed(calc_dir / rules_name, bundle_text(bundle).encode("utf-8"))

    modules_dir = _modules_dir(calc_dir)
    manifest = {"version": version, "rules": rules_name, "wheel": wheel_rel, "stdlib": stdlib_rel,
                "pyodide": pyodide_version(), "pyodide_lock": pyodide_lock(),
                # the rest, for the worker and the pages: file names relative to this manifest
                "pyodide_index": pyodide_rel, "pyodide_files": [pyodide_rel + name for name in PYODIDE_LOADED],
                "modules": {entry: module_graph(modules_dir, entry) for entry in ENTRY_MODULES},
                "snapshot_cache": SNAPSHOT_CACHE}

    if not serving:  # under `mkdocs serve`, readable files and quick reloads
        asset_minify.minify_files(site_dir, asset_minify.own_assets(site_dir))
    if modules_dir == calc_dir:
        modules_dir = version_modules(calc_dir, manifest)
    renamed = hash_names(site_dir)
    renamed.update({f"{CALCULATOR_PATH}{p.name}": f"{CALCULATOR_PATH}{modules_dir.name}/{p.name}"
                    for p in modules_dir.iterdir() if p.suffix in (".js", ".css")})
    manifest["folder"] = modules_dir.name + "/"  # for tools: the pages' folder of this deployment
    write_if_changed(calc_dir / MANIFEST, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())
    finish_pages(site_dir, renamed, csp=not serving)
    write_service_worker(site_dir, serving)
