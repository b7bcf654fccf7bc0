"""Publish atomically: copy policy/ once (the checks and the build read that copy, so an edit saved
while the build runs is in neither or in both), validate it (and that every change since its last
commit is in a change log: scripts/policy/change_log.py), build into a new deployment folder,
write there the static hosts' `_headers` and `_redirects` files and the precompressed .br/.gz
copies, add the previous deployment's hashed files (an open page still finds what its HTML and
manifest name, for one more deployment), and only then switch site/ to it in one step.

site/ is a symbolic link to the deployment folder beside it (`.site-XXXXXXXX/`); the switch renames
a new link over it, so a reader (nginx, a test, rsync) always sees one whole deployment; the one
before stays until the next build. A failed
validation or build leaves the previous site/ exactly as it was; an interrupted one (Ctrl-C, a
signal) removes what it wrote, and a build killed outright leaves a folder that the next build
removes (`.site-*` is in .gitignore)."""
from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterator, Mapping

from scripts.bundle import precompress
from scripts.server import server_config
from scripts.policy.messages import say, staff_languages
from scripts.policy.revision import site_bundle
from scripts.pages.view import build_day, coming_changes

ROOT = Path(__file__).resolve().parent.parent
HASHED_LIST = ".hashed-files"  # in each deployment: its own files with a hashed name (not served: a dot file)
LOCK = ".building"             # held (flock) while a deployment folder is being built


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    target = Path(args[0]) if args else ROOT / "site"
    policy_dir = Path(os.environ.get("POLICY_DIR") or ROOT / "policy")  # another policy folder (tests, scale runs)
    remove_abandoned(target)
    with _signals_stop_cleanly(), tempfile.TemporaryDirectory(prefix="publish-") as tmp:
        snapshot = Path(tmp) / "policy"
        shutil.copytree(policy_dir, snapshot)
        check = subprocess.run([sys.executable, "-m", "scripts.policy.cli", str(snapshot), "--label", _label(policy_dir)],
                               cwd=ROOT)
        if check.returncode == 0:  # then every change of a figure, condition or date is in a change log
            check = subprocess.run([sys.executable, "-m", "scripts.policy.change_log", str(policy_dir),
                                    "--read", str(snapshot)], cwd=ROOT)
        if check.returncode != 0:
            print(say("build.policy_problems", staff_languages(), target=target), file=sys.stderr)
            return 1
        with deployment_folder(target) as staging:
            mkdocs = Path(sys.executable).with_name("mkdocs")
            built = subprocess.run([str(mkdocs), "build", "--strict", "--quiet", "--site-dir", str(staging)], cwd=ROOT,
                                   env={**os.environ, "POLICY_DIR": str(snapshot)})
            if built.returncode != 0:
                print(f"publish: the build failed (above); {target} was left unchanged.", file=sys.stderr)
                return 1
            (staging / "_headers").write_text(server_config.headers_file(), encoding="utf-8")
            (staging / "_redirects").write_text(server_config.redirects_file(), encoding="utf-8")
            counts = precompress.precompress(staging)
            keep_previous_hashed_files(target, staging)
            switch(target, staging)
    print(f"publish: published {target} ({counts['copies']} precompressed .br/.gz copies)")
    print(rebuild_reminder(site_bundle(target)))
    return 0


def _label(policy_dir: Path) -> str:
    try:
        return policy_dir.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(policy_dir)


@contextlib.contextmanager
def _signals_stop_cleanly() -> Iterator[None]:
    """SIGTERM and SIGHUP end the build as Ctrl-C does, through every `finally` (what it wrote goes)."""
    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")
    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextlib.contextmanager
def deployment_folder(target: Path) -> Iterator[Path]:
    """A new deployment folder beside `target`, locked while it is built; removed unless it was
    switched in (it then is what `target` links to)."""
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    staging.chmod(0o755)  # mkdtemp's 0700 would travel with a copy to the server: nginx could not read it
    lock = (staging / LOCK).open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield staging
    finally:
        lock.close()
        if current(target) != staging.resolve():
            shutil.rmtree(staging, ignore_errors=True)
        else:
            (staging / LOCK).unlink(missing_ok=True)


def current(target: Path) -> Path | None:
    """The deployment folder `target` shows, or None."""
    return target.resolve() if target.exists() else None


def remove_abandoned(target: Path) -> None:
    """Deployment folders beside `target` that it does not show and no build holds: a build killed
    outright, or the deployments before the one shown."""
    shown = current(target)
    for folder in target.parent.glob(f".{target.name}-*"):
        if not folder.is_dir() or folder.is_symlink() or folder.resolve() == shown:
            continue
        lock_file = folder / LOCK
        if lock_file.exists():
            with lock_file.open("r") as lock:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # another build is writing it
        shutil.rmtree(folder, ignore_errors=True)


def _hashed(site: Path) -> list[str]:
    """The files of a built site whose name changes with their content (the cache rules' immutable
    ones), with their .br/.gz copies."""
    out = []
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        rel = path.relative_to(site).as_posix()
        served = rel.removesuffix(".br").removesuffix(".gz")
        if "immutable" in server_config.cache_control_for("/" + served):
            out.append(rel)
    return out


def keep_previous_hashed_files(target: Path, staging: Path) -> int:
    """Put in `staging` the previous deployment's own hashed files that it does not have (hard
    links): a page of that deployment still open in a browser finds its scripts, worker and rules.
    Only its own: what it kept from the one before is not carried again. Returns how many."""
    own = _hashed(staging)
    (staging / HASHED_LIST).write_text("".join(f"{rel}\n" for rel in own), encoding="utf-8")
    previous = current(target)
    if previous is None or not (previous / HASHED_LIST).is_file():
        return 0
    count = 0
    for rel in (previous / HASHED_LIST).read_text(encoding="utf-8").splitlines():
        source, dest = previous / rel, staging / rel
        if not rel or ".." in rel.split("/") or dest.exists() or not source.is_file():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, dest)
        except OSError:
            shutil.copy2(source, dest)
        count += 1
    return count


def switch(target: Path, deployment: Path) -> None:
    """Make `target` show `deployment` in one rename (a symbolic link replaced by another). The
    folder shown before stays until the next build (a reader that entered it, such as an upload
    under way, finishes in it; going back is one `ln -sfn`). A `target` that is still a plain
    folder (a site built before deployments were linked) is moved aside first, once."""
    link = target.with_name(f".{target.name}.link-{os.getpid()}")
    link.unlink(missing_ok=True)
    link.symlink_to(deployment.name, target_is_directory=True)
    if target.is_dir() and not target.is_symlink():
        aside = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
        os.replace(target, aside / "old")
    os.replace(link, target)


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
