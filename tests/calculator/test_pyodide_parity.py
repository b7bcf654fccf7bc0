"""The engine gives byte-identical JSON in CPython and in Pyodide (Python 3.14, standard library
only), for every scenario case and a few hundred generated requests, good and broken, on the
trimmed standard library zip the site ships (scripts/bundle/pyodide_stdlib.py): every module of the
calculator and every name in BROWSER_IMPORTS imports from it.

Runs the npm `pyodide` package under Node (no browser needed); skipped when Node or
node_modules/pyodide is missing (`make setup` installs it)."""
from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from policy_bundle import ROOT
from subsidy_calculator import browser

PYODIDE = ROOT / "node_modules" / "pyodide"
PACKAGE = ROOT / "calculator" / "src" / "subsidy_calculator"
DAY = "2026-11-26"

RUNNER = r"""
import { loadPyodide } from "PYODIDE_MJS";
import { readFileSync, readdirSync } from "node:fs";
const [pkgDir, rulesPath, requestsPath, stdlibPath, modulesPath] = process.argv.slice(2);
const py = await loadPyodide({ indexURL: "PYODIDE_DIR/", stdLibURL: stdlibPath });
const target = "/home/pyodide/src/subsidy_calculator";
py.FS.mkdirTree(target);
for (const name of readdirSync(pkgDir).filter((n) => n.endsWith(".py"))) {
  py.FS.writeFile(`${target}/${name}`, readFileSync(`${pkgDir}/${name}`, "utf8"));
}
py.runPython("import sys; sys.path.insert(0, '/home/pyodide/src')");
py.globals.set("modules", py.toPy(JSON.parse(readFileSync(modulesPath, "utf8"))));
const missing = py.runPython(`
import importlib
missing = []
for name in modules:
    try:
        importlib.import_module(name)
    except ImportError as err:
        missing.append(f"{name}: {err}")
# the list check reads CSV files in the encodings Excel saves them in, looked up lazily
from subsidy_calculator.lists import decode
for codec in ("utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030"):
    data = ("\\ufeff" if codec.endswith(("le", "be")) else "") + "姓名,人数\\n张三,3\\n"
    try:
        text, _ = decode(data.encode(codec))
        assert "张三" in text, codec
    except Exception as err:
        missing.append(f"{codec}: {err!r}")
missing`).toJs();
const calc = py.pyimport("subsidy_calculator.browser");
calc.load_rules(readFileSync(rulesPath, "utf8"));
const requests = JSON.parse(readFileSync(requestsPath, "utf8"));
const out = requests.map((r) => String(calc.evaluate_json(r)));
const version = py.runPython("import sys; sys.version.split()[0]");
process.stdout.write(JSON.stringify({ version, out, missing }));
"""


def _requests(bundle: dict[str, Any]) -> list[str]:
    from test_scenarios import CASES

    requests = [json.dumps({"answers": c["answers"], "on": c.get("date") or DAY, "lang": c.get("lang", "zh")},
                           ensure_ascii=False) for _, c in CASES]
    requests += ["", "null", "[]", "{", '{"answers": 3}', '{"answers": {}, "on": "2026-02-30", "lang": "fr"}',
                 '{"answers": {"role": "enterprise"}, "extra": 1, "on": "' + DAY + '"}',
                 '{"answers": {"graduates_hired": 1e400}, "on": "' + DAY + '"}',
                 '{"answers": {"role": "person", "guarantee_loan_amount": NaN}, "on": "' + DAY + '"}']
    rng = random.Random(20261126)
    garbage = [None, True, False, -1, 0, 1, 2.5, 3.0, 10 ** 20, "", "x", [], {}, [1], {"a": 1}]
    for _ in range(300):
        answers: dict[str, Any] = {}
        for q in bundle["questions"]:
            if rng.random() < 0.6:
                if rng.random() < 0.15:
                    answers[q["id"]] = rng.choice(garbage)
                elif q["type"] == "choice":
                    answers[q["id"]] = rng.choice(q["options"])["value"]
                elif q["type"] == "boolean":
                    answers[q["id"]] = rng.random() < 0.5
                else:
                    answers[q["id"]] = rng.choice([0, 1, 2, 3, 5, 100, 800000, 1000000, 1500000, -3])
        requests.append(json.dumps({"answers": answers, "on": rng.choice([DAY, "2030-01-01", "1999-12-31"]),
                                    "lang": rng.choice(["zh", "en"])}))
    return requests


@pytest.mark.skipif(shutil.which("node") is None or not (PYODIDE / "pyodide.mjs").exists(),
                    reason="needs node and node_modules/pyodide (make setup)")
def test_pyodide_gives_identical_json(_bundle, tmp_path: Path) -> None:
    rules_path = tmp_path / "rules.json"
    rules_path.write_text(json.dumps(_bundle, ensure_ascii=False), encoding="utf-8")
    requests = _requests(_bundle)
    (tmp_path / "requests.json").write_text(json.dumps(requests), encoding="utf-8")
    from scripts.bundle import pyodide_stdlib
    from scripts.bundle.wheel import build_wheel

    wheel = build_wheel()
    stdlib = tmp_path / "python_stdlib.zip"
    stdlib.write_bytes(pyodide_stdlib.build(wheel))  # byte for byte what the site ships
    modules = tmp_path / "modules.json"
    modules.write_text(json.dumps(pyodide_stdlib.wheel_modules(wheel) + list(pyodide_stdlib.BROWSER_IMPORTS)))
    runner = tmp_path / "run.mjs"
    runner.write_text(RUNNER.replace("PYODIDE_MJS", (PYODIDE / "pyodide.mjs").as_uri())
                      .replace("PYODIDE_DIR", str(PYODIDE)), encoding="utf-8")
    done = subprocess.run(["node", str(runner), str(PACKAGE), str(rules_path), str(tmp_path / "requests.json"),
                           str(stdlib), str(modules)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    pyodide = json.loads(done.stdout)
    assert pyodide["version"].startswith("3.14")
    assert not pyodide["missing"], "the shipped stdlib zip lacks a module: add it to " \
        f"scripts/bundle/pyodide_stdlib.py BROWSER_IMPORTS: {pyodide['missing']}"

    browser.load_rules(rules_path.read_text(encoding="utf-8"))
    cpython = [browser.evaluate_json(r) for r in requests]
    assert len(pyodide["out"]) == len(cpython)
    for request, ours, theirs in zip(requests, cpython, pyodide["out"]):
        assert theirs == ours, request
        assert '"code":"internal"' not in ours
