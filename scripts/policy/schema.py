"""The JSON Schemas in policy/schema/ (shapes: keys, types, texts), and their errors as problems
in the staff's terms, at the right line."""
from __future__ import annotations

import datetime as _dt
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.validators import extend
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from scripts.policy.messages import Hint, Joined, Message, SchemaWords, Shown, did_you_mean, msg
from scripts.policy.problems import PathT, Problem
from scripts.policy.reader import Doc

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "policy" / "schema"


# "integer" in our schemas is a number written without a decimal point: `number: 7.0` would be
# published as "第7.0条" (JSON Schema counts 7.0 as an integer)
_Validator = extend(Draft202012Validator, type_checker=Draft202012Validator.TYPE_CHECKER.redefine(
    "integer", lambda checker, value: isinstance(value, int) and not isinstance(value, bool)))


@cache
def validators() -> dict[str, Draft202012Validator]:
    """One validator per kind of file; the schemas are read from the repository, never from
    the folder being checked, so a bad edit cannot switch its own checks off."""
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMA_DIR.glob("*.schema.json")}
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT202012))
        for name, schema in schemas.items())
    return {name.removesuffix(".schema.json"): _Validator(
        schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
        for name, schema in schemas.items() if name != "common.schema.json"}


def _type_of(value: Any) -> Message:
    if value is None:
        return msg("got.nothing")
    if isinstance(value, bool):
        return msg("got.bool", value=value)
    if isinstance(value, (int, float)):
        return msg("got.number", value=value)
    if isinstance(value, str):
        return msg("got.text", value=Shown.of(value))
    return msg("got.list") if isinstance(value, list) else msg("got.mapping")


def _type_problem(error: ValidationError) -> tuple[Message, Hint | None]:
    wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
    value = error.instance
    names = tuple(msg(f"type.{w}") if f"type.{w}" in _TYPES else w for w in wanted)
    message = msg("expected_type", wanted=Joined(names), got=_type_of(value))
    hint = None
    if ("number" in wanted or "integer" in wanted) and isinstance(value, str):
        cleaned = re.sub(r"[,\s]|yuan|元", "", value)
        if re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
            hint = msg("hint.number_unquoted", number=cleaned)
        else:
            hint = msg("hint.plain_number")
    elif "integer" in wanted and isinstance(value, float):
        hint = msg("hint.whole_number")
    elif "string" in wanted and isinstance(value, bool):
        hint = msg("hint.yes_no_is_boolean")
    elif "string" in wanted and isinstance(value, (int, float)):
        hint = msg("hint.quote_if_text")
    elif wanted == ["object"] and isinstance(value, str) and isinstance(error.schema, dict) \
            and "zh" in error.schema.get("properties", {}):
        hint = msg("hint.text_needs_both")
    elif value is None:
        hint = msg("hint.fill_value")
    return message, hint


_TYPES = {f"type.{t}" for t in ("object", "array", "string", "number", "integer", "boolean", "null")}


def _get(data: Any, path: PathT) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _required_keys(subschemas: Any) -> list[str] | None:
    """['question', 'all', ...] when every branch of a oneOf is {required: [key]}."""
    if isinstance(subschemas, list) and all(
            isinstance(s, dict) and set(s) == {"required"} and len(s["required"]) == 1 for s in subschemas):
        return [s["required"][0] for s in subschemas]
    return None


def _described(schema: dict[str, Any]) -> SchemaWords | None:
    return SchemaWords(schema["description"]) if schema.get("description") else None


# A date written as a Chinese keyboard or Excel writes it: 2027/3/1, 2027.3.1, 2027年3月1日, 2027-3-1.
_OTHER_DATE = re.compile(r"(\d{4})\s*[/.\-年]\s*(\d{1,2})\s*[/.\-月]\s*(\d{1,2})\s*日?")


def _date_hint(value: Any) -> Message | None:
    """'write it 2027-03-01' for a real date written another way; None otherwise."""
    match = _OTHER_DATE.fullmatch(str(value).strip()) if isinstance(value, str) else None
    if match is None:
        return None
    try:
        day = _dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
    return msg("hint.date_as", date=day.isoformat())


def _schema_problems(doc: Doc, error: ValidationError) -> list[Problem]:
    """One jsonschema error -> problems in the staff's terms, at the right line."""
    path: PathT = tuple(error.absolute_path)
    # the value in the file and the keyword's value in the schema: set on every error validation makes
    value: Any = error.instance
    rule: Any = error.validator_value
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    described = _described(schema)
    if "propertyNames" in error.absolute_schema_path and isinstance(value, str) \
            and isinstance(_get(doc.data, path), dict) and value in _get(doc.data, path):
        return [doc.problem(path + (value,), "invalid_name", described, key=True, name=value)]
    if kind == "not" and rule == {}:
        if path:
            return [doc.problem(path, "key_not_allowed", described, key=True, key_name=path[-1])]
        return [doc.problem(path, "not_allowed_here", described, key=True)]
    if kind in ("oneOf", "anyOf", "dependentRequired", "dependentSchemas", "not", "required",
                "additionalProperties", "propertyNames", "minProperties") and not isinstance(value, dict):
        return []  # the "type" error at the same place says it better
    if kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        extra = [k for k in value if k not in allowed]
        return [doc.problem(path + (k,), "unknown_key",
                            msg("hint.split_text") if value[k] is None and " " in k else did_you_mean(k, allowed),
                            key=True, key_name=k) for k in extra]
    if kind == "required":
        missing = [k for k in rule if k not in value]
        hint = msg("hint.both_zh_en") if set(missing) <= {"zh", "en"} else None
        return [doc.problem(path, "missing_key", hint, key_name=k) for k in missing]
    if kind in ("oneOf", "anyOf") and (keys := _required_keys(rule)) is not None:
        found = [k for k in keys if k in value]
        if not found:
            return [doc.problem(path, "needs_one_of", described, keys=keys)]
        return [doc.problem(path, "only_one_of", described or msg("hint.split_all"), keys=keys, found=found)]
    if kind in ("oneOf", "anyOf"):
        best = best_match(error.context) if error.context else None
        return _schema_problems(doc, best) if best is not None else \
            [doc.problem(path, "schema_other", text=error.message)]
    if kind == "dependentRequired":
        return [doc.problem(path + (k,), "needs_too", key=True, key_name=k, need=need)
                for k, needs in rule.items() if k in value for need in needs if need not in value]
    if kind == "not" and isinstance(rule, dict) and "required" in rule:
        together = Joined(tuple(Shown.of(k) for k in rule["required"]), "word.and")
        return [doc.problem(path, "cannot_be_together", keys=together)]
    if kind == "type":
        return [doc.report(path, *_type_problem(error))]
    if kind == "pattern":
        if rule == r"\S":
            return [doc.problem(path, "text_empty")]
        return [doc.problem(path, "not_valid_pattern", _date_hint(value), value=Shown.of(value),
                            what=described or msg("valid_here"))]
    if kind == "format":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
            return []  # the pattern error at the same place says it
        return [doc.problem(path, "not_a_real_date", value=Shown.of(value))]
    if kind == "minimum":
        hint = msg("hint.not_negative") if rule == 0 else None
        return [doc.problem(path, "below_minimum", hint, value=value, minimum=rule)]
    if kind == "enum":
        return [doc.problem(path, "value_not_allowed", did_you_mean(value, rule), value=Shown.of(value))]
    if kind == "const":
        return [doc.problem(path, "must_be", expected=Shown.of(rule), value=Shown.of(value))]
    if kind == "minItems":
        if not value:
            return [doc.problem(path, "list_empty")]
        return [doc.problem(path, "needs_items", count=rule)]
    if kind == "minProperties":
        return [doc.problem(path, "mapping_empty")]
    return [doc.problem(path, "schema_other", text=error.message)]


# Documents (kind, repr of the data) already found to fit their schema. The live preview checks the
# whole folder after each edit of one file; the others are not walked through the schema again.
# repr, unlike JSON, keeps 1, "1" and True apart, and a key 1 apart from a key "1".
_FITS: set[tuple[str, str]] = set()
_FITS_KEPT = 20_000   # a library of 1,500 measures has about 1,600 files: all of them, and their edits


def schema_check(doc: Doc, kind: str) -> list[Problem]:
    """Problems of one document against the schema of its kind."""
    key = (kind, repr(doc.data))
    if key in _FITS:
        return []
    problems: list[Problem] = []
    for error in validators()[kind].iter_errors(doc.data):
        problems.extend(_schema_problems(doc, error))
    if not problems:
        if len(_FITS) >= _FITS_KEPT:
            _FITS.clear()
        _FITS.add(key)
    return problems
