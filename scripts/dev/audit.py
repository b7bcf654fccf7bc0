"""`make audit`: Lighthouse (npm, pinned 12.2.3: the last that runs on Node 20), mobile, as an
outside auditor runs it, on the home page, a measure page, an audience page and the calculator,
in both languages, with the calculator also loading (served from a copy of the site whose
worker never starts Python), showing results and failed (from a copy that lost the calculator's
manifest), and the list check page.
The site is served by the production nginx rules (scripts/server/local_nginx.py), Chromium is
pinned to loopback. Prints each page's four scores and every failed audit; exits 1 when
accessibility, best practices or SEO is below 1 on any page (performance is judged by
`make bench`'s phone-network numbers, not here). Reports: build/audit/*.json.

    python -m scripts.dev.audit [--only calculator] [SITE_DIR]
"""
from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import subprocess
import tempfile
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "calculator" / "src")]

from scripts.server.local_nginx import LocalNginx  # noqa: E402
from scripts.dev.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
OUT = ROOT / "build" / "audit"
JUDGED = ("accessibility", "best-practices", "seo")
CATEGORIES = ("performance", *JUDGED)
ANSWERS = "#role=enterprise&enterprise_size=small&graduates_hired=3"
# Lighthouse judges a page once it has loaded; the calculator's Python starts in a worker, which
# it does not wait for. The ready states are judged after a pause for Python (the page's own
# performance mark, app.js's "calculator-ready" or lists.js's "list-ready", in the report's user
# timings, says it was reached); the loading state without it (the mark must be missing).
READY_MARKS = ("calculator-ready", "list-ready")
WAIT_FOR_PYTHON = Path(__file__).with_name("audit_wait_for_python.json")
# (name, path under the language's root, state: None (a guide page), "ready", "loading", "failed")
PAGES = [
    ("home", "", None),
    ("measure", "measures/employment-entrepreneurship-subsidies/", None),
    ("audience", "audiences/enterprises/", None),
    ("calculator", "calculator/", "ready"),
    ("calculator with results", "calculator/" + ANSWERS, "ready"),
    ("list", "calculator/list/#list=placements", "ready"),
]
# Two states are judged on altered copies of the site (Lighthouse's blocked URLs would not do:
# they do not reach the worker's requests), each named with the files it loses and what replaces
# them. The calculator loading, as a visitor on a slow link sees it while Python starts: its
# worker never starts Python (on the real site, on a fast machine, Python can be ready before
# Lighthouse judges the page). The calculator failed, as a visitor sees it when the host lost a
# file it needs: without the calculator's manifest the worker cannot start and the page shows its
# failure message and the links to the guide.
# (name, path, state, the file lost, what replaces it or None)
# The calculator's files are in the deployment's folder, assets/calculator/v-<hash>/ ("{folder}").
ALTERED = [
    ("calculator loading", "calculator/", "loading", "assets/calculator/{folder}worker.js",
     "// make audit: a worker that never starts Python (the loading state)\n"),
    ("calculator failed", "calculator/", "failed", "assets/calculator/{folder}manifest.json", None),
]


def state_seen(report: dict) -> str:
    """"ready" when the page marked the calculator ready before Lighthouse judged it, else "loading"."""
    items = ((report["audits"].get("user-timings") or {}).get("details") or {}).get("items") or []
    return "ready" if any(i.get("name") in READY_MARKS for i in items) else "loading"


def run_lighthouse(url: str, wait: bool, out: Path) -> dict | None:
    """Lighthouse's report, or None when it could not audit the page three times in a row (it sometimes
    loses the trace on a busy machine: "NO_NAVSTART"). `wait`: pause for Python after the load."""
    chrome_flags = " ".join(["--headless=new", *[_quote(f) for f in CHROMIUM_ARGS]])
    for _ in range(3):
        out.unlink(missing_ok=True)
        done = subprocess.run([str(LIGHTHOUSE), url, f"--chrome-path={CHROMIUM}", f"--chrome-flags={chrome_flags}",
                               f"--only-categories={','.join(CATEGORIES)}", "--output=json",
                               f"--output-path={out}", "--quiet",
                               *([f"--config-path={WAIT_FOR_PYTHON}"] if wait else [])], timeout=600)
        if done.returncode == 0 and out.exists():
            report = json.loads(out.read_text(encoding="utf-8"))
            if not report.get("runtimeError"):
                return report
    return None


