"""The list check gives byte-identical JSON in CPython and in the real Pyodide (Python 3.14) for
every case of policy/scenarios/lists.yaml, each also saved as GB18030 and UTF-16 the way Excel
saves it in China (so Pyodide's CJK codecs are proven), and for files that cannot be checked.

Runs the npm `pyodide` package under Node, on the trimmed standard library zip the site ships
(scripts/bundle/pyodide_stdlib.py); skipped without it (`make setup` installs it)."""
from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from policy_bundle import ROOT
from subsidy_calculator import browser
from test_lists import LIST_CASES

PYODIDE = ROOT / "node_modules" / "pyodide"
PACKAGE = ROOT / "calculator" / "src" / "subsidy_calculator"

RUNNER = r"""
import { loadPyodide } from "PYODIDE_MJS";
import { readFileSync, readdirSync } from "node:fs";
const [pkgDir, rulesPath, casesPath, stdlibPath] = process.argv.slice(2);
const py = await loadPyodide({ indexURL: "PYODIDE_DIR/", stdLibURL: stdlibPath });
const target = "/home/pyodide/src/subsidy_calculator";
py.FS.mkdirTree(target);
for (const name of readdirSync(pkgDir).filter((n) => n.endsWith(".py"))) {
  py.FS.writeFile(`${target}/${name}`, readFileSync(`${pkgDir}/${name}`, "utf8"));
}
py.runPython("import sys; sys.path.insert(0, '/home/pyodide/src')");
const calc = py.pyimport("subsidy_calculator.browser");
calc.load_rules(readFileSync(rulesPath, "utf8"));
const cases = JSON.parse(readFileSync(casesPath, "utf8"));
let calls = 0;
const out = cases.map(([data, request]) =>
  String(calc.check_list(new Uint8Array(Buffer.from(data, "base64")), request, () => { calls += 1; })));
process.stdout.write(JSON.stringify({ out, calls }));
"""


def _cases() -> list[tuple[bytes, str]]:
    cases = []
    for case in LIST_CASES:
        request = json.dumps({"list": case["list"], "answers": case["answers"], "on": case["date"],
                              "lang": case.get("lang", "zh")}, ensure_ascii=False)
        for data in (case["csv"].encode("utf-8"), case["csv"].encode("gb18030"),
                     b"\xff\xfe" + case["csv"].encode("utf-16-le")):
            cases.append((data, request))
    for data in (b"PK\x03\x04", b"", b"\x00\x01\x02", b'"a\n'):
        cases.append((data, '{"lang": "en"}'))
    return cases


@pytest.mark.skipif(shutil.which("node") is None or not (PYODIDE / "pyodide.mjs").exists(),
                    reason="needs node and node_modules/pyodide (make setup)")
def test_pyodide_checks_lists_exactly_as_cpython(_bundle, tmp_path: Path) -> None:
    rules_path = tmp_path / "rules.json"
    rules_path.write_text(json.dumps(_bundle, ensure_ascii=False), encoding="utf-8")
    cases = _cases()
    (tmp_path / "cases.json").write_text(json.dumps([[base64.b64encode(d).decode(), r] for d, r in cases]),
                                         encoding="utf-8")
    from scripts.bundle import pyodide_stdlib
    from scripts.bundle.wheel import build_wheel

    stdlib = tmp_path / "python_stdlib.zip"
    stdlib.write_bytes(pyodide_stdlib.build(build_wheel()))  # what the site ships
    runner = tmp_path / "run.mjs"
    runner.write_text(RUNNER.replace("PYODIDE_MJS", (PYODIDE / "pyodide.mjs").as_uri())
                      .replace("PYODIDE_DIR", str(PYODIDE)), encoding="utf-8")
    done = subprocess.run(["node", str(runner), str(PACKAGE), str(rules_path), str(tmp_path / "cases.json"),
                           str(stdlib)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    pyodide = json.loads(done.stdout)
    assert pyodide["calls"] > 0   # the progress callback reached JavaScript
    browser.load_rules(rules_path.read_text(encoding="utf-8"))
    cpython = [browser.check_list(d, r) for d, r in cases]
    for (data, request), ours, theirs in zip(cases, cpython, pyodide["out"]):
        assert theirs == ours, (data[:40], request)
        assert '"code":"internal"' not in ours
    encodings = {json.loads(o)["summary"][-1] for o in cpython if json.loads(o)["rows"]}
    assert any("GB18030" in s for s in encodings) and any("UTF-16" in s for s in encodings)
