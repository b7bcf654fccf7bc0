"""One start of the real Pyodide (npm `pyodide` under Node, Python 3.14) for every CPython/Pyodide
parity test: it is given exactly what the site ships, the calculator wheel (unpacked the way
the worker unpacks it) and the trimmed standard library zip (scripts/bundle/pyodide_stdlib.py),
imports every calculator module and every name in BROWSER_IMPORTS from them, then answers the
evaluation requests and list checks it is given. Skipped without Node or node_modules/pyodide."""
from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from policy_bundle import ROOT

PYODIDE = ROOT / "node_modules" / "pyodide"

needs_pyodide = pytest.mark.skipif(shutil.which("node") is None or not (PYODIDE / "pyodide.mjs").exists(),
                                   reason="needs node and node_modules/pyodide (make setup)")

RUNNER = r"""
import { loadPyodide } from "PYODIDE_MJS";
import { readFileSync } from "node:fs";
const [wheelPath, rulesPath, inputPath, stdlibPath] = process.argv.slice(2);
const input = JSON.parse(readFileSync(inputPath, "utf8"));
const py = await loadPyodide({ indexURL: "PYODIDE_DIR/", stdLibURL: stdlibPath });
py.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel");  // as worker.js installs it
py.globals.set("modules", py.toPy(input.modules));
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
const evaluations = input.requests.map((r) => String(calc.evaluate_json(r)));
let calls = 0;
const lists = input.lists.map(([data, request]) =>
  String(calc.check_list(new Uint8Array(Buffer.from(data, "base64")), request, () => { calls += 1; })));
const version = py.runPython("import sys; sys.version.split()[0]");
// what a traceback through the shipped standard library says (its code sits on each function's first line)
const traceback = JSON.parse(py.runPython(`
import json, traceback
try:
    json.loads("{")
except ValueError as err:
    frame = traceback.extract_tb(err.__traceback__)[-1]
    text = "".join(traceback.format_exception(err))
json.dumps({"file": frame.filename, "function": frame.name, "line": frame.lineno, "text": text,
            "starts": json.decoder.JSONDecoder.raw_decode.__code__.co_firstlineno})`));
process.stdout.write(JSON.stringify({ version, missing, evaluations, lists, calls, traceback }));
"""


def run(bundle: dict[str, Any], requests: list[str], lists: list[tuple[bytes, str]], work: Path) -> dict[str, Any]:
    """{version, missing, evaluations, lists, calls, traceback} from one Pyodide run on the shipped
    files."""
    from scripts.bundle import pyodide_stdlib
    from scripts.bundle.wheel import build_wheel

    wheel = build_wheel()
    stdlib = work / "python_stdlib.zip"
    stdlib.write_bytes(pyodide_stdlib.build(wheel))  # byte for byte what the site ships
    rules = work / "rules.json"
    rules.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    data = {"modules": pyodide_stdlib.wheel_modules(wheel) + list(pyodide_stdlib.BROWSER_IMPORTS),
            "requests": requests, "lists": [[base64.b64encode(d).decode(), r] for d, r in lists]}
    (work / "input.json").write_text(json.dumps(data), encoding="utf-8")
    runner = work / "run.mjs"
    runner.write_text(RUNNER.replace("PYODIDE_MJS", (PYODIDE / "pyodide.mjs").as_uri())
                      .replace("PYODIDE_DIR", str(PYODIDE)), encoding="utf-8")
    done = subprocess.run(["node", str(runner), str(wheel), str(rules), str(work / "input.json"), str(stdlib)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)
