"""Install everything the in-browser calculator needs into the built site, after MkDocs built it.

    site/assets/pyodide/        Pyodide's core files, copied from node_modules/pyodide (once), and
                                the trimmed standard library python_stdlib.<hash>.zip
                                (scripts/bundle/pyodide_stdlib.py) in place of Pyodide's full one
    site/assets/calculator/     the calculator wheel (content-hashed name), rules.<version>.json,
                                manifest.json (what the worker loads: wheel, stdlib, rules, version,
                                Pyodide's files, the snapshot's cache, and the modules each page
                                and the worker run, so that pages keep all their files for offline
                                use; for tools: `folder` names the deployment's folder)
    site/assets/calculator/v-<hash>/
                                the front end (calculator/web/) bundled by esbuild
                                (scripts/bundle/web_bundle.py) with a manifest of its own (paths
                                relative to it), in a folder named by the content of all of them:
                                the pages name it, so a page's scripts, its worker and the rules
                                that worker loads always come from the page's deployment
    site/sw.js                  the service worker (scope: the whole site), cache names versioned
                                by the content of what they cache, names filled in from here, with
                                what an offline visit of this deployment needs
    site/assets/{js,stylesheets}/*.{js,css}
                                our own scripts and styles, minified (scripts/bundle/asset_minify.py)
                                and named <name>.<hash>.<ext>
    every site/**/*.html        those names in place of the source names; a page's modulepreload
                                of a front-end entry module made into one for each module it runs
                                (esbuild's metafile); and the site's Content-Security-Policy as a
                                <meta> (scripts/server/headers.yaml; servers also send it as a
                                header); a page with an inline script fails the build (the CSP and
                                minifying are skipped under `mkdocs serve`)

Called by scripts/pages/mkdocs_hooks.py after each language's build (mkdocs-static-i18n builds /en/
into the same site/ afterwards), so every step is idempotent and cheap to repeat.
"""
from __future__ import annotations

import hashlib
import os
import json
import tempfile
import posixpath
import re
import shutil
from pathlib import Path
from typing import Any, Iterable, Mapping
from scripts.bundle import asset_minify
from scripts.bundle import pyodide_stdlib
from scripts.bundle import web_bundle
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
# The modules each page (by its entry module) and the worker run are listed in the manifest, so that
# the pages can ask the service worker to keep every file they need (calculator/web/offline.js).
ENTRY_MODULES = (*web_bundle.PAGE_ENTRIES, web_bundle.WORKER)
SW_SOURCE = web_bundle.SERVICE_WORKER
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


class PageNeeds:
    """What the pages of a site load (page_files), page by page: `shell`, the files outside the
    calculator; `pages`, the pages that run the calculator."""

    def __init__(self) -> None:
        self.shell: set[str] = set()
        self.pages: set[str] = set()

    def add(self, html_text: str, rel: str) -> None:
        files = page_files(html_text, rel)
        if any(f.startswith(CALCULATOR_PATH) for f in files):
            self.pages.add(rel.removesuffix("index.html"))
        self.shell |= {f for f in files if not f.startswith(CALCULATOR_PATH)}


def offline_needs(site_dir: Path, seen: PageNeeds | None = None) -> dict[str, list[str]]:
    """What an offline visit of this build needs besides a page's HTML, as site paths: `shell`, the
    files the pages load outside the calculator; `calculator`, what a calculator page and its worker
    load (the deployment's folder, its manifest's files); `calculator_pages`, the pages that run it.
    `seen`: every page of site_dir as it is now, already read (finish_pages)."""
    if seen is None:
        seen = PageNeeds()
        for page in site_dir.rglob("*.html"):
            seen.add(page.read_text(encoding="utf-8"), page.relative_to(site_dir).as_posix())
    shell, pages = seen.shell, seen.pages
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


def write_service_worker(site_dir: Path, serving: bool, seen: PageNeeds | None = None) -> str:
    """site/sw.js; returns the site cache name. `seen`: see offline_needs."""
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
    needs = offline_needs(site_dir, seen)
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


_MODULE_TAG = re.compile(r"""<(?:script\b[^>]*\bsrc|link\b[^>]*\bhref)="([^"]*?assets/calculator/)([\w.-]+\.js)"[^>]*>""")


def expand_preloads(html_text: str, imports: Mapping[str, list[str]]) -> str:
    """The page with each `<link rel="modulepreload">` of a front-end module (by its source name,
    assets/calculator/NAME.js) made into one for NAME and for every module it imports (`imports`:
    NAME -> NAME and those, from esbuild's metafile), leaving out what the page names before it."""
    named: set[str] = set()

    def expand(match: re.Match[str]) -> str:
        prefix, name = match.groups()
        tag = match.group(0)
        if not tag.startswith("<link") or 'rel="modulepreload"' not in tag:
            named.add(name)
            return tag
        if name not in imports:
            raise ValueError(f"a modulepreload of {name}, which the front end's bundle does not have")
        wanted = [m for m in imports[name] if m not in named]
        named.update(wanted)
        return "".join(f'<link rel="modulepreload" href="{prefix}{m}">' for m in wanted)

    return _MODULE_TAG.sub(expand, html_text)


