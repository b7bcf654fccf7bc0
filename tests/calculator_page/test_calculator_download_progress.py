"""A first visit on a slow line (issue 33): the progress bar moves with the bytes received while
the calculator downloads, before it is ready; its accessible value (aria-valuenow of the
<progress>) and its text follow. At a phone's width, in both languages.

The link is shaped by scripts/dev/link_shaper.py, a proxy in front of the test's nginx (the
production configuration), so the worker's requests are slowed as the page's are (DevTools'
network emulation does not slow a worker's)."""
from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser

from calc_page_helpers import FAILED, PY_TIMEOUT, READY, calculator_path
from request_check import assert_only_local
from scripts.dev.link_shaper import LinkShaper

PHONE = {"width": 375, "height": 800}
# about 3.7 MB a first visit downloads (brotli) at 4 Mbit/s: some 8 s to watch the bar move
MBIT, RTT_MS = 4, 60
DOWNLOADED = {"zh": re.compile(r"^已下载(\d{1,3})%$"), "en": re.compile(r"^(\d{1,3})% downloaded$")}


def _progressbar(cdp) -> dict:
    """The progress bar as assistive technology gets it: Chromium's accessibility tree."""
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    bars = [n for n in nodes if n.get("role", {}).get("value") == "progressbar" and not n.get("ignored")]
    assert len(bars) == 1, bars
    return {"valuenow": bars[0].get("value", {}).get("value"),
            **{p["name"]: p["value"].get("value") for p in bars[0].get("properties", [])}}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_bar_moves_with_the_bytes_received(browser: Browser, browser_context_args: dict, base_url: str,
                                               lang: str) -> None:
    port = urlsplit(base_url).port
    assert port
    with LinkShaper(port, mbit=MBIT, rtt_ms=RTT_MS) as link:
        shaped = f"http://127.0.0.1:{link.port}"
        context = browser.new_context(**{**browser_context_args, "base_url": shaped, "viewport": PHONE,
                                         "locale": "zh-CN" if lang == "zh" else "en-GB"})
        seen: list[str] = []
        context.on("request", lambda request: seen.append(request.url))
        try:
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            page.goto(calculator_path(lang), wait_until="domcontentloaded")
            samples = []  # (percent of the bar, its text) while the calculator is not ready
            notes: list[str] = []  # the note under the bar meanwhile
            accessible: list[tuple[int, dict, str | None]] = []  # the bar's accessible value and text, now and then
            deadline = time.monotonic() + PY_TIMEOUT / 1000
            while time.monotonic() < deadline:
                phase, value, text, note = page.eval_on_selector("#calc", """(calc) => [calc.dataset.phase,
                    document.getElementById("calc-progress").value,
                    document.getElementById("calc-progress-text").textContent,
                    document.getElementById("calc-phase-note").textContent]""")
                if phase in ("ready", "failed"):
                    break
                samples.append((value, text))
                notes.append(note)
                if text and len(accessible) < 3:
                    accessible.append((value, _progressbar(cdp), page.get_attribute("#calc-progress", "aria-valuetext")))
                time.sleep(0.2)
            assert page.locator(READY).count() and not page.locator(FAILED).count(), page.inner_text("#calc")
            assert link.down_bytes > 2_000_000  # a first visit: Pyodide came over the shaped link
        finally:
            context.close()
    values = [value for value, _ in samples]
    assert values == sorted(values), values  # never back
    # bytes kept coming: no note that the start has stalled ("加载时间比平时长……")
    assert not [n for n in notes if "比平时长" in n or "longer than usual" in n], notes
    # the bar moved while the calculator was downloading, not only at its end
    moving = sorted({value for value in values if 5 < value < 90})  # 5: where "starting" puts it
    assert len(moving) >= 3, samples
    # the text says how much is downloaded, and it grows as the bytes come
    said = [DOWNLOADED[lang].match(text) for _, text in samples if text]
    assert all(said), samples
    percents = [int(m.group(1)) for m in said if m]
    assert percents and all(a <= b for a, b in zip(percents, percents[1:])), samples
    assert len({p for p in percents if p < 100}) >= 3, samples
    # assistive technology gets the same: the bar's value (Chromium's accessibility tree), and the
    # text as its value text (which that tree, as the DevTools protocol gives it, leaves out)
    for value, bar, value_text in accessible:
        assert bar["valuemin"] == 0 and bar["valuemax"] == 100 and bar["valuenow"] >= value, bar
        assert DOWNLOADED[lang].match(value_text or ""), value_text
    assert accessible, samples
    assert_only_local(seen, shaped)
