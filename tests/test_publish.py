"""Publishing is atomic: a bad staff edit is reported with its file and line, and the site that
was published before stays exactly as it was."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def publish(target: Path, policy: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scripts.publish", str(target)], cwd=ROOT,
                          env={**os.environ, "POLICY_DIR": str(policy)}, capture_output=True, text=True)


def test_a_bad_edit_leaves_the_published_site_byte_identical(tmp_path: Path) -> None:
    policy = tmp_path / "policy"
    shutil.copytree(ROOT / "policy", policy)
    measure = policy / "notices" / "eighteen-measures" / "measures" / "05-employment-entrepreneurship-subsidies.yaml"
    text = measure.read_text(encoding="utf-8")
    measure.write_text(text.replace("value: 2111", 'value: "2,111"', 1), encoding="utf-8")
    site = tmp_path / "site"
    (site / "measures").mkdir(parents=True)
    (site / "index.html").write_text("<p>the last good site</p>", encoding="utf-8")
    (site / "measures" / "page.html").write_bytes(b"\x00\x01 binary too")
    before = tree_hash(site)

    result = publish(site, policy)

    assert result.returncode == 1
    assert tree_hash(site) == before
    output = result.stdout + result.stderr
    assert "notices/eighteen-measures/measures/05-employment-entrepreneurship-subsidies.yaml:" in output
    assert "figures.hiring_award.values[0].value" in output
    assert "left unchanged" in output
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site-")], "no staging folder left behind"


def test_a_broken_yaml_file_names_its_line_and_publishes_nothing(tmp_path: Path) -> None:
    policy = tmp_path / "policy"
    shutil.copytree(ROOT / "policy", policy)
    (policy / "questions.yaml").write_text("questions:\n  - id: role\n\ttype: choice\n", encoding="utf-8")
    site = tmp_path / "site"

    result = publish(site, policy)

    assert result.returncode == 1
    assert not site.exists()
    assert "questions.yaml:3:" in result.stdout + result.stderr


def test_the_checks_and_the_build_read_one_copy_of_policy_taken_at_the_start(tmp_path: Path, monkeypatch) -> None:
    """An edit saved while the build runs is published with its checks or not at all: the
    validation, the change-log check and the build all read one copy of policy/."""
    from scripts import publish as publishing

    policy = tmp_path / "policy"
    shutil.copytree(ROOT / "policy", policy)
    notice = policy / "notices" / "eighteen-measures" / "notice.yaml"
    original = notice.read_bytes()
    calls: list[tuple[list[str], dict]] = []

    def run(cmd, cwd=None, env=None, **kwargs):
        calls.append((list(cmd), dict(env or os.environ)))
        notice.write_bytes(original + b"\n# saved while the build ran\n")  # an edit after the copy
        if "build" in cmd:  # a stand-in for mkdocs: a site that names its rules
            site = Path(cmd[cmd.index("--site-dir") + 1])
            calc = site / "assets" / "calculator"
            calc.mkdir(parents=True)
            (site / "index.html").write_text("<p>built</p>", encoding="utf-8")
            (calc / "manifest.json").write_text('{"rules": "rules.x.json"}', encoding="utf-8")
            (calc / "rules.x.json").write_text('{"version": "x"}', encoding="utf-8")
            copy = Path(env["POLICY_DIR"])
            assert (copy / "notices" / "eighteen-measures" / "notice.yaml").read_bytes() == original
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr(publishing.subprocess, "run", run)
    monkeypatch.setattr(publishing, "rebuild_reminder", lambda bundle: "")
    monkeypatch.setenv("POLICY_DIR", str(policy))
    site = tmp_path / "site"
    assert publishing.main([str(site)]) == 0
    validate, change_log, build = calls
    copy = validate[0][3]
    assert copy != str(policy) and change_log[0][-2:] == ["--read", copy] and change_log[0][3] == str(policy)
    assert build[1]["POLICY_DIR"] == copy
    assert (site / "index.html").read_text(encoding="utf-8") == "<p>built</p>"


def test_an_interrupted_build_leaves_nothing_behind(tmp_path: Path) -> None:
    """Stopped (SIGTERM, as Ctrl-C) while MkDocs builds: the deployment folder it wrote goes, the
    published site stays; a folder of a build killed outright goes with the next build, not one
    that another build is writing."""
    import fcntl
    import signal
    import time
    from scripts import publish as publishing

    site = tmp_path / "site"
    published = tmp_path / ".site-published"
    published.mkdir()
    (published / "index.html").write_text("<p>the last good site</p>", encoding="utf-8")
    site.symlink_to(published.name)
    killed = tmp_path / ".site-killed"
    (killed / "assets").mkdir(parents=True)
    (killed / publishing.LOCK).touch()
    busy = tmp_path / ".site-busy"
    busy.mkdir()
    with (busy / publishing.LOCK).open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        publishing.remove_abandoned(site)
        assert sorted(p.name for p in tmp_path.iterdir()) == [".site-busy", ".site-published", "site"]
    busy.rmdir() if not any(busy.iterdir()) else shutil.rmtree(busy)

    process = subprocess.Popen([sys.executable, "-m", "scripts.publish", str(site)], cwd=ROOT,
                               env={**os.environ, "POLICY_DIR": str(ROOT / "policy")},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        building = [p for p in tmp_path.glob(".site-*") if p != published and (p / "assets").is_dir()]
        if building:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the build ended before it could be stopped"
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    assert process.returncode != 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site-published", "site"]
    assert (site / "index.html").read_text(encoding="utf-8") == "<p>the last good site</p>"


def _new_version(site: Path) -> tuple[str, str]:
    """`site` as the next deployment: its calculator in a new folder with new rules (the pages name
    them). Returns (folder, rules file)."""
    calc = site / "assets" / "calculator"
    top = json.loads((calc / "manifest.json").read_text(encoding="utf-8"))
    old, rules = top["folder"].rstrip("/"), "rules.feedfeed0001.json"
    new = "v-" + hashlib.sha256(old.encode()).hexdigest()[:12]
    os.rename(calc / old, calc / new)
    for suffix in ("", ".br", ".gz"):
        os.rename(calc / (top["rules"] + suffix), calc / (rules + suffix))
    own = json.loads((calc / new / "manifest.json").read_text(encoding="utf-8"))
    (calc / new / "manifest.json").write_text(json.dumps({**own, "rules": "../" + rules}), encoding="utf-8")
    (calc / "manifest.json").write_text(json.dumps({**top, "folder": new + "/", "rules": rules}), encoding="utf-8")
    for page in site.rglob("*.html"):
        page.write_text(page.read_text(encoding="utf-8").replace(f"/{old}/", f"/{new}/"), encoding="utf-8")
    return new, rules


@pytest.mark.browser  # nginx serves the site
def test_a_visitor_polling_during_deploys_never_misses_a_file(tmp_path: Path) -> None:
    """While deployments are switched in, a visitor asks again and again for the home page, the
    calculator, the manifest its page names and the rules that manifest names: every answer is
    200. An open page of the deployment before finds its files for one more deployment."""
    import http.client
    import re
    import tempfile
    import threading
    from scripts import publish as publishing
    from scripts.server.local_nginx import LocalNginx

    built = ROOT / "site"
    if not (built / "index.html").exists():
        pytest.skip("no built site (make site)")
    one, two = tmp_path / "one", tmp_path / "two"
    shutil.copytree(built, one, ignore=shutil.ignore_patterns(publishing.HASHED_LIST))
    shutil.copytree(one, two)
    folder_one = json.loads((one / "assets/calculator/manifest.json").read_text(encoding="utf-8"))["folder"]
    rules_one = json.loads((one / "assets/calculator/manifest.json").read_text(encoding="utf-8"))["rules"]
    _new_version(two)
    site = tmp_path / "site"

    def deploy(template: Path) -> None:
        staging = Path(tempfile.mkdtemp(prefix=".site-", dir=tmp_path))
        shutil.copytree(template, staging, dirs_exist_ok=True, copy_function=os.link)
        publishing.keep_previous_hashed_files(site, staging)
        publishing.switch(site, staging)
        publishing.remove_abandoned(site)

    deploy(one)
    polls, misses, stop = [0], [], threading.Event()

    with LocalNginx(site, name="publish-poll") as server:
        def get(connection: http.client.HTTPConnection, path: str) -> bytes:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                misses.append(f"{response.status} {path}")
            return body

        def poll() -> None:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            while not stop.is_set():
                get(connection, "/")
                page = get(connection, "/calculator/").decode("utf-8", "replace")
                folder = re.search(r"assets/calculator/(v-[0-9a-f]+)/app\.js", page)
                if folder is None:
                    misses.append("/calculator/ names no calculator folder")
                    continue
                manifest = json.loads(get(connection, f"/assets/calculator/{folder.group(1)}/manifest.json") or b"{}")
                get(connection, f"/assets/calculator/{folder.group(1)}/worker.js")
                get(connection, "/assets/calculator/" + manifest.get("rules", "?").removeprefix("../"))
                polls[0] += 1

        poller = threading.Thread(target=poll)
        poller.start()
        try:
            for template in (two, one, two, one, two, one):
                deploy(template)
        finally:
            stop.set()
            poller.join()
        assert polls[0] >= 6 and not misses, (polls, misses[:10])

        # the deployment before stays whole for a page still open; the one before that does not
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        deploy(two)
        for path in (f"/assets/calculator/{folder_one}worker.js", f"/assets/calculator/{rules_one}"):
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            assert response.status == 200, path
        deploy(two)
        connection.request("GET", f"/assets/calculator/{folder_one}worker.js")
        response = connection.getresponse()
        response.read()
        assert response.status == 404
