"""Server configurations from the one source, scripts/server/headers.yaml: nginx's (production,
checked in as scripts/server/nginx/employment-guide.conf, and the local one `make preview` and the
tests run), the static hosts' `_headers` and `_redirects` files, and the Content-Security-Policy
for pages' <meta>.

    python -m scripts.server.server_config          write the checked-in nginx configuration
    python -m scripts.server.server_config --check  exit 1 if it is out of date
"""
from __future__ import annotations

import functools
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "headers.yaml"
PRODUCTION_CONF = HERE / "nginx" / "employment-guide.conf"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
CACHE_VARIABLE = "$employment_guide_cache_control"


@dataclass(frozen=True)
class Rules:
    headers: dict[str, str]           # every response
    tls_headers: dict[str, str]       # responses over TLS only
    cache: list[tuple[str, list[str]]]  # (Cache-Control, URL path globs), first match wins
    default_cache: str
    types: dict[str, tuple[str, str]]   # extension -> (Content-Type, "yes" | "no" | "when stored")
    not_found: dict[str, str]           # URL prefix -> its 404 page, longest prefix first


def _header_value(value: object) -> str:
    if isinstance(value, dict):  # a policy written as directives
        value = "; ".join(f"{name} {v}" for name, v in value.items())
    text = str(value)
    if '"' in text or "\n" in text:
        raise ValueError(f"{SOURCE.name}: a header value may not contain a double quote or newline: {text!r}")
    return text


@functools.cache
def rules() -> Rules:
    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    compress_words = {True: "yes", False: "no", "when stored": "when stored"}
    return Rules(
        headers={k: _header_value(v) for k, v in data["headers"].items()},
        tls_headers={k: _header_value(v) for k, v in data["tls_headers"].items()},
        cache=[(r["cache_control"], list(r["paths"])) for r in data["cache"]],
        default_cache=data["default_cache_control"],
        types={ext: (t["type"], compress_words[t["compress"]]) for ext, t in data["types"].items()},
        not_found=dict(sorted(data["not_found"].items(), key=lambda kv: -len(kv[0]))),
    )


def csp_meta() -> str:
    """The policy for a page's <meta>: the header's, without what a <meta> cannot carry."""
    policy = rules().headers["Content-Security-Policy"]
    return "; ".join(d for d in policy.split("; ") if not d.startswith(("frame-ancestors", "report-uri", "sandbox")))


def cache_control_for(path: str) -> str:
    """The Cache-Control a URL path is served with (what the nginx map computes)."""
    for value, globs in rules().cache:
        if any(re.fullmatch(_glob_regex(g), path) for g in globs):
            return value
    return rules().default_cache


def _glob_regex(glob: str) -> str:
    return ".*".join(re.escape(part) for part in glob.split("*"))


# --- static hosts -----------------------------------------------------------------------------
def headers_file() -> str:
    """site/_headers (Netlify, Cloudflare Pages and the like; they serve over TLS)."""
    r = rules()
    lines = ["# Written by scripts/server/server_config.py from scripts/server/headers.yaml: edit that.", "/*"]
    lines += [f"  {k}: {v}" for k, v in {**r.headers, **r.tls_headers}.items()]
    for value, globs in r.cache:
        for glob in globs:
            lines += [glob, f"  Cache-Control: {value}"]
    return "\n".join(lines) + "\n"


def redirects_file() -> str:
    """site/_redirects: each part's 404 page (a host applies these only where no file matches)."""
    lines = ["# Written by scripts/server/server_config.py from scripts/server/headers.yaml: edit that."]
    lines += [f"{prefix}*  {page}  404" for prefix, page in rules().not_found.items()]
    return "\n".join(lines) + "\n"


# --- nginx ------------------------------------------------------------------------------------
def _cache_map() -> list[str]:
    r = rules()
    lines = [f"map $uri {CACHE_VARIABLE} {{", f'    default "{r.default_cache}";']
    for value, globs in r.cache:
        lines += [f'    "~^{_glob_regex(g)}$" "{value}";' for g in globs]
    return lines + ["}"]


def _site_rules() -> list[str]:
    """The inside of the server block, the same for production and for `make preview`."""
    r = rules()
    width = max(len(t) for t, _ in r.types.values())
    by_type: dict[str, list[str]] = {}
    for ext, (ctype, _) in r.types.items():
        by_type.setdefault(ctype, []).append(ext)
    compressible = sorted({t for t, c in r.types.values() if c == "yes"} - {"text/html"})
    text_types = sorted(t for t in by_type if t.startswith("text/") or t.endswith(("+xml", "json", "/xml")))
    lines = [
        "index index.html;",
        "autoindex off;",
        "server_tokens off;",
        "absolute_redirect off;            # redirects (/en -> /en/) keep the visitor's host and port",
        "charset utf-8;",
        f"charset_types {' '.join(t for t in text_types if t != 'text/html')};",
        "",
        "# the site's own table of types (replaces mime.types: .mjs, .wasm, .webmanifest included)",
        "types {",
        *[f"    {ctype:<{width}} {' '.join(exts)};" for ctype, exts in by_type.items()],
        "}",
        "default_type application/octet-stream;",
        "",
        "# .br and .gz files written beside each file by the build (scripts/bundle/precompress.py)",
        "brotli_static on;",
        "gzip_static on;",
        "gzip_vary on;",
        "gzip_proxied any;                 # also behind a proxy or CDN that adds Via",
        "# for a compressible file without its .gz (edited by hand after the build)",
        "gzip on;",
        "gzip_comp_level 6;",
        f"gzip_types {' '.join(compressible)};",
        "",
        "# every response, errors included (no add_header below this level: nginx would drop these)",
        f"add_header Cache-Control {CACHE_VARIABLE} always;",
        *[f'add_header {k} "{v}" always;' for k, v in r.headers.items()],
        "",
        "# the project's 404 pages, one per language; a folder without index.html is not listed",
        f"error_page 403 404 =404 {r.not_found['/']};",
        *[line for prefix, page in r.not_found.items()
          for line in (f"location {prefix} {{", f"    error_page 403 404 =404 {page};", "}")],
        "# /.well-known/ is served (security.txt from docs/.well-known/, ACME http-01 challenges:",
        "# certbot certonly --webroot -w <root>); every other dot file and the static hosts' files are not",
        "location ^~ /.well-known/ {",
        "}",
        r"location ~ (^|/)(\.|_headers$|_redirects$) {",
        "    return 404;",
        "}",
    ]
    return lines


