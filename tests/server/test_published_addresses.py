"""Every address published before the site became a library still answers, through nginx with the
production configuration: the library added pages (notices, open data) and moved none."""
from __future__ import annotations

import http.client
from pathlib import Path
from urllib.parse import urlsplit

ADDRESSES = [line for line in (Path(__file__).with_name("published_addresses.txt")).read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]


def test_every_published_address_still_answers(base_url: str) -> None:
    host = urlsplit(base_url)
    failed = []
    for path in ADDRESSES:
        conn = http.client.HTTPConnection(host.netloc, timeout=30)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                failed.append((path, response.status))
        finally:
            conn.close()
    assert len(ADDRESSES) > 70 and failed == []
