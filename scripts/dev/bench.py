"""`make bench`: where we stand on speed and size, as medians on this machine: the site served as
a host would serve it, the link shaped to localhost, Fast 4G and Slow 4G (scripts/dev/link_shaper.py),
bare Pyodide from the same files in the same run as the baseline.

Prints a table, writes build/bench.json and appends one dated line of JSON (the machine, its
load, every number) to scripts/dev/bench-history.jsonl. Numbers, not assertions: the targets are
printed beside each number so a regression is visible, and nothing fails on a slow machine.

Parts (`--only PART,...`; `make bench` runs them all):
  real     the real policy: the engine on CPython, the site builds (real; synthetic 1,000
           measures), the calculator as a visitor gets it, a guide page
  library  a synthetic library of 100 notices / 1,500 measures (scripts/dev/synthetic_policy.py):
           its build, its largest page, and its calculator beside the real site and bare Pyodide
           in the same run (bytes, cold ready on Fast 4G, one evaluation, the list check)
  stress   300 notices / 4,500 measures, and how the build time grows (1,500 / 3,000 / 4,500)
  serve    `mkdocs serve --dirty` (as `make serve`) on the 100-notice library and the real policy: a
           measure file saved until its page shows it, and the CPU each save costs
  phone    Chromium in a CPU-limited cgroup (half a core: a phone's CPU, workers included) on
           Fast 4G: cold and warm ready beside bare Pyodide
  suite    `make test` as a developer runs it with everything installed (lint, the site, every
           test): its time and CPU seconds (issue 36: within 3 minutes on 2 cores)

    python -m scripts.dev.bench [--only real,library,...] [--runs 3] [--slow-runs 2] [--skip-scale]
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import json
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "calculator" / "src")]

from scripts.dev.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Playwright

    from scripts.server.local_nginx import LocalNginx

SITE = ROOT / "site"
HISTORY = ROOT / "scripts" / "dev" / "bench-history.jsonl"
PARTS = ("real", "library", "stress", "serve", "phone", "suite")
LIBRARY = (1500, 100)   # measures, notices: a bureau's library after five years
STRESS = ((3000, 200), (4500, 300))   # with LIBRARY, three sizes to see how the build grows
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
    "eval_page_what_if_p95_ms": 20.0,
    "eval_cpython_p50_ms": 0.2,
    "guide_page_gzip_kb": 80.0,
    # issue 32: a library of 100 notices / 1,500 measures
    "build_library_s": 45.0,
    "library_guide_page_gzip_kb": 80.0,
    "stress_guide_page_gzip_kb": 80.0,
    "library_calc_extra_bytes_kb": 150.0,     # brotli host, against the real site
    "library_calc_over_real_fast_4g": 1.10,    # cold ready, same run
    "library_eval_page_p95_ms": 5.0,
    "library_eval_page_what_if_p95_ms": 100.0,
    "library_list_check_s": 2.0,
    "serve_save_to_page_s": 5.0,
    "suite_make_test_s": 180.0,
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


def _scale_build(config_file: Path, work: Path, cpu: list[float] | None = None) -> float:
    """A full build of the synthetic site `work/site` from `work/policy` (scripts/dev/scale.py), in a
    process of its own as `make site` builds; returns the seconds mkdocs took (the synthetic
    policy's writing not included). `cpu`: gets the CPU seconds of that process (user + system),
    which the load of other work on the machine changes far less than the time."""
    shutil.rmtree(work / "site", ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from pathlib import Path; from scripts.dev import scale; "
         "print(scale.build(Path(sys.argv[1]), Path(sys.argv[2])))", str(config_file), str(work / "policy")],
        cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-12:])
        raise RuntimeError(f"the build of {work / 'policy'} failed:\n{tail}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if cpu is not None:
        cpu.append(round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2))
    return float(done.stdout.split()[-1])


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
            from scripts.dev.scale import prepare
            work = Path(tmp) / "scale"
            work.mkdir()
            config_file = prepare(work, 1000, hostile=False)
            cpu: list[float] = []
            times = [_scale_build(config_file, work, cpu) for _ in range(max(1, runs // 2))]
            total, largest, name = _sizes(work / "site")
            out.update(build_scale_s=median(times), build_scale_cpu_s=median(cpu), scale_total_mb=round(total / 1e6, 1),
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


def _bench_site(tmp: Path, site: Path = SITE, name: str = "site") -> Path:
    copy = tmp / name
    shutil.copytree(site, copy, copy_function=os.link)
    bare = copy / "__bare"
    bare.mkdir()
    (bare / "index.html").write_text(BARE_HTML, encoding="utf-8")
    (bare / "bare.js").write_text(BARE_JS, encoding="utf-8")
    (bare / "bare-worker.js").write_text(BARE_WORKER, encoding="utf-8")
    return copy


def _host(site_dir: Path) -> tuple[LocalNginx, str]:
    """(server with .url/.port/.start/.stop, description): nginx as deployed."""
    from scripts.server.local_nginx import LocalNginx
    return LocalNginx(site_dir), "nginx, precompressed brotli q11 / gzip -9, Zopfli from 1 MB (scripts/server)"


def _port(server: LocalNginx) -> int:
    return int(server.url.rsplit(":", 1)[1])


def _launch(playwright: Playwright, profile: Path, executable: str = CHROMIUM) -> BrowserContext:
    return playwright.chromium.launch_persistent_context(
        str(profile), executable_path=executable, args=CHROMIUM_ARGS, headless=True)


def _visit(context: BrowserContext, url: str, ready: str, mark: str, marks: tuple[str, ...] = ()) -> dict[str, float]:
    """Navigation start to `mark` (and to each of `marks`), in seconds, on the page's own clock
    (app.js marks the moments): timing it from here would add Playwright's polling."""
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(url)
    page.wait_for_selector(ready, state="attached", timeout=180_000)
    out = {}
    for name in (mark, *marks):
        out[name] = page.evaluate("(n) => performance.getEntriesByName(n)[0].startTime", name) / 1000
    return out


def _settle(context: BrowserContext) -> float:
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
                            ready = _visit(context, base + "/calculator/", CALC_READY, "calculator-ready")
                            warm.append(ready["calculator-ready"])
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


def _bench_evaluations(p: Playwright, tmp: Path, base: str, key: str = "eval_page") -> dict[str, Any]:
    context = _launch(p, tmp / f"profile-{key}")
    page = context.new_page()
    page.goto(base + "/calculator/?test=1")
    page.wait_for_selector(CALC_READY, state="attached", timeout=60_000)
    # as a visitor who reads the first question: the worker uses that time to warm up
    page.wait_for_timeout(2000)
    out: dict[str, Any] = {}
    # one evaluation as the page asks for it (with what would change the answer), and without it
    for suffix, what_if in (("", False), ("_what_if", True)):
        # as the page asks: it has the measure table from its first result (browser_shape)
        samples = page.evaluate("""async ([n, whatIf]) => {
            const api = window.__subsidyCalculatorTest;
            const ask = (table) => JSON.stringify({answers: {role: "enterprise", enterprise_size: "small",
                graduates_hired: 3}, on: null, lang: "zh", what_if: whatIf, cards: {}, skipped: [], table});
            const [first] = await api.evaluateMany([ask(null)]);
            const request = ask(JSON.parse(first.json).table ?? null);
            const out = [];
            for (let i = 0; i < n; i++) {
                const t = performance.now();
                await api.evaluateMany([request]);
                out.push(performance.now() - t);
            }
            return out;
        }""", [500 if not what_if else 200, what_if])
        samples.sort()
        out[f"{key}{suffix}_p50_ms"] = round(samples[len(samples) // 2], 3)
        out[f"{key}{suffix}_p95_ms"] = round(samples[int(len(samples) * 0.95)], 3)
    context.close()
    return out


def bench_guide_page(site: Path = SITE, path: str = "measures/employment-entrepreneurship-subsidies/",
                     key: str = "guide_page") -> dict[str, Any]:
    """A guide page (a measure page of the real site by default): what a visitor downloads
    (HTML, CSS and JavaScript, gzip -9, as the target counts it; and bytes on the wire from the
    host, everything included), and that no Pyodide file is among it."""
    from playwright.sync_api import sync_playwright

    from scripts.dev.link_shaper import LinkShaper

    urls: list[str] = []
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        server, _ = _host(site)
        server.start()
        try:
            with LinkShaper.profile(_port(server), "localhost") as link:
                context = _launch(p, Path(tmp) / "guide")
                page = context.new_page()
                context.on("request", lambda r: urls.append(r.url))
                page.goto(f"http://127.0.0.1:{link.port}/{path}", wait_until="networkidle")
                sent = link.down_bytes
                context.close()
        finally:
            server.stop()
    raw = gz = 0
    for url in urls:
        rel = url.split("://", 1)[-1].split("/", 1)[-1].split("?")[0].split("#")[0]
        file = site / rel
        if file.is_dir():
            file = file / "index.html"
        if file.is_file() and (file.suffix in {".html", ".css", ".js"}):
            data = file.read_bytes()
            raw += len(data)
            gz += len(gzip.compress(data, 9))
    pyodide = [u for u in urls if "/assets/pyodide/" in u or u.endswith(".whl")]
    index = [u for u in urls if "search_index" in u]
    return {f"{key}_bytes_kb": round(sent / 1e3, 1), f"{key}_raw_kb": round(raw / 1e3, 1),
            f"{key}_gzip_kb": round(gz / 1e3, 1), f"{key}_requests": len(urls),
            f"{key}_pyodide_requests": len(pyodide), f"{key}_search_index_requests": len(index)}


# --- issue 32: a library of notices -------------------------------------------------------------
class Libraries:
    """The synthetic libraries of this run (scripts/dev/scale.py), written and built once in `tmp`
    and shared by the parts that need them."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.builds: dict[tuple[int, int], float] = {}
        self.cpu: dict[tuple[int, int], float] = {}

    def work(self, measures: int, notices: int) -> Path:
        """The folder of that library: policy/, docs/ and mkdocs.yml written (not built)."""
        from scripts.dev import scale

        work = self.tmp / f"library-{notices}"
        if not (work / "mkdocs.yml").exists():
            work.mkdir(parents=True, exist_ok=True)
            scale.prepare(work, measures, hostile=False, notices=notices)
        return work

    def build(self, measures: int, notices: int) -> tuple[Path, float]:
        """(folder, seconds of its full build): built into folder/site, once per run."""
        work = self.work(measures, notices)
        if (measures, notices) not in self.builds or not (work / "site").exists():
            print(f"bench:   building {notices} notices / {measures:,} measures ...", file=sys.stderr, flush=True)
            cpu: list[float] = []
            self.builds[(measures, notices)] = _scale_build(work / "mkdocs.yml", work, cpu)
            self.cpu[(measures, notices)] = cpu[0]
        return work, round(self.builds[(measures, notices)], 2)


def _largest_page(site: Path, generated: bool = True) -> tuple[int, str]:
    """(gzip -9 bytes, path) of the built page that is largest once compressed: of the pages made
    from the policy (those that grow with the library), or (`generated=False`) of the others (the
    staff guide, written by hand, is the largest)."""
    from scripts.pages import guide

    def made(rel: str) -> bool:
        parts = rel.split("/")[1:] if rel.startswith("en/") else rel.split("/")
        return parts[0] in guide.GENERATED_DIRS or parts == ["index.html"] or parts[0] in ("changes", "notices")

    return max((len(gzip.compress(p.read_bytes(), 9)), rel) for p in site.rglob("*.html")
               if made(rel := p.relative_to(site).as_posix()) == generated)


def _served_copy(site: Path, dest: Path, pages: list[str], precompressed: bool = True) -> Path:
    """A copy (hard links) of what the calculator, the list check and `pages` need of a built
    site (`pages`: their HTML files), with the .br/.gz copies a publication writes (scripts/bundle/precompress.py, cached by
    content in build/precompressed/: a library's thousands of pages are not needed here)."""
    from scripts.bundle import precompress

    for rel in ("assets", "calculator", "en/calculator", "sw.js", "index.html", "404.html", "en/404.html", *pages):
        source = site / rel
        if source.is_dir():
            shutil.copytree(source, dest / rel, copy_function=os.link, dirs_exist_ok=True)
        elif source.is_file() and not (dest / rel).exists():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            os.link(source, dest / rel)
    if precompressed:
        precompress.precompress(dest)
    return dest


def _notices(work: Path) -> int:
    return sum(1 for p in (work / "policy" / "notices").iterdir() if (p / "notice.yaml").is_file())


def bench_library(libs: Libraries, runs: int, list_runs: int) -> dict[str, Any]:
    """100 notices / 1,500 measures in both languages, beside the real site in the same run."""
    measures, notices = LIBRARY
    work, seconds = libs.build(measures, notices)
    site = work / "site"
    total, _, _ = _sizes(site)
    rules = next((site / "assets" / "calculator").glob("rules.*.json"))
    out: dict[str, Any] = {"library_notices": _notices(work), "library_measures": measures, "build_library_s": seconds,
                           "build_library_cpu_s": libs.cpu[LIBRARY],
                           "library_pages": sum(1 for _ in site.rglob("*.html")), "library_total_mb": round(total / 1e6, 1),
                           "library_rules_raw_kb": round(rules.stat().st_size / 1e3, 1)}
    for lang, index in (("zh", "search/search_index.json"), ("en", "en/search/search_index.json")):
        data = (site / index).read_bytes()
        out[f"library_search_index_{lang}_gzip_kb"] = round(len(gzip.compress(data, 9)) / 1e3, 1)
    html_gz, largest = _largest_page(site)
    out.update(library_largest_page=largest, library_largest_page_html_gzip_kb=round(html_gz / 1e3, 1))
    print("bench:   serving copy of the library (precompressed) ...", file=sys.stderr, flush=True)
    written_gz, written = _largest_page(site, generated=False)
    served = _served_copy(site, libs.tmp / "library-served", [largest, written])
    out["library_rules_br_kb"] = round((served / rules.relative_to(site)).with_suffix(".json.br").stat().st_size / 1e3, 1)
    out.update(bench_guide_page(served, str(Path(largest).parent) + "/", key="library_guide_page"))
    # the largest page written by hand, for comparison (it does not grow with the library)
    out.update(library_handwritten_page=written,
               library_handwritten_page_gzip_kb=bench_guide_page(served, str(Path(written).parent) + "/",
                                                                 key="page")["page_gzip_kb"])
    out.update(_calculator_beside_real(served, runs))
    out.update(_list_checks(served, list_runs))
    return out


def _calculator_beside_real(library_site: Path, runs: int) -> dict[str, Any]:
    """The calculator of the library and of the real site, and bare Pyodide, cold on Fast 4G,
    interleaved (new profile each); then evaluations in each page."""
    from playwright.sync_api import sync_playwright

    from scripts.dev.link_shaper import LinkShaper
    from scripts.server.local_nginx import LocalNginx

    samples: dict[str, list[float]] = {"real": [], "library": [], "bare": []}
    sent: dict[str, list[int]] = {"real": [], "library": []}
    out: dict[str, Any] = {}
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        real, library = LocalNginx(_bench_site(Path(tmp))), LocalNginx(library_site)
        real.start()
        library.start()
        try:
            with LinkShaper.profile(_port(real), "fast-4g") as real_link, \
                    LinkShaper.profile(_port(library), "fast-4g") as library_link:
                for n in range(runs):
                    for kind, link in (("real", real_link), ("library", library_link), ("bare", real_link)):
                        context = _launch(p, Path(tmp) / f"{kind}-{n}")
                        link.reset()
                        base = f"http://127.0.0.1:{link.port}"
                        if kind == "bare":
                            ready = _visit(context, base + "/__bare/", "body[data-ready]", "bare-ready")
                            samples[kind].append(ready["bare-ready"])
                        else:
                            ready = _visit(context, base + "/calculator/", CALC_READY, "calculator-ready")
                            samples[kind].append(ready["calculator-ready"])
                            sent[kind].append(link.down_bytes)
                        context.close()
            out.update(_bench_evaluations(p, Path(tmp), real.url, "real_eval_page"))
            out.update(_bench_evaluations(p, Path(tmp), library.url, "library_eval_page"))
        finally:
            real.stop()
            library.stop()
    real_s, library_s, bare_s = (median(samples[k]) for k in ("real", "library", "bare"))
    out.update(real_calc_cold_ready_fast_4g_s=real_s, library_calc_cold_ready_fast_4g_s=library_s,
               library_bare_pyodide_cold_ready_fast_4g_s=bare_s,
               library_calc_over_real_fast_4g=round(library_s / real_s, 3),
               real_calc_over_bare_fast_4g=round(real_s / bare_s, 3),
               library_calc_over_bare_fast_4g=round(library_s / bare_s, 3),
               real_calc_cold_bytes_mb=round(statistics.median(sent["real"]) / 1e6, 3),
               library_calc_cold_bytes_mb=round(statistics.median(sent["library"]) / 1e6, 3),
               library_calc_extra_bytes_kb=round((statistics.median(sent["library"]) - statistics.median(sent["real"])) / 1e3, 1),
               library_calc_cold_samples_s=[round(s, 2) for s in samples["library"]],
               real_calc_cold_samples_s=[round(s, 2) for s in samples["real"]],
               library_bare_samples_s=[round(s, 2) for s in samples["bare"]])
    return out


def _list_checks(library_site: Path, runs: int) -> dict[str, Any]:
    """10,000 rows checked in the browser (scripts/dev/bench_lists.py), real site, then the library."""
    from scripts.dev import bench_lists

    data = bench_lists.placements(10_000)
    out: dict[str, Any] = {}
    for key, site in (("real", SITE), ("library", library_site)):
        result = bench_lists.bench_browser(data, runs, site)
        out[f"{key}_list_check_s"] = result["median_s"]
        out[f"{key}_list_check_first_s"] = result["first_s"]
        out[f"{key}_list_longest_task_s"] = result["longest_main_thread_task_s"]
    return out


def bench_stress(libs: Libraries) -> dict[str, Any]:
    """300 notices / 4,500 measures, and the build time at three sizes of library."""
    growth: list[dict[str, Any]] = []
    out: dict[str, Any] = {}
    for measures, notices in (LIBRARY, *STRESS):
        work, seconds = libs.build(measures, notices)
        site = work / "site"
        total, _, _ = _sizes(site)
        html_gz, largest = _largest_page(site)
        growth.append({"notices": _notices(work), "measures": measures, "build_s": seconds,
                       "build_cpu_s": libs.cpu[(measures, notices)],
                       "pages": sum(1 for _ in site.rglob("*.html")), "total_mb": round(total / 1e6, 1),
                       "largest_page": largest, "largest_page_html_gzip_kb": round(html_gz / 1e3, 1)})
        if (measures, notices) == STRESS[-1]:
            served = _served_copy(site, libs.tmp / "stress-served", [largest], precompressed=False)
            page = bench_guide_page(served, str(Path(largest).parent) + "/", key="stress_guide_page")
            out.update(stress_largest_page=largest, stress_guide_page_gzip_kb=page["stress_guide_page_gzip_kb"])
            shutil.rmtree(served, ignore_errors=True)
        if (measures, notices) != LIBRARY:
            shutil.rmtree(site, ignore_errors=True)  # hundreds of MB
    first, last = growth[0], growth[-1]
    out.update(stress_notices=last["notices"], stress_measures=last["measures"], build_stress_s=last["build_s"],
               stress_pages=last["pages"], stress_total_mb=last["total_mb"], build_growth=growth,
               # seconds per 1,000 more measures, between the smallest and the largest library
               build_s_per_1000_measures=round((last["build_s"] - first["build_s"]) * 1000
                                               / (last["measures"] - first["measures"]), 2),
               build_growth_ratio=round(last["build_s"] / first["build_s"], 2),
               build_cpu_s_per_1000_measures=round((last["build_cpu_s"] - first["build_cpu_s"]) * 1000
                                                   / (last["measures"] - first["measures"]), 2),
               build_cpu_growth_ratio=round(last["build_cpu_s"] / first["build_cpu_s"], 2),
               build_growth_linear_ratio=round(last["measures"] / first["measures"], 2))
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_idle(log: Path, quiet: float = 5.0, timeout: float = 900) -> None:
    """Until `mkdocs serve` has answered every change it detected (its log: "Detected file
    changes", then "Reloading browsers" once the build, or the preview's decision to skip it, is
    done, or "An error happened" when it failed) and detected none for `quiet` seconds. (Not
    "Documentation built in": static-i18n hides that line while it builds the other languages,
    and one run's log lacked it once.)"""
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace")
        state = (text.count("Detected file changes"),
                 text.count("Reloading browsers") + text.count("An error happened during the rebuild"))
        if state != last:
            last, since = state, time.monotonic()
        elif state[0] <= state[1] and time.monotonic() - since >= quiet:
            return
        time.sleep(0.5)
    raise TimeoutError(f"mkdocs serve still building after {timeout} s")


def _wait_http(url: str, timeout: float, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"mkdocs serve stopped ({process.returncode})")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def bench_serve(libs: Libraries, edits: int = 3) -> dict[str, Any]:
    """`mkdocs serve --dirty`, as `make serve` runs it (the live preview, scripts/pages/preview.py):
    a measure file saved, until the page open in the browser shows the change (MkDocs' live
    reload), as staff see it: on the real policy (a copy) and on the 100-notice library."""
    from scripts.dev import scale

    real = libs.tmp / "real-policy"
    if not real.exists():
        shutil.copytree(ROOT / "policy", real / "policy")
        scale.site_config(real)
    notice = ROOT / "policy" / "notices" / "eighteen-measures"
    out = _serve(real, sorted((real / "policy" / notice.relative_to(ROOT / "policy") / "measures").glob("*.yaml"))[0],
                 edits, key="real_serve")
    measures, notices = LIBRARY
    work = libs.work(measures, notices)
    folder = sorted((work / "policy" / "notices").glob("synthetic-*"))[notices // 2]
    file = sorted((folder / "measures").glob("*.yaml"))[0]
    out.update(_serve(work, file, edits, key="serve"))
    return out


def _serve(work: Path, file: Path, edits: int, key: str) -> dict[str, Any]:
    """`mkdocs serve --dirty` of `work/policy` (the command of `make serve`); `edits` saves of the
    measure `file` (its Chinese title)."""
    import yaml
    from playwright.sync_api import sync_playwright

    from scripts.dev import scale

    config = scale.site_config(work, serve=True)
    original = file.read_text(encoding="utf-8")
    measure = yaml.safe_load(original)
    title = measure["title"]["zh"]
    port = _free_port()
    url = f"http://127.0.0.1:{port}/measures/{measure['id']}/"
    log_path = work.parent / f"{key}.log"
    log = open(log_path, "w", encoding="utf-8")
    env = {**os.environ, "POLICY_DIR": str(work / "policy"), "NO_MKDOCS_2_WARNING": "1"}
    mkdocs = Path(sys.executable).with_name("mkdocs")
    started = time.perf_counter()
    command = [str(mkdocs), "serve", "--dirty", "-f", str(config), "-a", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    samples: list[float] = []
    cpu: list[float] = []
    try:
        _wait_http(url, 900, process)
        first = time.perf_counter() - started
        log.flush()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page()
            page.goto(url)
            page.locator("h1", has_text=title).wait_for()
            for n in range(1, edits + 1):
                new_title = f"{title}（第{n}次修改）"
                edited = original.replace(title, new_title, 1)
                if edited == original:
                    raise RuntimeError(f"{file}: its title is not written as {title!r}")
                before = _process_cpu(process.pid)
                file.write_text(edited, encoding="utf-8")
                saved = time.perf_counter()
                page.locator("h1", has_text=new_title).wait_for(timeout=600_000)
                samples.append(time.perf_counter() - saved)
                # the build that showed it wrote the measure's page into docs/, which mkdocs serve
                # also watches: a second build follows. The next save waits for quiet.
                _wait_idle(log_path)
                cpu.append(_process_cpu(process.pid) - before)
            browser.close()
    finally:
        file.write_text(original, encoding="utf-8")
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
    total_builds = _builds(log_path)
    return {f"{key}_first_build_s": round(first, 2), f"{key}_save_to_page_s": median(samples),
            f"{key}_save_to_page_samples_s": [round(s, 2) for s in samples],
            # CPU seconds of mkdocs serve for each save, until it is quiet again (the impact report's
            # thread and the build that follows the first included), and the machine's load then
            f"{key}_cpu_per_save_s": [round(c, 2) for c in cpu], f"{key}_load": round(os.getloadavg()[0], 2),
            # builds of the site for `edits` saves (the first build not counted)
            f"{key}_builds_per_save": round((total_builds - 1) / max(1, len(samples)), 2)}


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _builds(log: Path) -> int:
    return log.read_text(encoding="utf-8", errors="replace").count("Building documentation...")


PHONE_QUOTA_US = 50_000  # of each 100 ms: half a core for every process of the browser together


@contextlib.contextmanager
def _cgroup(controller: str, name: str) -> Iterator[Path]:
    """A new cgroup v1 group of `controller` (OSError where there is none), removed after use once
    the processes put in it have ended."""
    group = Path("/sys/fs/cgroup") / controller / name
    group.mkdir()
    try:
        yield group
    finally:
        for _ in range(50):  # its processes leave the group as they end
            try:
                group.rmdir()
                break
            except OSError:
                time.sleep(0.2)


@contextlib.contextmanager
def _phone_chromium(tmp: Path, stats: dict[str, int]) -> Iterator[str]:
    """A Chromium whose processes all run in a CPU-limited cgroup (v1 `cpu` controller): a
    wrapper script that moves itself into the group, then becomes Chromium. DevTools' CPU
    throttling slows the page's main thread only, not the calculator's worker. The servers and the
    link shaper stay outside the group (they are not the phone)."""
    with _cgroup("cpu", f"bench-phone-{os.getpid()}") as group:
        try:
            (group / "cpu.cfs_period_us").write_text("100000")
            (group / "cpu.cfs_quota_us").write_text(str(PHONE_QUOTA_US))
            wrapper = tmp / "chromium-phone.sh"
            wrapper.write_text(f'#!/bin/sh\necho $$ > {group}/cgroup.procs\nexec {CHROMIUM} "$@"\n', encoding="utf-8")
            wrapper.chmod(0o755)
            yield str(wrapper)
        finally:
            with contextlib.suppress(OSError, ValueError):  # proof that the group did slow the browser
                stats.update({k: int(v) for k, v in (line.split() for line in (group / "cpu.stat").read_text().splitlines())})


def bench_phone(runs: int) -> dict[str, Any]:
    """The real site's calculator and bare Pyodide on a phone-class CPU (half a core), Fast 4G:
    a first visit (new profile), then a second visit with the same profile (the calculator then
    restores the snapshot its first visit kept; bare Pyodide has the browser's cache)."""
    from playwright.sync_api import sync_playwright

    from scripts.dev.link_shaper import LinkShaper

    rows: dict[str, list[float]] = {"calc_cold": [], "calc_warm": [], "bare_cold": [], "bare_warm": []}
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        try:
            stats: dict[str, int] = {}
            phone = _phone_chromium(Path(tmp), stats)
            executable = phone.__enter__()
        except OSError as error:
            print(f"bench: no CPU-limited cgroup here ({error}): phone row skipped", file=sys.stderr)
            return {"phone": f"skipped: {error}"}
        server, _ = _host(_bench_site(Path(tmp)))
        server.start()
        try:
            with LinkShaper.profile(_port(server), "fast-4g") as link:
                base = f"http://127.0.0.1:{link.port}"
                for n in range(runs):
                    for kind, path, ready, mark in (("calc", "/calculator/", CALC_READY, "calculator-ready"),
                                                    ("bare", "/__bare/", "body[data-ready]", "bare-ready")):
                        profile = Path(tmp) / f"phone-{kind}-{n}"
                        context = _launch(p, profile, executable)
                        rows[f"{kind}_cold"].append(_visit(context, base + path, ready, mark)[mark])
                        if kind == "calc":
                            _settle(context)
                        else:
                            context.pages[0].wait_for_timeout(2000)
                        context.close()
                        context = _launch(p, profile, executable)
                        rows[f"{kind}_warm"].append(_visit(context, base + path, ready, mark)[mark])
                        context.close()
        finally:
            server.stop()
            phone.__exit__(None, None, None)
    out: dict[str, Any] = {"phone_cpu": f"{PHONE_QUOTA_US / 100_000:.1f} core (cgroup cpu.cfs_quota_us), Fast 4G",
                           "phone_throttled_periods": f"{stats.get('nr_throttled', '?')} of {stats.get('nr_periods', '?')}"}
    for key, samples in rows.items():
        kind, visit = key.split("_")
        out[f"phone_{'calc' if kind == 'calc' else 'bare_pyodide'}_{visit}_ready_s"] = median(samples)
    out["phone_calc_over_bare_cold"] = round(out["phone_calc_cold_ready_s"] / out["phone_bare_pyodide_cold_ready_s"], 2)
    out["phone_calc_over_bare_warm"] = round(out["phone_calc_warm_ready_s"] / out["phone_bare_pyodide_warm_ready_s"], 2)
    return out


def bench_cpython() -> dict[str, Any]:
    out = subprocess.run([sys.executable, "calculator/bench.py", "--json"], cwd=ROOT,
                         check=True, capture_output=True, text=True).stdout
    data = json.loads(out)
    p50 = data.get("median_ms", data.get("evaluate_median_ms"))
    return {"eval_cpython_p50_ms": p50}


def bench_suite() -> dict[str, Any]:
    """`make test` once, its output kept aside (printed if it fails): the seconds it takes, the CPU
    seconds of everything it ran (every test process, browser and server: a cgroup v1 `cpuacct`
    group; None where there is none), the tests passed and pytest's seconds."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    with contextlib.ExitStack() as stack:
        try:
            group: Path | None = stack.enter_context(_cgroup("cpuacct", f"bench-suite-{os.getpid()}"))
        except OSError:
            group = None
        enter = f"echo $$ > {group}/cgroup.procs; " if group else ""
        begun = time.perf_counter()
        done = subprocess.run(["sh", "-c", enter + f'exec make -C "{ROOT}" test'], env=env,
                              capture_output=True, text=True)
        seconds = time.perf_counter() - begun
        cpu = int((group / "cpuacct.usage").read_text()) / 1e9 if group else None
    if done.returncode != 0:
        print(done.stdout[-20_000:], done.stderr[-20_000:], sep="\n", file=sys.stderr)
        raise RuntimeError(f"make test failed ({done.returncode})")
    found = re.search(r"(\d+) passed in ([\d.]+)s", done.stdout)
    return {"suite_make_test_s": round(seconds, 1), "suite_cpu_s": round(cpu, 1) if cpu is not None else None,
            "suite_tests_passed": int(found.group(1)) if found else None,
            "suite_pytest_s": float(found.group(2)) if found else None}


def _machine() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return {"host": socket.gethostname(), "cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "load_at_start": [round(x, 2) for x in os.getloadavg()], "commit": commit}


def _parts(only: str | None) -> list[str]:
    chosen = [p.strip() for p in (only or ",".join(PARTS)).split(",") if p.strip()]
    unknown = [p for p in chosen if p not in PARTS]
    if unknown:
        raise SystemExit(f"bench: unknown part {', '.join(unknown)}; parts: {', '.join(PARTS)}")
    return [p for p in PARTS if p in chosen]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help=f"run only these parts, comma-separated: {', '.join(PARTS)} (default: all)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--slow-runs", type=int, default=2, help="cold runs on Slow 4G (about 25 s each)")
    parser.add_argument("--phone-runs", type=int, default=2, help="runs on the half-core CPU (a minute or more each)")
    parser.add_argument("--skip-scale", action="store_true", help="real part: skip the 1,000-measure build")
    parser.add_argument("--only-visitor", action="store_true", help="real part: only the calculator and guide pages")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench.json")
    parser.add_argument("--history", type=Path, default=HISTORY, help="append the run here as one line of JSON")
    args = parser.parse_args(argv)
    parts = _parts(args.only)
    if not (SITE / "index.html").exists():
        print("bench: no site/ yet: run `make site` first", file=sys.stderr)
        return 2
    started = dt.datetime.now(dt.timezone.utc)
    machine = _machine()
    results: dict[str, Any] = {"when": started.strftime("%Y-%m-%d %H:%M UTC"), "runs": args.runs,
                               "cores": os.cpu_count(), "parts": parts}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        libs = Libraries(Path(tmp))
        steps: list[tuple[str, Callable[[], dict[str, Any]]]] = []
        if "real" in parts:
            if not args.only_visitor:
                steps += [("engine on CPython", bench_cpython),
                          ("site builds", lambda: bench_builds(args.runs, not args.skip_scale))]
            steps += [("calculator page as a visitor gets it", lambda: bench_visitor(args.runs, args.slow_runs)),
                      ("guide page", bench_guide_page)]
        if "library" in parts:
            steps.append(("library of 100 notices / 1,500 measures", lambda: bench_library(libs, args.runs, args.runs)))
        if "stress" in parts:
            steps.append(("stress library of 300 notices / 4,500 measures", lambda: bench_stress(libs)))
        if "serve" in parts:
            steps.append(("mkdocs serve on the library", lambda: bench_serve(libs)))
        if "phone" in parts:
            steps.append(("phone-class CPU", lambda: bench_phone(args.phone_runs)))
        if "suite" in parts:
            steps.append(("make test", bench_suite))
        for name, step in steps:
            print(f"bench: {name} ...", file=sys.stderr, flush=True)
            begun = time.perf_counter()
            try:
                results.update(step())
            except Exception as error:  # noqa: BLE001 - the other parts' numbers are still worth keeping
                import traceback
                traceback.print_exc()
                results.setdefault("errors", []).append(f"{name}: {type(error).__name__}: {error}")
            print(f"bench: {name}: {time.perf_counter() - begun:.0f} s", file=sys.stderr, flush=True)
    results["minutes"] = round((dt.datetime.now(dt.timezone.utc) - started).total_seconds() / 60, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    machine["load_at_end"] = [round(x, 2) for x in os.getloadavg()]
    with open(args.history, "a", encoding="utf-8") as history:
        history.write(json.dumps({"when": started.isoformat(timespec="seconds"), "machine": machine,
                                  "parts": parts, "results": results}, ensure_ascii=False, separators=(",", ":")) + "\n")
    _print_table(results)
    print(f"written to {args.out}, appended to {args.history}")
    return 0


def _print_table(results: dict[str, Any]) -> None:
    width = max(map(len, results))
    print(f"{'measure'.ljust(width)}  {'median':>10}  target")
    for key, value in results.items():
        if key == "build_growth":
            for row in value:
                print(f"{'  build at':<{width}}  {row['build_s']:>10}  {row['build_cpu_s']} s CPU; "
                      f"{row['notices']} notices, {row['measures']:,} measures, "
                      f"{row['pages']:,} pages, {row['total_mb']} MB, largest {row['largest_page']} "
                      f"({row['largest_page_html_gzip_kb']} KB gzip)")
            continue
        target = TARGETS.get(key)
        verdict = "" if target is None or not isinstance(value, (int, float)) \
            else (f"<= {target}  " + ("ok" if value <= target else "MISSED"))
        print(f"{key.ljust(width)}  {str(value):>10}  {verdict}")


if __name__ == "__main__":
    sys.exit(main())
