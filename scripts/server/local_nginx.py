"""Debian's nginx serving a built site on 127.0.0.1 with the production rules, run from a folder of
the project (its own configuration, pid, temp and log files): the system's nginx is neither read
nor touched. Used by `make preview`, the browser tests and the benchmark.

    python -m scripts.server.local_nginx [--port 8080] [SITE_DIR]   serve until Ctrl-C

From Python:

    with LocalNginx(site_dir) as server:   # or server.start() ... server.stop()
        print(server.url)                  # http://127.0.0.1:PORT (stop/start keeps the port)
"""
from __future__ import annotations

import argparse
import ctypes
import hashlib
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from scripts.server import server_config

ROOT = Path(__file__).resolve().parents[2]
NGINX_DIR = ROOT / "build" / "nginx"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """nginx ends when the process that started it ends (Linux), even if that one is killed."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class LocalNginx:
    def __init__(self, site_dir: Path, port: int = 0, name: str | None = None, access_log: bool = False) -> None:
        # not resolved: site/ is a link to the deployment shown (scripts/publish.py), followed per request
        self.site_dir = Path(site_dir).absolute()
        self.port = port
        self.access_log = access_log
        # one prefix per served folder, so that two servers (tests, preview) never share files
        self.prefix = NGINX_DIR / (name or hashlib.sha256(str(self.site_dir).encode()).hexdigest()[:10])
        self._process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def conf(self) -> Path:
        return self.prefix / "nginx.conf"

    @property
    def error_log(self) -> Path:
        return self.prefix / "logs" / "error.log"

    def start(self, timeout: float = 10.0) -> None:
        if not Path(NGINX).exists():
            raise RuntimeError("nginx is not installed: run `make setup` (apt-get install nginx "
                               "libnginx-mod-http-brotli-static)")
        if self._process is not None:
            return
        self.port = self.port or _free_port()
        for folder in ("logs", "tmp"):
            (self.prefix / folder).mkdir(parents=True, exist_ok=True)
        self.conf.write_text(server_config.local_conf(self.site_dir, self.port, self.prefix, self.access_log),
                             encoding="utf-8")
        self._process = subprocess.Popen(
            [NGINX, "-p", str(self.prefix), "-e", str(self.error_log), "-c", str(self.conf)],
            # its own process group: Ctrl-C reaches only us, and we stop nginx
            stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self._process = None
                raise RuntimeError(f"nginx did not start:\n{self._log_tail()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nginx did not answer on port {self.port} within {timeout} s:\n{self._log_tail()}")

    def stop(self) -> None:
        """Stop at once (open connections are closed, as when a server goes away)."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()  # SIGTERM: nginx's fast shutdown
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _log_tail(self) -> str:
        try:
            return "\n".join(self.error_log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:])
        except OSError:
            return "(no error log)"

    def __enter__(self) -> "LocalNginx":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="serve a built site with the production nginx rules")
    parser.add_argument("site_dir", nargs="?", default=str(ROOT / "site"))
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    site = Path(args.site_dir)
    if not (site / "index.html").exists():
        print(f"{site} has no built site: run `make site` first", file=sys.stderr)
        return 2
    server = LocalNginx(site, port=args.port, name="preview", access_log=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # `kill` stops it as Ctrl-C does
    server.start()
    print(f"Serving {site} with nginx ({server.conf}) at {server.url}/  (Ctrl-C stops it)", flush=True)
    try:
        while server.running:
            time.sleep(0.5)
        print(f"nginx stopped by itself:\n{server._log_tail()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopping", flush=True)
        return 0
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
