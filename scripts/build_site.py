"""Publish atomically: validate policy/, build into a temporary folder, and only then replace
site/. A failed validation or build leaves the previous site/ exactly as it was."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    target = Path(args[0]) if args else ROOT / "site"
    policy_dir = os.environ.get("POLICY_DIR")  # another policy folder (tests, scale runs)
    check = subprocess.run([sys.executable, "-m", "scripts.validate_policy", *([policy_dir] if policy_dir else [])],
                           cwd=ROOT)
    if check.returncode != 0:
        print(f"build_site: policy/ has problems (above); {target} was left unchanged.", file=sys.stderr)
        return 1
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=target.parent))
    mkdocs = Path(sys.executable).with_name("mkdocs")
    built = subprocess.run([str(mkdocs), "build", "--strict", "--quiet", "--site-dir", str(staging)], cwd=ROOT)
    if built.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"build_site: the build failed (above); {target} was left unchanged.", file=sys.stderr)
        return 1
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)
    print(f"build_site: published {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
