"""Debian's Chromium as the tests, the benchmarks and the audit launch it: pinned to loopback, so
the browser cannot reach any other host (a request that leaves the site fails to resolve)."""
from __future__ import annotations

import os

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The tests' browser: Debian's build of the same Chromium as its headless shell, the form Playwright
# itself runs headless tests in (same Blink and V8, without the desktop browser's layers): about a
# quarter less CPU for the same suite (ARCHITECTURE.md D16). The benchmarks and the audit measure
# the browser a visitor runs, CHROMIUM.
TEST_CHROMIUM = os.environ.get("TEST_CHROMIUM", "/usr/bin/chromium-headless-shell")

CHROMIUM_ARGS = [
    # Everything but loopback fails to resolve: the browser cannot reach any other host.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--disable-quic",
    "--no-proxy-server",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
