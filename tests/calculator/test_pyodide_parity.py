"""The calculator gives byte-identical JSON in CPython and in the real Pyodide (Python 3.14,
standard library only), started once on exactly the files the site ships (pyodide_node.py): every
module of the calculator and every name in BROWSER_IMPORTS imports from the trimmed standard
library, and then
- every scenario case and a few hundred generated evaluation requests, good and broken, and
- every case of policy/scenarios/lists.yaml, each also saved as GB18030 and UTF-16 the way Excel
  saves it in China (so Pyodide's CJK codecs are proven), and files that cannot be checked,
give exactly what CPython gives; and a traceback through the shipped standard library (compiled
without line numbers inside functions) still names the file, the function and where it starts."""
from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from pyodide_node import needs_pyodide, run
from subsidy_calculator import browser
from test_lists import LIST_CASES

DAY = "2026-11-26"


def _requests(bundle: dict[str, Any]) -> list[str]:
    from test_scenarios import CASES

    requests = [json.dumps({"answers": c["answers"], "on": c.get("date") or DAY, "lang": c.get("lang", "zh"),
                            "what_if": True}, ensure_ascii=False) for _, c in CASES]
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
        on, lang = rng.choice([DAY, "2030-01-01", "1999-12-31"]), rng.choice(["zh", "en"])
        request = {"answers": answers, "on": on, "lang": lang, "what_if": rng.random() < 0.5}
        if rng.random() < 0.5:  # as the page asks: cards wanted, questions gone past, the table it has
            request.update(cards={"enterprise": rng.choice([0, 1, 10, 30])},
                           skipped=rng.sample([q["id"] for q in bundle["questions"]], 2),
                           table=rng.choice([None, f"{bundle['version']}/{lang}/{on}"]))
        requests.append(json.dumps(request))
    return requests


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


@needs_pyodide
def test_pyodide_gives_identical_json(_bundle, tmp_path: Path) -> None:
    requests, lists = _requests(_bundle), _cases()
    pyodide = run(_bundle, requests, lists, tmp_path)
    assert pyodide["version"].startswith("3.14")
    assert not pyodide["missing"], "the shipped stdlib zip lacks a module: add it to " \
        f"scripts/bundle/pyodide_stdlib.py BROWSER_IMPORTS: {pyodide['missing']}"

    browser.load_rules(json.dumps(_bundle, ensure_ascii=False))
    cpython = [browser.evaluate_json(r) for r in requests]
    assert len(pyodide["evaluations"]) == len(cpython)
    for request, ours, theirs in zip(requests, cpython, pyodide["evaluations"]):
        assert theirs == ours, request
        assert '"code":"internal"' not in ours

    assert pyodide["calls"] > 0   # the list check's progress callback reached JavaScript
    cpython = [browser.check_list(d, r) for d, r in lists]
    assert len(pyodide["lists"]) == len(cpython)
    for (data, request), ours, theirs in zip(lists, cpython, pyodide["lists"]):
        assert theirs == ours, (data[:40], request)
        assert '"code":"internal"' not in ours
    encodings = {json.loads(o)["summary"][-1] for o in cpython if json.loads(o)["rows"]}
    assert any("GB18030" in s for s in encodings) and any("UTF-16" in s for s in encodings)

    # the trimmed zip keeps each function's first line: a traceback can be printed and read
    tb = pyodide["traceback"]
    assert tb["file"].endswith("json/decoder.py") and tb["function"] == "raw_decode", tb
    assert tb["line"] == tb["starts"] and tb["line"] > 1, tb
    assert f'decoder.py", line {tb["line"]}, in raw_decode' in tb["text"], tb["text"]
