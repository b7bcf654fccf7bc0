"""`make bench`: where we stand on speed and size, as medians on this machine: the site served as
a host would serve it, the link shaped to localhost, Fast 4G and Slow 4G (scripts/dev/link_shaper.py),
bare Pyodide from the same files in the same run as the baseline.

Prints a table and writes build/bench.json. Numbers, not assertions: the targets are printed
beside each number so a regression is visible, and nothing fails on a slow machine.

    python -m scripts.dev.bench [--runs 3] [--slow-runs 2] [--skip-scale] [--out build/bench.json]
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

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "calculator" / "src")]

from scripts.dev.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

SITE = ROOT / "site"
TARGETS = {
    "build_real_s": 3.0,
    "build_scale_s": 30.0,
    "scale_largest_page_kb": 40.0,
    "calc_cold_bytes_localhost_mb": 3.5,  # from a host that serves brotli
    "calc_cold_bytes_gzip_host_mb": 4.5,
    "calc_cold_ready_fast_4g_s": 5.0,
    "calc_form_usable_fast_4g_s": 1.0,
    "calc_warm_ready_localhost_s": 0.5,
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
            from scripts.dev import scale
            work = Path(tmp) / "scale"
            work.mkdir()
            config_file = scale.prepare(work, 1000, hostile=False)
            times = []
            for _ in range(max(1, runs // 2)):
                shutil.rmtree(work / "site", ignore_errors=True)
                times.append(subprocess.run(
                    [sys.executable, "-c", "import sys; from pathlib import Path; from scripts.dev import scale; "
                     "print(scale.build(Path(sys.argv[1]), Path(sys.argv[2])))",
                     str(config_file), str(work / "policy")],
                    cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()[-1])
            total, largest, name = _sizes(work / "site")
            out.update(build_scale_s=median([float(t) for t in times]), scale_total_mb=round(total / 1e6, 1),
                       scale_largest_page_kb=round(largest / 1e3, 1), scale_largest_page=name)
    return out


# --- the calculator as a visitor gets it ------------------------------------------------------
# The site is served as a host would (nginx with the build's .br/.gz files where scripts/server
# has it, else the test server, uncompressed: a stand-in) behind scripts/dev/link_shaper.py, which
# slows and counts every request, the worker's included. A copy of the site (hard links) also
# holds a bare-Pyodide page: the same Pyodide files and standard library, no calculator.
BARE_HTML = """<!doctype html><meta charset=utf-8><title>bare Pyodide</title>
<script type=module src=bare.js></script><p>bare Pyodide in a module worker</p>"""
BARE_JS = """const worker = new Worker(new URL("bare-worker.js", import.meta.url), {type: "module"});
worker.onmessage = () => { performance.mark("bare-ready"); document.body.dataset.ready = "1"; };"""
BARE_WORKER = """const root = new URL("../", self.location.href);
const [{loadPyodide}, manifest] = await Promise.all([
  import(new URL("assets/pyodide/pyodide.mjs", root).href),
  fetch(new URL("assets/calculator/manifest.json", root)).then((r) => r.json())]);
const py = await loadPyodide({indexURL: new URL("assets/pyodide/", root).href,
  stdLibURL: new URL(manifest.stdlib, new URL("assets/calculator/", root)).href});
py.runPython("1 + 1");
postMessage("ready");"""
CALC_READY = '#calc[data-phase="ready"]'


def _bench_site(tmp: Path) -> Path:
    copy = tmp / "site"
    shutil.copytree(SITE, copy, copy_function=os.link)
    bare = copy / "__bare"
    bare.mkdir()
    (bare / "index.html").write_text(BARE_HTML, encoding="utf-8")
    (bare / "bare.js").write_text(BARE_JS, encoding="utf-8")
    (bare / "bare-worker.js").write_text(BARE_WORKER, encoding="utf-8")
    return copy


def _host(site_dir: Path):
    """(server with .url/.port/.start/.stop, description): nginx as deployed."""
    from scripts.server.local_nginx import LocalNginx
    return LocalNginx(site_dir), "nginx, precompressed brotli q11 / gzip -9, Zopfli from 1 MB (scripts/server)"


def _port(server) -> int:
    return int(server.url.rsplit(":", 1)[1])


def _launch(playwright, profile: Path):
    return playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def _visit(context, url: str, ready: str, mark: str, marks: tuple[str, ...] = ()) -> dict[str, float]:
    """Navigation start to `mark` (and to each of `marks`), in seconds, on the page's own clock
    (app.js and worker_client.js mark the moments): timing it from here would add Playwright's polling."""
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(url)
    page.wait_for_selector(ready, state="attached", timeout=180_000)
    out = {}
    for name in (mark, *marks):
        out[name] = page.evaluate("(n) => performance.getEntriesByName(n)[0].startTime", name) / 1000
    return out


def _settle(context) -> float:
    """Let the first visit finish keeping its files and Python's snapshot, as a visitor who reads.
    Returns what the site then keeps on the device (the browser's own estimate), in bytes."""
    page = context.pages[0]
    for selector in ('#calc[data-offline="ready"]', '#calc[data-snapshot="kept"]'):
        try:
            page.wait_for_selector(selector, state="attached", timeout=120_000)
        except Exception:  # noqa: BLE001 - a number is still worth printing
            print(f"bench: {selector} did not happen", file=sys.stderr)
    return page.evaluate("() => navigator.storage.estimate().then((e) => e.usage)")


