"""`make bench`: where we stand on speed and size, as medians on this machine, on localhost.

Prints a table and writes build/bench.json. Numbers, not assertions: the targets are printed
beside each number so a regression is visible, and nothing fails on a slow machine.

    python -m scripts.bench [--runs 5] [--skip-scale] [--out build/bench.json]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "calculator" / "src")]

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, SiteServer, _QuietHandler  # noqa: E402

SITE = ROOT / "site"
READY = '#calc[data-phase="ready"]'
TARGETS = {
    "build_real_s": 3.0,
    "build_scale_s": 30.0,
    "scale_largest_page_kb": 40.0,
    "calc_cold_ready_s": 2.0,
    "calc_warm_ready_s": 1.2,
    "eval_page_p95_ms": 2.0,
    "eval_cpython_p50_ms": 0.2,
    "guide_page_gzip_kb": 80.0,
}


def median(samples: list[float]) -> float:
    return round(statistics.median(samples), 4)


def _build(site_dir: Path, policy_dir: Path | None = None) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if policy_dir:
        env["POLICY_DIR"] = str(policy_dir)
    mkdocs = Path(sys.executable).with_name("mkdocs")
    started = time.perf_counter()
    subprocess.run([str(mkdocs), "build", "--strict", "--quiet", "--site-dir", str(site_dir)],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def _sizes(site_dir: Path) -> tuple[int, int, str]:
    total, largest, largest_name = 0, 0, ""
    for path in site_dir.rglob("*"):
        if path.is_file():
            size = path.stat().st_size
            total += size
            if path.suffix == ".html" and size > largest:
                largest, largest_name = size, str(path.relative_to(site_dir))
    return total, largest, largest_name


def bench_builds(runs: int, scale: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        site_dir = Path(tmp) / "site"
        _build(site_dir)  # warm the wheel cache and jieba's dictionary cache, as a rebuild would
        times = [_build(site_dir) for _ in range(runs)]
        total, largest, name = _sizes(site_dir)
        out.update(build_real_s=median(times), real_total_mb=round(total / 1e6, 1),
                   real_largest_page_kb=round(largest / 1e3, 1), real_largest_page=name)
        if scale:
            from scripts import site_scale
            work = Path(tmp) / "scale"
            work.mkdir()
            config_file = site_scale.prepare(work, 1000, hostile=False)
            times = []
            for _ in range(max(1, runs // 2)):
                shutil.rmtree(work / "site", ignore_errors=True)
                times.append(subprocess.run(
                    [sys.executable, "-c", "import sys; from pathlib import Path; from scripts import site_scale; "
                     "print(site_scale.build(Path(sys.argv[1]), Path(sys.argv[2])))",
                     str(config_file), str(work / "policy")],
                    cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()[-1])
            total, largest, name = _sizes(work / "site")
            out.update(build_scale_s=median([float(t) for t in times]), scale_total_mb=round(total / 1e6, 1),
                       scale_largest_page_kb=round(largest / 1e3, 1), scale_largest_page=name)
    return out


class _CountingHandler(_QuietHandler):
    """Counts the bytes it sends and the paths asked for, on its server."""

    def setup(self) -> None:
        super().setup()
        counts, wfile = self.server, self.wfile

        class Counter:
            def write(self, data: bytes) -> int:
                counts.sent += len(data)
                return wfile.write(data)

            def __getattr__(self, name: str):
                return getattr(wfile, name)

        self.wfile = Counter()

    def copyfile(self, source, outputfile) -> int:
        sent = super().copyfile(source, outputfile)
        self.server.sent += sent
        return sent

    def log_request(self, code="-", size="-") -> None:
        self.server.paths.append(self.path)


class CountingServer(SiteServer):
    """The test server, counting what it sends: bytes transferred as the browser sees them."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory, _CountingHandler)

    def start(self) -> None:
        super().start()
        self.reset()

    def reset(self) -> None:
        self._httpd.sent, self._httpd.paths = 0, []

    @property
    def sent(self) -> int:
        return self._httpd.sent

    @property
    def paths(self) -> list[str]:
        return self._httpd.paths


def _launch(playwright, profile: Path):
    return playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def _time_to_ready(context, url: str) -> float:
    """Navigation start to the calculator showing "ready", on the page's own clock (app.js marks
    the moment). Timing it from here instead would add Playwright's polling, up to 0.5 s."""
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(url)
    page.wait_for_selector(READY, state="attached", timeout=60_000)
    return page.evaluate("performance.getEntriesByName('calculator-ready')[0].startTime") / 1000


