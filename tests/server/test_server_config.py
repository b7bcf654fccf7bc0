"""The server configurations come from one source and say what it says; the build leaves a
compressed copy beside every compressible file (no server needed for these)."""
from __future__ import annotations

import gzip
import os
import subprocess
import zipfile
from pathlib import Path

import brotli
import pytest

from scripts.bundle import precompress
from scripts.server import local_nginx, server_config

ROOT = Path(__file__).resolve().parents[2]
SITE_DIR = Path(os.environ.get("SITE_DIR", ROOT / "site"))
site_built = pytest.mark.skipif(not (SITE_DIR / "index.html").exists(), reason="no built site (make site)")


def test_checked_in_nginx_configuration_is_written_from_the_source() -> None:
    assert server_config.PRODUCTION_CONF.read_text(encoding="utf-8") == server_config.production_conf(), \
        "scripts/server/nginx/employment-guide.conf is out of date: run `make server-config`"


def test_nginx_accepts_both_configurations(tmp_path: Path) -> None:
    if not Path(local_nginx.NGINX).exists():
        pytest.skip("nginx is not installed (make setup installs it)")
    for folder in ("logs", "tmp"):
        (tmp_path / folder).mkdir()
    local = tmp_path / "local.conf"
    local.write_text(server_config.local_conf(tmp_path, 8, tmp_path), encoding="utf-8")
    # the production file sits in Debian's http block; its TLS files are the operator's
    prod = server_config.production_conf().replace("listen 443 ssl http2;", "listen 443;") \
        .replace("listen [::]:443 ssl http2;", "").replace("ssl_certificate", "# ssl_certificate")
    wrapper = tmp_path / "prod.conf"
    wrapper.write_text(server_config.local_conf(tmp_path, 8, tmp_path).split("http {")[0]
                       + "http {\n" + prod + "}\n", encoding="utf-8")
    for conf in (local, wrapper):
        done = subprocess.run([local_nginx.NGINX, "-t", "-q", "-p", str(tmp_path), "-e", str(tmp_path / "logs/e.log"),
                               "-c", str(conf)], capture_output=True, text=True)
        assert done.returncode == 0, f"{conf.name}: {done.stderr}"


def test_one_policy_for_header_meta_and_headers_file() -> None:
    headers = server_config.rules().headers
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self' 'wasm-unsafe-eval';" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert server_config.csp_meta() == csp.replace("; frame-ancestors 'none'", "")
    assert headers["Referrer-Policy"] == "no-referrer" and headers["X-Content-Type-Options"] == "nosniff"
    text = server_config.headers_file()
    block = text.split("\n/*\n")[1].split("\n/")[0]
    for name, value in {**headers, **server_config.rules().tls_headers}.items():
        assert f"  {name}: {value}" in block
    for name, value in headers.items():
        assert f'add_header {name} "{value}" always;' in server_config.production_conf()
    assert 'add_header Strict-Transport-Security "max-age=31536000" always;' in server_config.production_conf()
    assert "Strict-Transport-Security" not in server_config.local_conf(ROOT, 8, ROOT)  # no TLS there


def test_cache_rules() -> None:
    immutable = "public, max-age=31536000, immutable"
    assert server_config.cache_control_for("/assets/javascripts/bundle.a5f9d56c.min.js") == immutable
    assert server_config.cache_control_for("/assets/calculator/wheels/0123456789ab/x-1.0-py3-none-any.whl") == immutable
    assert server_config.cache_control_for("/assets/calculator/rules.29ef2cd553e4.json") == immutable
    for path in ("/", "/en/calculator/index.html", "/sw.js", "/assets/calculator/manifest.json",
                 "/assets/pyodide/pyodide.asm.wasm", "/assets/calculator/worker.js"):
        assert server_config.cache_control_for(path) == "no-cache", path


def test_static_hosts_get_each_languages_404_page() -> None:
    assert server_config.redirects_file().splitlines()[1:] == ["/en/*  /en/404.html  404", "/*  /404.html  404"]


@site_built
def test_the_built_site_has_the_static_hosts_files() -> None:
    assert (SITE_DIR / "_headers").read_text(encoding="utf-8") == server_config.headers_file()
    assert (SITE_DIR / "_redirects").read_text(encoding="utf-8") == server_config.redirects_file()


@site_built
def test_every_compressible_file_has_its_brotli_and_gzip_copy() -> None:
    checked = 0
    for path in sorted(SITE_DIR.rglob("*")):
        if not path.is_file() or path.suffix in (".br", ".gz") or not precompress.compressible(path):
            continue
        data = path.read_bytes()
        for encoding, decompress in ((".br", brotli.decompress), (".gz", gzip.decompress)):
            copy = path.with_name(path.name + encoding)
            if copy.exists():
                assert decompress(copy.read_bytes()) == data, f"{copy} is stale"
                assert copy.stat().st_size < len(data)
            else:  # only where compressing would not make it smaller (tiny files)
                assert len(data) < 200, f"{path} has no {encoding}"
        checked += 1
    assert checked > 100
    wasm = SITE_DIR / "assets" / "pyodide" / "pyodide.asm.wasm"
    assert wasm.with_name(wasm.name + ".br").stat().st_size < 0.3 * wasm.stat().st_size  # quality 11


def test_precompress_compresses_stored_zips_only_and_removes_stale_copies(tmp_path: Path) -> None:
    text = ("<p>" + "a guide to eighteen measures " * 200 + "</p>").encode()
    (tmp_path / "page.html").write_bytes(text)
    for name, kind in (("stored.zip", zipfile.ZIP_STORED), ("deflated.zip", zipfile.ZIP_DEFLATED)):
        with zipfile.ZipFile(tmp_path / name, "w", kind) as z:
            z.writestr("a.py", text)
    (tmp_path / "python.snapshot.gz").write_bytes(gzip.compress(text))  # a site file, not a copy
    precompress.precompress(tmp_path)
    assert brotli.decompress((tmp_path / "page.html.br").read_bytes()) == text
    assert gzip.decompress((tmp_path / "page.html.gz").read_bytes()) == text
    assert (tmp_path / "stored.zip.br").exists() and not (tmp_path / "deflated.zip.br").exists()
    assert not (tmp_path / "python.snapshot.gz.br").exists()

    (tmp_path / "page.html").write_bytes(text + b"<p>changed</p>")
    (tmp_path / "stored.zip").unlink()
    precompress.precompress(tmp_path)
    assert brotli.decompress((tmp_path / "page.html.br").read_bytes()).endswith(b"changed</p>")
    assert not (tmp_path / "stored.zip.br").exists() and not (tmp_path / "stored.zip.gz").exists()
    assert (tmp_path / "python.snapshot.gz").exists()