def bench_visitor(runs: int, slow_runs: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from scripts.dev.link_shaper import LinkShaper

    out: dict[str, Any] = {}
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        server, host = _host(_bench_site(Path(tmp)))
        server.start()
        out["host"] = host
        try:
            n = 0
            for profile in ("localhost", "fast-4g", "slow-4g"):
                count = slow_runs if profile == "slow-4g" else runs
                cold, form, bare, cold_bytes, warm, warm_bytes, kept = [], [], [], [], [], [], []
                with LinkShaper.profile(_port(server), profile) as link:
                    base = f"http://127.0.0.1:{link.port}"
                    for _ in range(count):
                        n += 1
                        context = _launch(p, Path(tmp) / f"profile-{n}")
                        link.reset()
                        times = _visit(context, base + "/calculator/", CALC_READY, "calculator-ready", ("calculator-form",))
                        cold.append(times["calculator-ready"])
                        form.append(times["calculator-form"])
                        cold_bytes.append(link.down_bytes)
                        if profile == "localhost":
                            kept.append(_settle(context))
                            context.close()
                            context = _launch(p, Path(tmp) / f"profile-{n}")  # second visit, same profile
                            link.reset()
                            warm.append(_visit(context, base + "/calculator/", CALC_READY, "calculator-ready")["calculator-ready"])
                            warm_bytes.append(link.down_bytes)
                        context.close()
                        context = _launch(p, Path(tmp) / f"bare-{n}")
                        bare.append(_visit(context, base + "/__bare/", "body[data-ready]", "bare-ready")["bare-ready"])
                        context.close()
                key = profile.replace("-", "_")
                out[f"calc_cold_ready_{key}_s"] = median(cold)
                out[f"calc_form_usable_{key}_s"] = median(form)
                out[f"bare_pyodide_cold_ready_{key}_s"] = median(bare)
                out[f"calc_over_bare_{key}"] = round(median(cold) / median(bare), 2)
                out[f"calc_cold_bytes_{key}_mb"] = round(statistics.median(cold_bytes) / 1e6, 2)
                if warm:
                    out["calc_warm_ready_localhost_s"] = median(warm)
                    out["calc_warm_bytes_kb"] = round(statistics.median(warm_bytes) / 1e3, 1)
                    out["calc_kept_on_device_mb"] = round(statistics.median(kept) / 1e6, 1)
            with LinkShaper.profile(_port(server), "localhost", gzip_only=True) as link:
                context = _launch(p, Path(tmp) / "gzip-only")
                _visit(context, f"http://127.0.0.1:{link.port}/calculator/", CALC_READY, "calculator-ready")
                out["calc_cold_bytes_gzip_host_mb"] = round(link.down_bytes / 1e6, 2)
                context.close()
            out.update(_bench_evaluations(p, Path(tmp), server.url))
        finally:
            server.stop()
    return out


def _bench_evaluations(p, tmp: Path, base: str) -> dict[str, Any]:
    context = _launch(p, tmp / "profile-eval")
    page = context.new_page()
    page.goto(base + "/calculator/?test=1")
    page.wait_for_selector(CALC_READY, state="attached", timeout=60_000)
    # as a visitor who reads the first question: the worker uses that time to warm up
    page.wait_for_timeout(2000)
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
    context.close()
    samples.sort()
    return {"eval_page_p50_ms": round(samples[len(samples) // 2], 3),
            "eval_page_p95_ms": round(samples[int(len(samples) * 0.95)], 3)}


def bench_guide_page() -> dict[str, Any]:
    """A measure page: what a visitor downloads, and that no Pyodide file is among it."""
    from playwright.sync_api import sync_playwright

    from scripts.dev.link_shaper import LinkShaper

    urls: list[str] = []
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        server, _ = _host(SITE)
        server.start()
        try:
            with LinkShaper.profile(_port(server), "localhost") as link:
                context = _launch(p, Path(tmp) / "guide")
                page = context.new_page()
                context.on("request", lambda r: urls.append(r.url))
                page.goto(f"http://127.0.0.1:{link.port}/measures/employment-entrepreneurship-subsidies/",
                          wait_until="networkidle")
                sent = link.down_bytes
                context.close()
        finally:
            server.stop()
    raw = gz = 0
    for url in urls:
        path = url.split("://", 1)[-1].split("/", 1)[-1].split("?")[0].split("#")[0]
        file = SITE / path
        if file.is_dir():
            file = file / "index.html"
        if file.is_file() and (file.suffix in {".html", ".css", ".js"}):
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
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--slow-runs", type=int, default=2, help="cold runs on Slow 4G (about 25 s each)")
    parser.add_argument("--skip-scale", action="store_true", help="skip the 1,000-measure build")
    parser.add_argument("--only-visitor", action="store_true", help="only the calculator and guide pages")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench.json")
    args = parser.parse_args(argv)
    if not (SITE / "index.html").exists():
        print("bench: no site/ yet: run `make site` first", file=sys.stderr)
        return 2
    results: dict[str, Any] = {"when": time.strftime("%Y-%m-%d %H:%M"), "runs": args.runs,
                               "cores": os.cpu_count()}
    steps: list[tuple[str, Callable[[], dict[str, Any]]]] = [] if args.only_visitor else [
        ("engine on CPython", bench_cpython),
        ("site builds", lambda: bench_builds(args.runs, not args.skip_scale)),
    ]
    steps += [("calculator page as a visitor gets it", lambda: bench_visitor(args.runs, args.slow_runs)),
              ("guide page", bench_guide_page)]
    for name, step in steps:
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        results.update(step())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    width = max(map(len, results))
    print(f"{'measure'.ljust(width)}  {'median':>10}  target")
    for key, value in results.items():
        target = TARGETS.get(key)
        verdict = "" if target is None or not isinstance(value, (int, float)) else (f"<= {target}  " + ("ok" if value <= target else "MISSED"))
        print(f"{key.ljust(width)}  {str(value):>10}  {verdict}")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
