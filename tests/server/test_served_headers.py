"""What nginx, with the production configuration, sends for the built site: the precompressed
copy a browser asks for (brotli, or gzip when only gzip is accepted), the right types, the cache
rule of each file, the security headers on every response, the 404 pages of both languages, no
folder listings. Read from the requests a browser makes and from direct requests."""
from __future__ import annotations

import gzip
import http.client
import json
import os
import posixpath
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import pytest
from playwright.sync_api import Page

from scripts.bundle import precompress
from scripts.server import server_config

ROOT = Path(__file__).resolve().parents[2]
SITE_DIR = Path(os.environ.get("SITE_DIR", ROOT / "site"))
TEXT_TYPES = ("text/", "application/json", "application/manifest+json", "application/xml", "image/svg+xml")


def _get(base_url: str, path: str, accept: str | None) -> tuple[int, dict[str, str], bytes]:
    host = urlsplit(base_url)
    conn = http.client.HTTPConnection(host.netloc, timeout=30)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": accept} if accept else {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def _file_for(path: str) -> Path:
    file = SITE_DIR / path.lstrip("/")
    return file / "index.html" if path.endswith("/") else file


def _expected_type(file: Path) -> str:
    ctype = server_config.rules().types[file.suffix.lstrip(".")][0]
    return f"{ctype}; charset=utf-8" if ctype.startswith(TEXT_TYPES) else ctype


def _check_common(path: str, headers: dict[str, str]) -> None:
    for name, value in server_config.rules().headers.items():
        assert headers.get(name.lower()) == value, f"{path}: {name}: {headers.get(name.lower())!r}"
    assert "strict-transport-security" not in headers  # plain http here; the TLS server sends it


def _served_paths() -> list[str]:
    """Pages of both languages, the calculator, every file of the calculator and of Pyodide,
    Material's scripts, the service worker."""
    pages = ["/", "/en/", "/calculator/", "/en/calculator/", "/measures/return-to-work/", "/en/staff-guide/"]
    files = [p for folder in ("assets/calculator", "assets/pyodide", "assets/javascripts", "assets/stylesheets", "assets/js")
             for p in sorted((SITE_DIR / folder).rglob("*"))
             if p.is_file() and p.suffix not in (".br", ".gz", ".map") or p.name.endswith(".snapshot.gz")]
    files = [p for p in files if "lunr" not in p.parts]
    return pages + ["/" + p.relative_to(SITE_DIR).as_posix() for p in files] + ["/sw.js", "/sitemap.xml"]


def test_every_file_is_sent_compressed_typed_and_cached_as_configured(base_url: str) -> None:
    paths = _served_paths()
    assert any(p.endswith(".wasm") for p in paths) and any(p.endswith("/worker.js") for p in paths)
    for path in paths:
        file = _file_for(path)
        data = file.read_bytes()
        br, gz = file.with_name(file.name + ".br"), file.with_name(file.name + ".gz")
        status, plain_headers, plain = _get(base_url, path, None)
        assert status == 200 and plain == data, path
        assert "content-encoding" not in plain_headers, path
        assert plain_headers["content-type"] == _expected_type(file), path
        assert plain_headers["cache-control"] == server_config.cache_control_for(urlsplit(path).path
                                                                                  + ("index.html" if path.endswith("/") else "")), path
        _check_common(path, plain_headers)
        if not precompress.compressible(file):
            _, headers, body = _get(base_url, path, "br, gzip")
            assert "content-encoding" not in headers and body == data, f"{path} is compressed again"
            continue
        if not br.exists() and len(brotli.compress(data, quality=11, lgwin=24)) >= len(data):
            # one that does not shrink (a 60-byte module of the bundle) is kept only as it is; the
            # server gzips it as any compressible file without its .gz
            _, headers, body = _get(base_url, path, "br, gzip")
            assert (gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body) == data, path
            continue
        assert br.exists() and gz.exists(), f"{path}: the build wrote no .br/.gz"
        assert "accept-encoding" in plain_headers.get("vary", "").lower(), path
        _, headers, body = _get(base_url, path, "gzip, deflate, br, zstd")  # what Chromium sends
        assert headers.get("content-encoding") == "br" and brotli.decompress(body) == data, path
        assert int(headers["content-length"]) == br.stat().st_size, path
        assert "accept-encoding" in headers.get("vary", "").lower(), path
        assert headers["content-type"] == _expected_type(file), path
        _, headers, body = _get(base_url, path, "gzip")
        assert headers.get("content-encoding") == "gzip" and gzip.decompress(body) == data, path
        assert int(headers["content-length"]) == gz.stat().st_size, path


