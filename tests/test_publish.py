"""Publishing is atomic: a bad staff edit is reported with its file and line, and the site that
was published before stays exactly as it was."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

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
