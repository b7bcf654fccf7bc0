"""Build the whole site from a synthetic policy with N measures and report time and page sizes.

    python -m scripts.dev.scale [--count 1000] [--notices N] [--hostile] [--keep DIR]

`--count 1500 --notices 100` is the library of issue 32 (`make bench ONLY=library` times the same
build among much else): the quickest way to time just its build.

Works in a temporary folder (its own policy/, docs/ and site/), so the project's docs/ and
site/ are never touched. Prints the build time, the number of pages and the largest page.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from scripts.pages import guide

from scripts.dev import synthetic_policy

ROOT = Path(__file__).resolve().parents[2]


def prepare(work: Path, count: int, hostile: bool, notices: int | None = None) -> Path:
    """A policy, a docs/ (hand-written pages and assets only) and an mkdocs.yml in `work`.
    `notices`: how many notices hold the `count` measures (default: about 15 measures each)."""
    synthetic_policy.write(work / "policy", count, hostile, notices)
    return site_config(work)


def site_config(work: Path, serve: bool = False) -> Path:
    """A docs/ (hand-written pages and assets only) and an mkdocs.yml in `work`, to build the
    site of the policy folder `work/policy` into `work/site`; returns the mkdocs.yml. `serve`:
    mkdocs-serve.yml beside it, for `mkdocs serve` (which then watches `work/policy` as
    `make serve` watches policy/)."""
    if not (work / "docs").exists():
        generated = {*guide.GENERATED_DIRS, *guide.GENERATED_FILES, "calculator"}
        shutil.copytree(ROOT / "docs", work / "docs", ignore=lambda folder, names: [
            n for n in names if Path(folder) == ROOT / "docs" and n in generated])
    # INHERIT keeps everything of the project's mkdocs.yml; only the paths change.
    config = {"INHERIT": str(ROOT / "mkdocs.yml"), "docs_dir": str(work / "docs"),
              "site_dir": str(work / "site"), "hooks": [str(ROOT / "scripts" / "pages" / "mkdocs_hooks.py")],
              "theme": {"custom_dir": str(ROOT / "overrides")}, "watch": [str(work / "policy")] if serve else []}
    target = work / ("mkdocs-serve.yml" if serve else "mkdocs.yml")
    target.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def build(config_file: Path, policy_dir: Path) -> float:
    """`mkdocs build --strict`, in this process; returns the seconds it took."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    before = os.environ.get("POLICY_DIR")
    os.environ["POLICY_DIR"] = str(policy_dir)  # the hooks read the policy from there
    started = time.perf_counter()
    try:
        config = load_config(config_file=str(config_file), strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    finally:  # the caller's environment as it was (a test session goes on after it)
        if before is None:
            os.environ.pop("POLICY_DIR", None)
        else:
            os.environ["POLICY_DIR"] = before
    return time.perf_counter() - started


class Preview:
    """`mkdocs serve --dirty` as `make serve` runs it, without its server and its watcher, in this
    process: each `build()` is the build a save starts (the configuration loaded again, as MkDocs'
    serve does, the plugins and the hook kept), into one `site_dir`. `dirty=False`: as plain
    `mkdocs serve`, every build a whole one."""

    SERVE_URL = "http://127.0.0.1:8000/"

    def __init__(self, config_file: Path, policy_dir: Path, site_dir: Path, dirty: bool = True) -> None:
        self.config_file, self.policy_dir, self.site_dir, self.dirty = config_file, policy_dir, site_dir, dirty
        self.started = False
        self.config: Any = None

    def build(self) -> float:
        """One build; returns its seconds."""
        from mkdocs.commands.build import build as mkdocs_build
        from mkdocs.config import load_config

        saved = (os.environ.get("POLICY_DIR"), list(sys.argv))
        os.environ["POLICY_DIR"] = str(self.policy_dir)
        sys.argv[1:] = ["serve", "--dirty"] if self.dirty else ["serve"]   # static-i18n reads --dirty there
        started = time.perf_counter()
        try:
            self.config = load_config(config_file=str(self.config_file), site_dir=str(self.site_dir))
            if not self.started:
                self.config.plugins.on_startup(command="serve", dirty=self.dirty)
                self.started = True
            self.config.site_url = self.SERVE_URL
            mkdocs_build(self.config, serve_url=self.SERVE_URL, dirty=self.dirty)
        finally:
            if saved[0] is None:
                os.environ.pop("POLICY_DIR", None)
            else:
                os.environ["POLICY_DIR"] = saved[0]
            sys.argv[:] = saved[1]
        return time.perf_counter() - started

    def close(self) -> None:
        if self.config is not None:
            self.config.plugins.on_shutdown()
        from scripts.impact import report

        thread = report._later.get("thread")
        if thread is not None:   # the impact report of the last build, still being written
            thread.join()


def page_sizes(site: Path) -> list[tuple[int, str]]:
    return sorted(((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")),
                  reverse=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--notices", type=int, default=None, help="notices in all (default: one per 15 measures)")
    parser.add_argument("--hostile", action="store_true")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="site-scale-"))
    try:
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
        config_file = prepare(work, args.count, args.hostile, args.notices)
        before = resource.getrusage(resource.RUSAGE_SELF)
        seconds = build(config_file, work / "policy")
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        sizes = page_sizes(work / "site")
        notices = len(list((work / "policy" / "notices").iterdir()))
        print(f"{args.count} measures in {notices} notices x 2 languages: built in {seconds:.1f} s ({cpu:.1f} s CPU, "
              f"load {os.getloadavg()[0]:.1f}); {len(sizes)} pages; "
              f"largest {sizes[0][0] / 1024:.1f} KB ({sizes[0][1]})")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