def test_cache_rules_of_the_files_that_matter(base_url: str) -> None:
    immutable = "public, max-age=31536000, immutable"
    calc = "/assets/calculator/"
    manifest = json.loads((SITE_DIR / "assets/calculator/manifest.json").read_text(encoding="utf-8"))
    hashed = [posixpath.normpath(calc + manifest[k]) for k in ("wheel", "rules", "snapshot", "stdlib") if k in manifest]
    folder = calc + manifest["folder"]  # the deployment's modules, styles and their manifest
    hashed += [folder + name for name in ("app.js", "worker.js", "calculator.css", "manifest.json")]
    hashed += ["/" + p.relative_to(SITE_DIR).as_posix() for d in ("js", "stylesheets")
               for p in (SITE_DIR / "assets" / d).glob("*.*.*s") if p.suffix in (".js", ".css")]
    for path in hashed:
        assert _get(base_url, path, None)[1]["cache-control"] == immutable, path
    bundle = next((SITE_DIR / "assets/javascripts").glob("bundle.*.min.js")).name
    assert _get(base_url, f"/assets/javascripts/{bundle}", None)[1]["cache-control"] == immutable
    for path in ("/", "/en/calculator/", "/sw.js", calc + "manifest.json", "/assets/pyodide/pyodide.asm.wasm"):
        assert _get(base_url, path, None)[1]["cache-control"] == "no-cache", path
    assert "etag" in _get(base_url, "/sw.js", None)[1]  # so revalidation answers 304


@pytest.mark.parametrize("path, lang", [("/no-such-page/", "zh"), ("/measures/nothing", "zh"),
                                        ("/en/no-such-page/", "en"), ("/en/measures/nothing", "en")])
def test_missing_pages_get_the_404_page_of_their_language(base_url: str, path: str, lang: str) -> None:
    status, headers, body = _get(base_url, path, "br")
    assert status == 404
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers.get("content-encoding") == "br"
    page = SITE_DIR / ("en/404.html" if lang == "en" else "404.html")
    assert brotli.decompress(body) == page.read_bytes()
    assert f'<html lang="{lang}' in page.read_text(encoding="utf-8")
    _check_common(path, headers)


def test_no_folder_listing_and_nothing_hidden_is_served(base_url: str) -> None:
    for path in ("/assets/", "/assets/pyodide/", "/en/assets/", "/_headers", "/_redirects", "/.site-old/"):
        status, headers, body = _get(base_url, path, None)
        assert status == 404, path
        assert b"Index of" not in body and b"pyodide.asm.wasm" not in body, path
        _check_common(path, headers)
    status, headers, _ = _get(base_url, "/en", None)
    assert status == 301 and headers["location"] == "/en/"


def test_every_response_of_a_calculator_visit_carries_the_headers(page: Page, base_url: str) -> None:
    """In Chromium: the guide page and the calculator, its worker, Pyodide's files, all brotli."""
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto("/audiences/graduates/")
    page.goto("/en/calculator/")
    page.wait_for_selector('#calc[data-phase="ready"]', state="attached", timeout=120_000)
    by_path = {}
    for response in responses:
        path = urlsplit(response.url).path
        headers = response.all_headers()
        _check_common(path, headers)
        file = _file_for(path)
        fresh = "content-type" in headers  # not a 304 revalidation of a cached copy
        if fresh or path not in by_path:  # e.g. Pyodide's WebAssembly: boot.js's head start, then a revalidation
            by_path[path] = headers
        if response.status == 200 and fresh and precompress.compressible(file) and file.stat().st_size > 1000:
            assert headers.get("content-encoding") == "br", path
    folder = "/assets/calculator/" + json.loads((SITE_DIR / "assets/calculator/manifest.json").read_text(encoding="utf-8"))["folder"]
    for needed in ("/en/calculator/", folder + "worker.js", "/assets/pyodide/pyodide.asm.wasm", folder + "manifest.json"):
        assert needed in by_path, sorted(by_path)
    assert by_path["/assets/pyodide/pyodide.asm.wasm"]["content-type"] == "application/wasm"
