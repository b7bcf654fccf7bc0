"""The server configurations come from one source and say what it says; the build leaves a
compressed copy beside every compressible file (no server needed for these)."""
from __future__ import annotations

import gzip
import os
import shutil
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



def _production_server(tmp_path: Path, site: Path) -> tuple[Path, int]:
    """The production configuration as nginx runs it on 127.0.0.1 (TLS with a self-signed
    certificate, the http-to-https server left out), serving `site`; returns (nginx.conf, port)."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
                   check=True, capture_output=True)
    port = local_nginx._free_port()
    prod = server_config.production_conf()
    tls = prod[prod.index("server {\n    listen 443"):]
    tls = (tls.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl;").replace("listen [::]:443 ssl http2;", "")
           .replace("/etc/ssl/certs/guide.example.gov.cn.pem", str(tmp_path / "cert.pem"))
           .replace("/etc/ssl/private/guide.example.gov.cn.key", str(tmp_path / "key.pem"))
           .replace("root /var/www/employment-guide/site;", f"root {site};"))
    head = server_config.local_conf(site, port, tmp_path).split("    server {")[0]
    conf = tmp_path / "nginx.conf"
    conf.write_text(head + prod[:prod.index("server {")] + tls + "}\n", encoding="utf-8")
    for folder in ("logs", "tmp"):
        (tmp_path / folder).mkdir(exist_ok=True)
    return conf, port


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1_1 is deprecated:DeprecationWarning")
def test_tls_is_mozillas_intermediate(tmp_path: Path) -> None:
    """TLS 1.3 and 1.2 with forward-secret AEAD ciphers; no TLS 1.1, no AES128-SHA (what a bare
    nginx offers without our settings)."""
    import socket
    import ssl
    import time

    if not Path(local_nginx.NGINX).exists() or not shutil.which("openssl"):
        pytest.skip("nginx or openssl is not installed")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>ok</p>", encoding="utf-8")
    conf, port = _production_server(tmp_path, site)
    process = subprocess.Popen([local_nginx.NGINX, "-p", str(tmp_path), "-e", str(tmp_path / "logs/e.log"), "-c", str(conf)])
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)

        def handshake(low: ssl.TLSVersion, high: ssl.TLSVersion, ciphers: str | None = None) -> tuple[str, str] | None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
            context.minimum_version, context.maximum_version = low, high
            if ciphers:
                context.set_ciphers(ciphers)
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=5) as raw, \
                        context.wrap_socket(raw) as tls:
                    version, cipher = tls.version(), tls.cipher()
                    assert version is not None and cipher is not None  # both known once the handshake is done
                    return version, cipher[0]
            except (ssl.SSLError, OSError):
                return None

        tls13 = handshake(ssl.TLSVersion.TLSv1_3, ssl.TLSVersion.TLSv1_3)
        assert tls13 is not None and tls13[0] == "TLSv1.3"
        tls12 = handshake(ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_2)
        assert tls12 is not None
        version, cipher = tls12
        assert version == "TLSv1.2" and cipher.startswith("ECDHE-") and ("GCM" in cipher or "CHACHA20" in cipher)
        assert handshake(ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_2, "AES128-SHA") is None
        assert handshake(ssl.TLSVersion.MINIMUM_SUPPORTED, ssl.TLSVersion.TLSv1_1, "ALL:@SECLEVEL=0") is None
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_well_known_is_served_and_other_dot_files_are_not(tmp_path: Path) -> None:
    """security.txt and an ACME http-01 challenge under /.well-known/ are served with the site's
    headers; the build's own dot files are not, nor a listing of the folder."""
    import urllib.error
    import urllib.request

    if not Path(local_nginx.NGINX).exists():
        pytest.skip("nginx is not installed (make setup installs it)")
    site = tmp_path / "site"
    (site / ".well-known" / "acme-challenge").mkdir(parents=True)
    (site / "index.html").write_text("<p>ok</p>", encoding="utf-8")
    (site / "404.html").write_text("<p>not found</p>", encoding="utf-8")
    (site / ".well-known" / "security.txt").write_text("Contact: mailto:security@example.gov.cn\n", encoding="utf-8")
    (site / ".well-known" / "acme-challenge" / "token-123").write_text("token-123.key", encoding="utf-8")
    (site / ".hashed-files").write_text("index.html\n", encoding="utf-8")

    def get(url: str) -> tuple[int, dict, bytes]:
        try:
            with urllib.request.urlopen(url) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    with local_nginx.LocalNginx(site, name="well-known") as server:
        status, headers, body = get(server.url + "/.well-known/security.txt")
        assert status == 200 and body.startswith(b"Contact:") and headers["Content-Type"].startswith("text/plain")
        assert headers["X-Content-Type-Options"] == "nosniff" and "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert get(server.url + "/.well-known/acme-challenge/token-123")[:3:2] == (200, b"token-123.key")
        for hidden in ("/.hashed-files", "/.well-known/", "/.well-known/acme-challenge/"):
            assert get(server.url + hidden)[0] == 404, hidden