def _quote(flag: str) -> str:
    """chrome-launcher splits --chrome-flags on spaces unless a value is quoted."""
    name, _, value = flag.partition("=")
    return f"{name}='{value}'" if " " in value else flag


def failed_audits(report: dict) -> list[str]:
    """Audits Lighthouse's report shows as failed (score under 0.9), per category."""
    lines = []
    for cid in CATEGORIES:
        for ref in report["categories"][cid]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if audit.get("score") is None or audit["score"] >= 0.9 or audit["scoreDisplayMode"] in (
                    "informative", "notApplicable", "manual"):
                continue
            value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
            lines.append(f"    {cid}: {audit['id']} {audit['score']:.2f}{value}: {audit['title']}")
            for item in ((audit.get("details") or {}).get("items") or [])[:3]:
                node = item.get("node") or {}
                where = node.get("snippet") or item.get("url") or item.get("source") or ""
                if where:
                    lines.append(f"      {str(where)[:160]}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site_dir", nargs="?", default=str(ROOT / "site"))
    parser.add_argument("--only", help="audit only the pages whose name contains this")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        sys.exit("node_modules/.bin/lighthouse missing: run `make setup`")
    OUT.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(LocalNginx(Path(args.site_dir), name="audit"))
        urls = {name: server.url for name, _, _ in PAGES}
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        manifest = json.loads((Path(args.site_dir) / "assets/calculator/manifest.json").read_text(encoding="utf-8"))
        for name, _, _, lost, replacement in ALTERED:
            lost = lost.format(folder=manifest["folder"])
            copy = tmp / name.replace(" ", "-")
            shutil.copytree(args.site_dir, copy)
            for file in copy.glob(lost + "*"):   # with its .br/.gz copies
                file.unlink()
            if replacement is not None:
                (copy / lost).write_text(replacement, encoding="utf-8")
            urls[name] = stack.enter_context(LocalNginx(copy, name="audit-" + name.replace(" ", "-"))).url
        below = audit_pages([*PAGES, *(page[:3] for page in ALTERED)], urls, args.only)
    if below:
        print("\nbelow 1.00:\n  " + "\n  ".join(below))
        return 1
    print("\naccessibility, best practices and SEO at 1.00 on every page audited")
    return 0


def audit_pages(pages: list[tuple[str, str, str | None]], urls: dict[str, str], only: str | None) -> list[str]:
    """Audit each page in both languages; print its scores and failed audits; returns what is below 1."""
    below = []
    for lang, prefix in (("zh", ""), ("en", "en/")):
        for name, path, state in pages:
            if only and only not in name:
                continue
            label = f"{name} ({lang})"
            url = f"{urls[name]}/{prefix}{path}"
            report = run_lighthouse(url, state == "ready", OUT / (f"{lang}-{name}".replace(" ", "-") + ".json"))
            if report is None:
                print(f"{label:32} Lighthouse could not audit {url}", flush=True)
                below.append(f"{label}: not audited")
                continue
            scores = {c: report["categories"][c]["score"] for c in CATEGORIES}
            print(f"{label:32} " + "  ".join(f"{c} {s:.2f}" if s is not None else f"{c} -"
                                             for c, s in scores.items()), flush=True)
            for line in failed_audits(report):
                print(line, flush=True)
            for warning in report.get("runWarnings") or []:
                if "slower CPU" not in warning:
                    print(f"    warning: {warning[:200]}", flush=True)
            below += [f"{label}: {c} {scores[c]}" for c in JUDGED if scores[c] != 1]
            if state in ("ready", "loading") and state_seen(report) != state:
                print(f"    judged while {state_seen(report)}, not {state}", flush=True)
                below.append(f"{label}: judged while {state_seen(report)}")
    return below


if __name__ == "__main__":
    sys.exit(main())