def finish_pages(site_dir: Path, renamed: Mapping[str, str], csp: bool,
                 imports: Mapping[str, list[str]] | None = None, pages: Iterable[Path] | None = None,
                 seen: PageNeeds | None = None) -> int:
    """Every page (or only `pages`) with its modulepreloads of the front end expanded (`imports`,
    see expand_preloads), our scripts and styles under their built names (`renamed`: source site
    path -> built one) and, when `csp`, its Content-Security-Policy <meta>. `seen`: given what each
    finished page loads (one reading of every page for this and for the service worker's lists)."""
    count = 0
    for page in sorted(site_dir.rglob("*.html") if pages is None else (p for p in pages if p.is_file())):
        text = page.read_text(encoding="utf-8")
        new = expand_preloads(text, imports) if imports is not None else text
        new = _ASSET_REF.sub(lambda m: renamed.get(m.group(0), m.group(0)), new)
        try:
            new = add_csp(new) if csp else new
        except ValueError as error:
            raise ValueError(f"{page.relative_to(site_dir)}: {error}") from None
        if new != text:
            page.write_text(new, encoding="utf-8")
        if seen is not None:
            seen.add(new, page.relative_to(site_dir).as_posix())
        count += 1
    return count


# --- one deployment's names -------------------------------------------------------------------
def _from_folder(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """The manifest with the paths it names relative to the deployment's folder, one level down."""
    up = lambda name: "../" + name  # noqa: E731
    return {**manifest, "rules": up(manifest["rules"]), "wheel": up(manifest["wheel"]),
            "stdlib": up(manifest["stdlib"]), "pyodide_index": up(manifest["pyodide_index"]),
            "pyodide_files": [up(name) for name in manifest["pyodide_files"]],
            "sizes": {up(name): size for name, size in manifest["sizes"].items()}}


def install_modules(calc_dir: Path, manifest: dict[str, Any], minify: bool) -> tuple[Path, web_bundle.Bundle]:
    """The front end bundled (calculator/web/, scripts/bundle/web_bundle.py) into v-<hash of its
    files and of their manifest>/ with that manifest; sets `manifest["modules"]`, the modules each
    page and the worker run. Earlier deployments' folders go (publish keeps them one more
    deployment, from the site it replaces)."""
    with tempfile.TemporaryDirectory() as tmp:
        bundle = web_bundle.build(Path(tmp), minify)
        manifest["modules"] = {**{entry: bundle.page_modules(entry) for entry in web_bundle.PAGE_ENTRIES},
                               web_bundle.WORKER: bundle.closure(web_bundle.WORKER)}
        text = json.dumps(_from_folder(manifest), indent=2, sort_keys=True) + "\n"
        # minified (a deployment): named by the manifest too, which names the rules, so a new
        # policy is a new folder (D7); under `mkdocs serve` by the code alone, so that an edit of
        # the policy does not rename what every page loads (the preview rebuilds only some pages)
        h = hashlib.sha256(text.encode() if minify else b"")
        for name in bundle.files:
            h.update(name.encode() + b"\0" + (bundle.folder / name).read_bytes() + b"\0")
        folder = calc_dir / f"v-{h.hexdigest()[:12]}"
        for old in calc_dir.glob("v-*"):
            if old != folder and old.is_dir() and VERSION_FOLDER.fullmatch(old.name):
                shutil.rmtree(old)
        folder.mkdir(exist_ok=True)
        for name in bundle.files:
            write_if_changed(folder / name, (bundle.folder / name).read_bytes())
    write_if_changed(folder / MANIFEST, text.encode())
    return folder, web_bundle.Bundle(folder, bundle.files, bundle.imports)


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
# The names the last install gave the pages (site folder, `renamed`, `imports`): when a preview's
# build has the same, only the pages it wrote need them (install's `pages`).
_finished: dict[str, Any] = {}


def install(policy: dict, site_dir: Path, serving: bool = False, pages: Iterable[Path] | None = None) -> None:
    """The calculator's assets into `site_dir`, and every page finished (finish_pages). `pages`:
    the pages this build wrote, when the rest of site_dir was finished by an earlier install (the
    live preview's builds, scripts/pages/preview.py): those alone are finished, unless a name changed."""
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
    for old in calc_dir.glob("rules.*.json"):   # an earlier build's, in the same folder (the live preview)
        if old.name != rules_name:
            old.unlink()

    manifest: dict[str, Any] = {
        "version": version, "rules": rules_name, "wheel": wheel_rel, "stdlib": stdlib_rel,
        "pyodide": pyodide_version(), "pyodide_lock": pyodide_lock(),
        # the rest, for the worker and the pages: file names relative to this manifest
        "pyodide_index": pyodide_rel, "pyodide_files": [pyodide_rel + name for name in PYODIDE_LOADED],
        "snapshot_cache": SNAPSHOT_CACHE}
    # what a first start downloads, in bytes as read (not as sent: a host may compress): the page's
    # progress bar counts the bytes received against them
    downloads = [rules_name, wheel_rel, stdlib_rel, *manifest["pyodide_files"]]
    manifest["sizes"] = {name: (calc_dir / name).stat().st_size for name in downloads}

    if not serving:  # under `mkdocs serve`, readable files and quick reloads
        asset_minify.minify_files(site_dir, asset_minify.own_assets(site_dir))
    modules_dir, web = install_modules(calc_dir, manifest, minify=not serving)
    renamed = hash_names(site_dir)
    renamed.update({f"{CALCULATOR_PATH}{name}": f"{CALCULATOR_PATH}{modules_dir.name}/{name}"
                    for name in web.files})
    manifest["folder"] = modules_dir.name + "/"  # for tools: the pages' folder of this deployment
    write_if_changed(calc_dir / MANIFEST, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())
    imports = {name: web.closure(name) for name in web.files if name.endswith(".js")}
    names = json.dumps([str(site_dir), renamed, imports, serving], sort_keys=True)
    some = pages if _finished.get("names") == names else None
    seen = PageNeeds() if some is None and not serving else None
    finish_pages(site_dir, renamed, csp=not serving, imports=imports, pages=some, seen=seen)
    _finished["names"] = names
    write_service_worker(site_dir, serving, seen)