# Mozilla's "intermediate" TLS settings for nginx (ssl-config.mozilla.org, guidelines 5.7): TLS 1.2
# and 1.3, forward-secret AEAD ciphers only; the DHE suites are left out (they need a dhparam file
# of the operator's, and every client that has them has ECDHE too)
TLS_SETTINGS = [
    "ssl_protocols TLSv1.2 TLSv1.3;",
    "ssl_ecdh_curve X25519:prime256v1:secp384r1;",
    "ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;",
    "ssl_prefer_server_ciphers off;",
    "ssl_session_timeout 1d;",
    "ssl_session_cache shared:EmploymentGuideTLS:10m;",
    "ssl_session_tickets off;",
]


def _indent(lines: list[str], n: int = 4) -> list[str]:
    return [(" " * n + line) if line else "" for line in lines]


def production_conf() -> str:
    r = rules()
    lines = [
        "# nginx configuration of the employment-measures guide: serves the built site/ (`make site`).",
        "# Written by scripts/server/server_config.py from scripts/server/headers.yaml: edit that, then",
        "# run `make server-config`. Needs Debian's nginx and libnginx-mod-http-brotli-static",
        "# (apt-get install nginx libnginx-mod-http-brotli-static: the package enables the module).",
        "#",
        "# Install: copy this file to /etc/nginx/sites-available/, link it from sites-enabled/,",
        "# replace guide.example.gov.cn, the certificate paths and `root` (the folder site/ was copied",
        "# to), then `nginx -t && systemctl reload nginx`. It goes in nginx's http block (as every",
        "# file of sites-enabled/ does), because of the map below.",
        "",
        *_cache_map(),
        "",
        "server {",
        "    listen 80;",
        "    listen [::]:80;",
        "    server_name guide.example.gov.cn;",
        "    server_tokens off;",
        "    return 301 https://$host$request_uri;",
        "}",
        "",
        "server {",
        "    listen 443 ssl http2;",
        "    listen [::]:443 ssl http2;",
        "    server_name guide.example.gov.cn;",
        "    ssl_certificate     /etc/ssl/certs/guide.example.gov.cn.pem;",
        "    ssl_certificate_key /etc/ssl/private/guide.example.gov.cn.key;",
        *_indent(TLS_SETTINGS),
        "    root /var/www/employment-guide/site;",
        "",
        *[f'    add_header {k} "{v}" always;' for k, v in r.tls_headers.items()],
        "",
        *_indent(_site_rules()),
        "}",
    ]
    return "\n".join(lines) + "\n"


def local_conf(site_dir: Path, port: int, prefix: Path, access_log: bool = False) -> str:
    """A whole nginx.conf for 127.0.0.1:port, run from `prefix` (its own pid, temp and log
    files; nothing of the system's nginx is read or written). No TLS, so no HSTS."""
    tmp = prefix / "tmp"
    lines = [
        "# Written by scripts/server/local_nginx.py: the production rules on 127.0.0.1, without TLS.",
        f"load_module {BROTLI_MODULE};" if BROTLI_MODULE.exists() else "# (no brotli module installed)",
        "daemon off;",
        "master_process off;",
        f"pid {prefix / 'nginx.pid'};",
        f"error_log {prefix / 'logs' / 'error.log'} warn;",
        "events {",
        "    worker_connections 512;",
        "}",
        "http {",
        f"    access_log {prefix / 'logs' / 'access.log'};" if access_log else "    access_log off;",
        *[f"    {kind}_temp_path {tmp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")],
        "    sendfile on;",
        "    tcp_nopush on;",
        "    keepalive_timeout 65;",
        *_indent(_cache_map()),
        "    server {",
        f"        listen 127.0.0.1:{port};",
        "        server_name 127.0.0.1;",
        f"        root {site_dir};",
        *_indent(_site_rules(), 8),
        "    }",
        "}",
    ]
    if not BROTLI_MODULE.exists():
        lines = [line for line in lines if "brotli_static" not in line]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    text = production_conf()
    current = PRODUCTION_CONF.read_text(encoding="utf-8") if PRODUCTION_CONF.exists() else ""
    if "--check" in args:
        if current != text:
            print(f"{PRODUCTION_CONF} is out of date with {SOURCE}: run `make server-config`", file=sys.stderr)
            return 1
        return 0
    PRODUCTION_CONF.parent.mkdir(parents=True, exist_ok=True)
    if current != text:
        PRODUCTION_CONF.write_text(text, encoding="utf-8")
        print(f"wrote {PRODUCTION_CONF}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
