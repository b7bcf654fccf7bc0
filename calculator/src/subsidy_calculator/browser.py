"""JSON in, JSON out: the two entry points the browser's Web Worker calls through Pyodide.

    load_rules(rules_json)   -> the rules version (raises RulesError on a broken bundle)
    rules_version()          -> the version of the rules loaded, "" before load_rules (after a
                                memory snapshot is restored: the rules it was made with)
    evaluate_json(request)   -> the result as JSON text (engine.browser_shape); never raises
    evaluate_utf8(request)   -> the same as UTF-8 bytes (what the worker reads: one copy into
                                JavaScript, where a str of Chinese text converts character by character)
    warm_up_requests()       -> requests the worker evaluates while the visitor reads the form
    check_list(data, request, progress) -> a whole list checked (lists.py), as JSON text; never raises
The request is {"answers": {...}, "on": "YYYY-MM-DD" | null, "lang": "zh" | "en"}, and for an
evaluation optionally "what_if": true, "cards": {recipient: how many cards}, "skipped": [question
ids the visitor went past], "table": the key of the measure table the page has (browser_shape);
for check_list
also "list": a list id or null (recognised from the headings) and "show_rows": how many rows
to return in detail (all by default; `row_count` says how many there are, `csv` holds them all);
`data` is the file's bytes.
"""
from __future__ import annotations

import json
from typing import Any

from .engine import ROLE, Rules, to_json
from .texts import LANGS, fill

_REQUEST_FIELDS = ("answers", "on", "lang", "what_if", "cards", "skipped", "table")
_rules: Rules | None = None
_lists = None  # lists.Lists of _rules, compiled on first use


def load_rules(rules_json: str) -> str:
    """Compile the bundle and keep it for evaluate_json; returns its version."""
    global _rules, _lists
    _rules = Rules(json.loads(rules_json))
    _lists = None
    return _rules.version


def rules_version() -> str:
    return _rules.version if _rules is not None else ""


dumps = to_json  # the one way results are written, so CPython and Pyodide give the same text


def _parse(request_json: Any) -> tuple[dict[str, Any], list[tuple[str, dict[str, str]]]]:
    """The request as a dict, and what is wrong with it (error code, placeholder values)."""
    if not isinstance(request_json, (str, bytes, bytearray)):
        return {}, [("invalid_json", {})]
    try:
        request = json.loads(request_json)
    except (ValueError, RecursionError):
        return {}, [("invalid_json", {})]
    if not isinstance(request, dict):
        return {}, [("request", {})]
    problems = [("request_field", {"field": field if len(field) <= 60 else field[:57] + "..."})
                for field in request if field not in _REQUEST_FIELDS]
    return request, problems


def evaluate_request(rules: Rules, request_json: Any) -> dict[str, Any]:
    """Parse and check a request, then evaluate it; problems with the request come first in
    `errors`. Used by the command line."""
    request, problems = _parse(request_json)
    result = rules.evaluate(request.get("answers"), request.get("on"), request.get("lang"),
                            what_if=request.get("what_if") is True)
    result["errors"][:0] = _request_errors(rules, problems, result["lang"])
    return result


def _lang(request: dict[str, Any]) -> str:
    """The request's language, or the first when it names none we have."""
    requested = request.get("lang")
    return requested if isinstance(requested, str) and requested in LANGS else LANGS[0]


def _request_errors(rules: Rules, problems: list[tuple[str, dict[str, str]]], lang: str) -> list[dict[str, Any]]:
    words = rules.texts[lang]
    return [{"question": None, "label": None, "code": code, "message": fill(words["errors." + code], **values)}
            for code, values in problems]


def result_json(rules: Rules, request_json: Any) -> str:
    """The result for a request as the page gets it (engine.browser_shape), as JSON text."""
    request, problems = _parse(request_json)
    first = _request_errors(rules, problems, _lang(request))
    if request.get("what_if") is True:
        return dumps(rules.evaluate_page(request.get("answers"), request.get("on"), request.get("lang"),
                                         errors_first=first, cards=request.get("cards"),
                                         skipped=request.get("skipped", ()), table=request.get("table")))
    return rules.evaluate_json(request.get("answers"), request.get("on"), request.get("lang"), errors_first=first,
                               cards=request.get("cards"), skipped=request.get("skipped", ()),
                               table=request.get("table"))


def warm_up_requests() -> list[str]:
    """One request per role and language. The worker evaluates them a few hundred times while the
    visitor reads the form, so that the browser has optimised the WebAssembly code the visitor's
    first answers run (Python restored from a memory snapshot starts with none of it optimised)."""
    if _rules is None:
        return []
    roles = sorted(_rules.question_by_id[ROLE].options)
    return [dumps({"answers": {ROLE: role}, "on": None, "lang": lang}) for role in roles for lang in LANGS]


def evaluate_json(request_json: str) -> str:
    """The result for one request, as JSON text. Never raises."""
    if _rules is None:
        return dumps({"errors": [{"question": None, "label": None, "code": "rules_not_loaded",
                                  "message": "load_rules() must be called first"}]})
    try:
        return result_json(_rules, request_json)
    except Exception:  # a bug must not break the page: report it as an error it can show
        lang = LANGS[0]
        try:
            requested = json.loads(request_json).get("lang")
            lang = requested if requested in LANGS else lang
        except Exception:
            pass
        return dumps({"rules_version": _rules.version, "lang": lang, "groups": [], "measures": [],
                      "errors": [{"question": None, "label": None, "code": "internal",
                                  "message": _rules.texts[lang]["errors.internal"]}]})


def evaluate_utf8(request_json: str) -> bytes:
    """evaluate_json as UTF-8 bytes. Never raises."""
    return evaluate_json(request_json).encode("utf-8")


def check_list(data: Any, request_json: Any, progress: Any = None) -> str:
    """Check a list file (bytes, or a JavaScript Uint8Array) and return the result with the
    results file (`csv`) as JSON text. `progress(done, total)` is called every thousand rows.
    Never raises."""
    global _lists
    from .lists import Lists, result_csv

    request, _ = _parse(request_json)
    lang = _lang(request)
    if _rules is None:
        return dumps({"problems": [{"row": None, "column": None, "code": "rules_not_loaded",
                                    "message": "load_rules() must be called first"}], "rows": []})
    try:
        if _lists is None:
            _lists = Lists(_rules)
        list_id = request.get("list") if isinstance(request.get("list"), str) else None
        result = _lists.check(data, list_id, request.get("answers"), request.get("on"), lang, progress)
        result["csv"] = result_csv(result) if result["rows"] else None
        result["row_count"] = len(result["rows"])
        show = request.get("show_rows")
        if type(show) is int and show >= 0:  # the page draws these; every row and column is in `csv`
            result["rows"] = result["rows"][:show]
            columns = result.get("shown") or []   # the columns the list uses, not a million others
            result["header"] = [result["header"][i] for i in columns]
            for row in result["rows"]:
                row["cells"] = [row["cells"][i] if i < len(row["cells"]) else "" for i in columns]
        return dumps(result)
    except Exception:  # a bug must not break the page: report it as a problem it can show
        return dumps({"lang": lang, "rows": [], "problems": [{"row": None, "column": None, "code": "internal",
                                                               "message": _rules.texts[lang]["errors.internal"]}]})