def bench_calculator(server: CountingServer, runs: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    url = server.url + "/calculator/"
    cold, warm, cold_bytes, warm_bytes = [], [], [], []
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            profile = Path(tmp) / f"profile-{run}"
            context = _launch(p, profile)
            server.reset()
            cold.append(_time_to_ready(context, url))
            cold_bytes.append(server.sent)
            context.close()
            context = _launch(p, profile)  # second visit: same profile, caches kept
            server.reset()
            warm.append(_time_to_ready(context, url))
            warm_bytes.append(server.sent)
            context.close()
        context = _launch(p, Path(tmp) / "profile-eval")
        page = context.new_page()
        page.goto(url + "?test=1")
        page.wait_for_selector(READY, state="attached", timeout=60_000)
        # as a visitor who reads the first question: the worker uses that time to warm up
        page.wait_for_timeout(2000)
        server.reset()
        samples = page.evaluate("""async (n) => {
            const api = window.__subsidyCalculatorTest;
            const request = JSON.stringify({answers: {role: "enterprise", enterprise_size: "small",
                graduates_hired: 3}, on: null, lang: "zh"});
            const out = [];
            for (let i = 0; i < n; i++) {
                const t = performance.now();
                await api.evaluateMany([request]);
                out.push(performance.now() - t);
            }
            return out;
        }""", 500)
        requests_while_computing = len(server.paths)
        context.close()
    samples.sort()
    return {
        "calc_cold_ready_s": median(cold), "calc_warm_ready_s": median(warm),
        "calc_cold_bytes_mb": round(statistics.median(cold_bytes) / 1e6, 2),
        "calc_warm_bytes_kb": round(statistics.median(warm_bytes) / 1e3, 1),
        "eval_page_p50_ms": round(samples[len(samples) // 2], 3),
        "eval_page_p95_ms": round(samples[int(len(samples) * 0.95)], 3),
        "requests_while_computing": requests_while_computing,
    }


def bench_guide_page(server: CountingServer) -> dict[str, Any]:
    """A measure page: what a visitor downloads, and that no Pyodide file is among it."""
    from playwright.sync_api import sync_playwright

    urls: list[str] = []
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        context = _launch(p, Path(tmp) / "guide")
        page = context.new_page()
        context.on("request", lambda r: urls.append(r.url))
        server.reset()
        page.goto(server.url + "/measures/employment-entrepreneurship-subsidies/", wait_until="networkidle")
        sent = server.sent
        context.close()
    raw = gz = 0
    for url in urls:
        path = url.removeprefix(server.url).split("?")[0].split("#")[0]
        file = SITE / path.lstrip("/")
        if file.is_dir():
            file = file / "index.html"
        if file.suffix in {".html", ".css", ".js"} or file.name == "index.html":
            data = file.read_bytes()
            raw += len(data)
            gz += len(gzip.compress(data, 9))
    pyodide = [u for u in urls if "/assets/pyodide/" in u or u.endswith(".whl")]
    return {"guide_page_bytes_kb": round(sent / 1e3, 1), "guide_page_raw_kb": round(raw / 1e3, 1),
            "guide_page_gzip_kb": round(gz / 1e3, 1), "guide_page_requests": len(urls),
            "guide_page_pyodide_requests": len(pyodide)}


def bench_cpython() -> dict[str, Any]:
    out = subprocess.run([sys.executable, "calculator/bench.py", "--json"], cwd=ROOT,
                         check=True, capture_output=True, text=True).stdout
    data = json.loads(out)
    p50 = data.get("median_ms", data.get("evaluate_median_ms"))
    return {"eval_cpython_p50_ms": p50}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-scale", action="store_true", help="skip the 1,000-measure build")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench.json")
    args = parser.parse_args(argv)
    if not (SITE / "index.html").exists():
        print("bench: no site/ yet: run `make site` first", file=sys.stderr)
        return 2
    results: dict[str, Any] = {"when": time.strftime("%Y-%m-%d %H:%M"), "runs": args.runs,
                               "cores": os.cpu_count()}
    steps: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("engine on CPython", bench_cpython),
        ("site builds", lambda: bench_builds(args.runs, not args.skip_scale)),
    ]
    server = CountingServer(SITE)
    server.start()
    try:
        steps += [("calculator page", lambda: bench_calculator(server, args.runs)),
                  ("guide page", lambda: bench_guide_page(server))]
        for name, step in steps:
            print(f"bench: {name} ...", file=sys.stderr, flush=True)
            results.update(step())
    finally:
        server.stop()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    width = max(map(len, results))
    print(f"{'measure'.ljust(width)}  {'median':>10}  target")
    for key, value in results.items():
        target = TARGETS.get(key)
        verdict = "" if target is None else (f"<= {target}  " + ("ok" if value <= target else "MISSED"))
        print(f"{key.ljust(width)}  {str(value):>10}  {verdict}")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
