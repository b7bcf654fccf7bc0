"""The published policy to compare an edit with: policy/ as git last committed it (or at a given
revision), read into a temporary folder with `git archive` (nothing is checked out), or the rules
bundle of a built site.

    published_folder(policy_dir, rev=None) -> context manager yielding the folder, or None when
                                              policy_dir is not in a git repository
    site_bundle(site_dir)                  -> the rules bundle a built site ships
"""
from __future__ import annotations

import contextlib
import io
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any, Iterator


class RevisionError(Exception):
    """The revision or site asked for cannot be read."""


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True)


def git_location(policy_dir: Path) -> tuple[Path, str] | None:
    """(repository top, policy folder relative to it) when policy_dir is tracked by git, else None."""
    policy_dir = Path(policy_dir).resolve()
    if not policy_dir.is_dir():
        return None
    top = _git(policy_dir, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        return None
    root = Path(top.stdout.decode().strip()).resolve()
    rel = policy_dir.relative_to(root).as_posix()
    tracked = _git(root, "ls-files", "--", rel)
    if tracked.returncode != 0 or not tracked.stdout.strip():
        return None  # a folder inside the repository that git does not know (e.g. a test's copy)
    return root, rel


def last_commit(policy_dir: Path) -> str | None:
    """The last commit that changed the policy folder (short hash), or None outside git."""
    where = git_location(policy_dir)
    if where is None:
        return None
    log = _git(where[0], "log", "-1", "--format=%h", "--", where[1])
    return log.stdout.decode().strip() or None


def tree_id(policy_dir: Path, rev: str | None = None) -> str | None:
    """git's id of the policy folder's content at `rev` (default HEAD): the same id, the same files."""
    where = git_location(policy_dir)
    if where is None:
        return None
    out = _git(where[0], "rev-parse", f"{rev or 'HEAD'}:{where[1]}")
    return out.stdout.decode().strip() if out.returncode == 0 else None


@contextlib.contextmanager
def published_folder(policy_dir: Path, rev: str | None = None) -> Iterator[Path | None]:
    """The policy folder as committed at `rev` (default: the last commit of the folder), extracted
    into a temporary folder that is removed afterwards. None when policy_dir is not in git (and no
    revision was asked for); RevisionError when the revision cannot be read."""
    where = git_location(policy_dir)
    if where is None:
        if rev:
            raise RevisionError(f"{policy_dir} is not in a git repository: cannot read revision {rev}")
        yield None
        return
    root, rel = where
    commit = rev or "HEAD"
    archive = _git(root, "archive", "--format=tar", f"{commit}:{rel}")
    if archive.returncode != 0:
        raise RevisionError(f"git cannot read {rel}/ at {commit}: {archive.stderr.decode().strip()}")
    with tempfile.TemporaryDirectory(prefix="policy-published-") as tmp:
        folder = Path(tmp) / "policy"
        folder.mkdir()
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(folder, filter="data")
        yield folder


def site_bundle(site_dir: Path) -> dict[str, Any]:
    """The rules bundle a built site ships (site/assets/calculator/manifest.json names it)."""
    calc = Path(site_dir) / "assets" / "calculator"
    try:
        manifest = json.loads((calc / "manifest.json").read_text(encoding="utf-8"))
        return json.loads((calc / manifest["rules"]).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError) as error:
        raise RevisionError(f"{site_dir} holds no readable rules bundle ({error})") from None
