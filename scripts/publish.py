"""Publish atomically: validate policy/ (and that every change since its last commit is in a
change log: scripts/policy/change_log.py), build into a temporary folder, write there the static
hosts' `_headers` and `_redirects` files and the precompressed .br/.gz copies, and only then
replace site/. A failed validation or build leaves the previous site/ exactly as it was."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Mapping

from scripts.bundle import precompress
from scripts.server import server_config
from scripts.policy.messages import say, staff_languages
from scripts.policy.revision import site_bundle
from scripts.pages.view import build_day, coming_changes

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    target = Path(args[0]) if args else ROOT / "site"
    policy_dir = os.environ.get("POLICY_DIR")  # another policy folder (tests, scale runs)
    check = subprocess.run([sys.executable, "-m", "scripts.policy.cli", *([policy_dir] if policy_dir else [])],
                           cwd=ROOT)
    if check.returncode == 0:  # then every change of a figure, condition or date is in a change log
        check = subprocess.run([sys.executable, "-m", "scripts.policy.change_log", *([policy_dir] if policy_dir else [])],
                               cwd=ROOT)
    if check.returncode != 0:
        print(say("build.policy_problems", staff_languages(), target=target), file=sys.stderr)
        return 1
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=target.parent))
    staging.chmod(0o755)  # mkdtemp's 0700 would travel with a copy to the server: nginx could not read it
    mkdocs = Path(sys.executable).with_name("mkdocs")
    built = subprocess.run([str(mkdocs), "build", "--strict", "--quiet", "--site-dir", str(staging)], cwd=ROOT)
    if built.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"publish: the build failed (above); {target} was left unchanged.", file=sys.stderr)
        return 1
    try:
        (staging / "_headers").write_text(server_config.headers_file(), encoding="utf-8")
        (staging / "_redirects").write_text(server_config.redirects_file(), encoding="utf-8")
        counts = precompress.precompress(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)
    print(f"publish: published {target} ({counts['copies']} precompressed .br/.gz copies)")
    print(rebuild_reminder(site_bundle(target)))
    return 0


def rebuild_reminder(policy: Mapping[str, Any]) -> str:
    """As of which day the pages of `policy` (the published rules bundle) are written, and every
    day to come on which they must be built again."""
    day = build_day()
    coming = coming_changes(policy, day)
    if not coming:
        return say("build.written_as_of", staff_languages(), day=day)
    if len(coming) == 1:
        return say("build.rebuild_on", staff_languages(), day=day, next=coming[0])
    return say("build.rebuild_on_each", staff_languages(), day=day, days=tuple(coming))


if __name__ == "__main__":
    sys.exit(main())
