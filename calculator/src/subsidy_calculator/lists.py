"""Checking a whole list: one row per person or placement (an agency's placements, an
enterprise's graduate hires), read from the CSV file Excel writes.

Which columns a list has, which conditions a row must meet and which calculator answers the rows
add up to are in the bundle's `lists` (policy/questions.yaml, `lists:`); the words are in
`texts.lists.check` (policy/texts/lists.yaml). The rows only give counts: the amounts, totals and
arithmetic are the engine's (`Rules.evaluate`) for those counts, so a list and the same numbers
typed into the calculator can never give different results.

    checker = Lists(rules)
    result = checker.check(data_bytes, list_id=None, answers={...}, on="2026-11-26", lang="zh")
    result_csv(result)       -> the rows with the result columns added (text with a BOM, for Excel)
    checker.template(list_id, lang) -> an empty list with its column headings (text with a BOM)

Never raises on any file: what cannot be used is reported with its row, column and the reason.
Standard library only (csv, io, datetime, codecs), like the rest of the package.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from .engine import ROLE, Rules, _day, _render
from .formatting import NO_WORDS as _NO, YES_WORDS as _YES, format_count, format_date, read_date as parse_date
from .rules import RulesError, compile_conditions
from .texts import LANGS, fill, flatten

# Technical limits (not policy figures): what a browser tab checks without strain.
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 16_384   # as many as an Excel sheet has: columns beyond are not read
_UNUSED_SHOWN = 20     # unused headings named in the summary
# A cell Excel would run as a formula (OWASP, CSV injection): written with a leading ' in the
# results file, so that Excel shows it as the text it is (a phone number "+86 ...", a note "@name").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
_COLUMN_TYPES = ("text", "boolean", "choice", "date")
_DELIMITERS = (("\t", "tab"), (",", "comma"), (";", "semicolon"))
_PROGRESS_EVERY = 1000
_RESULT_KEYS = ("row", "status", "counts_toward", "reasons")


def _norm(text: str) -> str:
    """A heading or a value as written by hand: width, case, spaces and a trailing * do not matter."""
    return re.sub(r"[\s*]+", "", unicodedata.normalize("NFKC", text)).casefold()


class ListFileError(Exception):
    """The file as a whole cannot be checked: `code` names the text in texts.lists.check.file."""

    def __init__(self, code: str, **values: str) -> None:
        super().__init__(code)
        self.code, self.values = code, values


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of a CSV file as Excel saves it: UTF-8 with or without BOM, UTF-16
    ("Unicode text"), or GB18030 (which covers GBK and GB2312, Excel's "CSV" in China)."""
    if data.startswith(b"PK\x03\x04"):
        raise ListFileError("xlsx")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ListFileError("xls")
    candidates: tuple[tuple[str, str], ...]
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = (("utf-8-sig", "UTF-8"),)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = (("utf-16", "UTF-16"),)
    else:
        candidates = (("utf-8", "UTF-8"), ("gb18030", "GB18030"))
    for codec, name in candidates:
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        if "\x00" in text:
            break
        return text, name
    raise ListFileError("not_text")


def _delimiter(text: str) -> tuple[str, str]:
    first = text.split("\n", 1)[0]
    best = max(_DELIMITERS, key=lambda d: first.count(d[0]))
    return best if first.count(best[0]) else (",", "comma")


class _Column:
    __slots__ = ("id", "type", "required", "raw", "options")

    def __init__(self, raw: Mapping[str, Any], where: str) -> None:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str) or raw.get("type") not in _COLUMN_TYPES:
            raise RulesError(f"{where}: a column needs an id and a type ({'/'.join(_COLUMN_TYPES)})")
        self.id, self.type, self.raw = raw["id"], raw["type"], raw
        self.required = raw.get("required") is True
        self.options: dict[str, str] = {}   # every way of writing an option -> its value
        for o in raw.get("options") or ():
            for alias in (o["value"], *(o["label"][lang] for lang in LANGS)):
                self.options[_norm(alias)] = o["value"]
        if self.type == "choice" and not self.options:
            raise RulesError(f"{where}.options: a choice column needs options")


class ListSpec:
    """One list of the bundle, compiled: its columns, row conditions (rules over the columns) and
    the calculator answers (counts) its rows add up to."""

    def __init__(self, raw: Mapping[str, Any], where: str, rules: Rules) -> None:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
            raise RulesError(f"{where}: a list needs an id")
        self.id, self.raw = raw["id"], raw
        where = f"lists[{self.id}]"
        self.role = raw.get("role")
        if self.role not in rules.question_by_id[ROLE].options:
            raise RulesError(f"{where}.role: not an option of the question {ROLE!r}")
        self.asks = [q for q in raw.get("asks") or ()]
        if any(q not in rules.question_by_id for q in self.asks):
            raise RulesError(f"{where}.asks: must name questions")
        self.columns = [_Column(c, f"{where}.columns[{i}]") for i, c in enumerate(raw.get("columns") or ())]
        ids = [c.id for c in self.columns]
        if not ids or len(set(ids)) != len(ids):
            raise RulesError(f"{where}.columns: needs columns with different ids")
        self.conditions = compile_conditions(raw.get("conditions"), f"{where}.conditions", ids, ())
        index = {c.get("id"): i for i, (c, _) in enumerate(self.conditions)}
        counts = raw.get("counts")
        if not isinstance(counts, Mapping) or not counts:
            raise RulesError(f"{where}.counts: must map questions to condition ids")
        self.counts: list[tuple[str, list[int]]] = []
        for q, names in counts.items():
            if getattr(rules.question_by_id.get(q), "type", None) != "integer":
                raise RulesError(f"{where}.counts.{q}: not a whole-number question")
            if not isinstance(names, list) or not names or any(n not in index for n in names):
                raise RulesError(f"{where}.counts.{q}: must list condition ids of this list")
            self.counts.append((q, sorted(index[n] for n in names)))
        counted = {q for q, _ in self.counts}
        # the benefits a counted row goes toward (their amount is per or each of that count)
        self.benefits = {q: [(m, b) for m in rules.measures for b in m.benefits
                             if b.amount.count == q and (b.roles is None or self.role in b.roles)]
                         for q in counted}
        self.measure_ids = {m.id for m in rules.measures for b in m.benefits
                            if set(b.amount.questions) & counted}


class _ListView:
    """A list's texts on one day in one language, and every way its headings may be written."""

    def __init__(self, spec: ListSpec, rules: Rules, iso: str, lang: str, words: Mapping[str, str]) -> None:
        figures = rules.all_figures
        view = rules.view(iso, lang)
        self.title = _render(spec.raw["title"], lang, figures, iso)
        self.headers = [_render(c.raw["header"], lang, figures, iso) for c in spec.columns]
        self.aliases: dict[str, int] = {}
        for i, c in enumerate(spec.columns):
            both = [_render(c.raw["header"], other, figures, iso) for other in LANGS]
            for alias in (c.id, *both, f"{both[0]}/{both[1]}", f"{both[0]}({both[1]})"):
                self.aliases.setdefault(_norm(alias), i)
        sep = words["separator"]
        # the options in this language, and in the other one too: a list may be filled in either
        other = next(x for x in LANGS if x != lang)
        self.options = [sep.join(fill(words["cell.option"], label=o["label"][lang], other=o["label"][other])
                                 for o in c.raw.get("options") or ()) for c in spec.columns]
        self.condition_texts = [_render(c["text"], lang, figures, iso) for c, _ in spec.conditions]
        names = {(mv.measure.id, bv.benefit.id): bv.name for mv in view.measures for bv in mv.benefits}
        self.toward = {q: sep.join(dict.fromkeys(names[(m.id, b.id)] for m, b in pairs))
                       for q, pairs in spec.benefits.items()}
        self.count_labels = {q: view.labels[q] for q, _ in spec.counts}


class Lists:
    """The lists of a compiled rules bundle (compiled once, on first use)."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        bundle = rules.bundle
        texts = (bundle.get("texts") or {}).get("lists") if isinstance(bundle.get("texts"), Mapping) else None
        flat = flatten((texts or {}).get("check"))
        self.words = {lang: {k: v[lang] for k, v in flat.items()} for lang in LANGS}
        for lang in LANGS:
            self.words[lang]["separator"] = rules.texts[lang]["separator"]
        raw = bundle.get("lists") or []
        if not isinstance(raw, list):
            raise RulesError("lists: must be a list")
        self.specs = {s.id: s for s in (ListSpec(r, f"lists[{i}]", rules) for i, r in enumerate(raw))}
        self._views: dict[tuple[str, str, str], _ListView] = {}

    def view(self, spec: ListSpec, iso: str, lang: str) -> _ListView:
        key = (spec.id, iso, lang)
        if key not in self._views:
            if len(self._views) > 32:
                self._views.clear()
            self._views[key] = _ListView(spec, self.rules, iso, lang, self.words[lang])
        return self._views[key]

    # -- the template -------------------------------------------------------------------------
    def template(self, list_id: str, on: Any = None) -> str:
        """An empty list: one row of headings "Chinese / English", as CSV text starting with a BOM."""
        spec = self.specs[list_id]
        iso = (_day(on) or _dt.date.today()).isoformat()
        zh, en = (self.view(spec, iso, lang).headers for lang in LANGS)
        return BOM + _csv_line([f"{a} / {b}" for a, b in zip(zh, en)])

    # -- checking -----------------------------------------------------------------------------
    def check(self, data: bytes, list_id: str | None = None, answers: Any = None, on: Any = None,
              lang: Any = "zh", progress: Callable[[int, int], Any] | None = None) -> dict[str, Any]:
        lang = lang if lang in LANGS else LANGS[0]
        day = _day(on) or _dt.date.today()
        iso = day.isoformat()
        words = self.words[lang]
        out: dict[str, Any] = {"lang": lang, "date": iso, "date_text": format_date(iso, lang), "list": None, "title": None,
                               "problems": [],
                               "summary": [], "header": [], "rows": [], "counts": [], "answers": None,
                               "totals": None}
        try:
            spec, records, encoding, delimiter, widest = self._read(data, list_id)
        except ListFileError as error:
            out["problems"].append({"row": None, "column": None, "code": error.code,
                                    "message": fill(words["file." + error.code], **self._fill_values(error, lang))})
            return out
        header, body = records[0], records[1:]
        view = self.view(spec, iso, lang)
        out.update(list=spec.id, title=view.title, header=header)
        where: dict[int, int] = {}          # column index in the list -> position in the file
        unused = []
        for pos, heading in enumerate(header):
            i = view.aliases.get(_norm(heading))
            if i is None:
                if heading.strip():
                    unused.append(heading.strip())
            elif i in where:
                out["problems"].append({"row": 1, "column": heading, "code": "duplicate_column",
                                        "message": fill(words["file.duplicate_column"], column=heading)})
            else:
                where[i] = pos
        missing = [view.headers[i] for i, c in enumerate(spec.columns) if c.required and i not in where]
        if missing:
            out["problems"].append({"row": 1, "column": None, "code": "missing_columns", "message": fill(
                words["file.missing_columns"], columns=words["separator"].join(f"“{m}”" for m in missing))})
        if out["problems"]:
            return out
        rows, blank = self._rows(spec, view, words, header, body, where, progress)
        counts = {q: 0 for q, _ in spec.counts}
        for r in rows:
            for q in r.pop("_in"):
                counts[q] += 1
        given = answers if isinstance(answers, Mapping) else {}
        evaluated = {ROLE: spec.role, **{q: given[q] for q in spec.asks if q in given}, **counts}
        result = self.rules.evaluate(evaluated, iso, lang)
        out.update(rows=rows, answers=evaluated, totals=self._totals(result, spec))
        out["counts"] = [{"question": q, "label": view.count_labels[q], "count": counts[q],
                          "text": fill(words["summary.count"], label=view.count_labels[q], count=format_count(counts[q], lang))}
                         for q, _ in spec.counts]
        out["errors"] = result["errors"]
        tally = {s: sum(1 for r in rows if r["status"] == s) for s in ("counted", "not_counted", "error")}
        summary = [fill(words["summary.rows"], count=format_count(len(rows), lang), counted=format_count(tally['counted'], lang),
                        not_counted=format_count(tally['not_counted'], lang), errors=format_count(tally['error'], lang))]
        if tally["error"]:
            summary.append(fill(words["summary.errors_not_counted"], count=format_count(tally['error'], lang)))
        if blank:
            summary.append(fill(words["summary.blank_rows"], count=format_count(blank, lang)))
        if widest > MAX_COLUMNS:
            summary.append(fill(words["summary.columns_cut"], count=format_count(widest, lang),
                                limit=format_count(MAX_COLUMNS, lang)))
        if unused:
            named = words["separator"].join(unused[:_UNUSED_SHOWN])
            summary.append(fill(words["summary.unused_columns"], columns=named) if len(unused) <= _UNUSED_SHOWN else
                           fill(words["summary.unused_columns_more"], columns=named,
                                count=format_count(len(unused) - _UNUSED_SHOWN, lang)))
        summary.append(fill(words["summary.file"], encoding=encoding, delimiter=words["summary." + delimiter]))
        out["summary"] = summary
        out["shown"] = sorted(where.values())  # the list's columns, in the file's order: what the page draws
        out["problems"] = [e for r in rows for e in r["errors"]]
        out["result_columns"] = [words["columns." + k] for k in _RESULT_KEYS]
        out["separator"] = words["separator"]
        out["reason_separator"] = words.get("reasons.separator", " ")
        return out

    def _fill_values(self, error: ListFileError, lang: str) -> dict[str, str]:
        values = dict(error.values)
        if error.code == "unknown_list":
            values["lists"] = self.words[lang]["separator"].join(
                self.view(s, _dt.date.today().isoformat(), lang).title for s in self.specs.values())
        if error.code == "too_many_rows":  # 50,000 / 50000, as each language writes a count
            values = {k: format_count(int(v), lang) for k, v in values.items()}
        for key in ("size", "limit"):
            if key in values and error.code == "too_large":
                values[key] = f"{int(values[key]) / (1024 * 1024):.1f}".removesuffix(".0")  # the unit is in the text
        return values

    def _read(self, data: Any, list_id: str | None) -> tuple[ListSpec, list[list[str]], str, str, int]:
        """(list, records without the blank lines above the headings, encoding, delimiter, the most
        cells of a record); records cut to MAX_COLUMNS cells."""
        if hasattr(data, "to_bytes"):   # a JavaScript Uint8Array in Pyodide
            data = data.to_bytes()
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise ListFileError("empty")
        data = bytes(data)
        if len(data) > MAX_BYTES:
            raise ListFileError("too_large", size=str(len(data)), limit=str(MAX_BYTES))
        text, encoding = decode(data)
        if not text.strip():
            raise ListFileError("empty")
        delimiter, delimiter_name = _delimiter(text)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        records: list[list[str]] = []
        widest = 0
        cell_limit = csv.field_size_limit(MAX_BYTES)  # a cell as long as the file may be is read
        try:
            for record in reader:
                if not records and not any(cell.strip() for cell in record):
                    continue   # blank lines above the headings
                if len(record) > widest:
                    widest = len(record)
                records.append(record[:MAX_COLUMNS])
                if len(records) > MAX_ROWS + 1:   # the rows below the headings, blank ones not counted
                    more = sum(1 for r in reader if any(cell.strip() for cell in r))
                    count = sum(1 for r in records[1:] if any(cell.strip() for cell in r)) + more
                    raise ListFileError("too_many_rows", count=str(count), limit=str(MAX_ROWS))
        except csv.Error:
            raise ListFileError("malformed", row=f"{len(records) + 1:,}") from None
        finally:
            csv.field_size_limit(cell_limit)
        if len(records) < 2:
            raise ListFileError("no_rows")
        spec = self.specs.get(list_id) if list_id else self._detect(records[0])
        if spec is None:
            raise ListFileError("unknown_list")
        return spec, records, encoding, delimiter_name, widest

    def _detect(self, header: list[str]) -> ListSpec | None:
        """The list whose required headings are all in the file (the most headings found wins)."""
        found = {_norm(h) for h in header}
        best, score = None, 0
        today = _dt.date.today().isoformat()
        for spec in self.specs.values():
            aliases = self.view(spec, today, LANGS[0]).aliases
            hit = {i for a, i in aliases.items() if a in found}
            if all(i in hit for i, c in enumerate(spec.columns) if c.required) and len(hit) > score:
                best, score = spec, len(hit)
        return best

    @staticmethod
    def _read_cell(column: _Column, raw: str, words: Mapping[str, str], options: str) -> tuple[Any, str | None]:
        """(value, None) or (None, what is wrong) for one non-empty cell."""
        if column.type == "boolean":
            key = _norm(raw)
            if key in _YES or key in _NO:
                return key in _YES, None
            return None, fill(words["cell.boolean"], value=raw)
        if column.type == "choice":
            value = column.options.get(_norm(raw))
            return (value, None) if value is not None else (None, fill(words["cell.choice"], value=raw, options=options))
        if column.type == "date":
            value = parse_date(raw)
            return (value, None) if value is not None else (None, fill(words["cell.date"], value=raw))
        return raw, None

    def _rows(self, spec: ListSpec, view: _ListView, words: Mapping[str, str], header: list[str],
              body: list[list[str]], where: Mapping[int, int], progress: Callable | None) -> tuple[list[dict], int]:
        # (column index, column, position in the file, what each text written there reads as)
        columns: list[tuple[int, _Column, int, dict[str, tuple[Any, str | None]]]] = [
            (i, c, where[i], {}) for i, c in enumerate(spec.columns) if i in where]
        conditions = [rule.test for _, rule in spec.conditions]
        benefit_counts = [(q, idx) for q, idx in spec.counts if spec.benefits.get(q)]
        all_used = sorted({i for _, idx in spec.counts for i in idx})
        status_text = {s: words["status." + s] for s in ("counted", "not_counted", "error")}
        outcomes: dict[tuple, tuple] = {}   # conditions met -> what a row without errors gets
        width = len(header)
        rows: list[dict] = []
        blank = 0
        total = len(body)
        for n, cells in enumerate(body, start=2):
            if progress is not None and (n - 2) % _PROGRESS_EVERY == 0:
                progress(n - 2, total)
            if not any(cell.strip() for cell in cells):
                blank += 1
                continue
            values: dict[str, Any] = {}
            errors: list[dict] = []
            for i, column, pos, seen in columns:
                raw = cells[pos].strip() if pos < len(cells) else ""
                if not raw:
                    if column.required:
                        errors.append(self._cell_error(words, n, header[pos].strip() or view.headers[i], words["cell.empty"]))
                    continue
                read = seen.get(raw)
                if read is None:
                    read = seen[raw] = self._read_cell(column, raw, words, view.options[i])
                if read[1] is None:
                    values[column.id] = read[0]
                else:
                    errors.append(self._cell_error(words, n, header[pos].strip() or view.headers[i], read[1]))
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                errors.append(self._cell_error(words, n, "", fill(words["cell.too_many_cells"], count=str(len(cells)),
                                                                  columns=str(width))))
            met = tuple(test(values, {}) for test in conditions)
            outcome = outcomes.get(met)
            if outcome is None:
                counted_in = [q for q, idx in spec.counts if all(met[i] is True for i in idx)]
                toward = [view.toward[q] for q, idx in benefit_counts if q in counted_in]
                not_met = [fill(words["reasons.not_met"], condition=view.condition_texts[i])
                           for i in all_used if met[i] is False]
                if toward:
                    reasons = [fill(words["reasons.counts_toward"], names=t) for t in toward]
                    outcome = ("counted", toward, reasons, counted_in, not_met)
                else:
                    outcome = ("not_counted", [], not_met, counted_in, not_met)
                outcomes[met] = outcome
            status, toward, reasons, counted_in, not_met = outcome
            if errors:
                status, counted_in, toward = "error", [], []
                reasons = [e["message"] for e in errors] + not_met + [words["reasons.correct_first"]]
            rows.append({"row": n, "cells": cells, "status": status, "status_text": status_text[status],
                         "counts_toward": list(toward), "reasons": list(reasons), "errors": errors,
                         "_in": counted_in})
        if progress is not None:
            progress(total, total)
        return rows, blank

    @staticmethod
    def _cell_error(words: Mapping[str, str], row: int, column: str, problem: str) -> dict:
        message = fill(words["cell.message" if column else "cell.row_message"], row=str(row), column=column,
                       problem=problem)
        return {"row": row, "column": column or None, "code": "cell", "message": message}

    def _totals(self, result: Mapping[str, Any], spec: ListSpec) -> dict[str, Any]:
        """The engine's result for the counts, reduced to the measures the list concerns."""
        groups = []
        for g in result["groups"]:
            items = [i for i in g["items"] if i["measure_id"] in spec.measure_ids]
            if items:
                groups.append({**g, "items": items})
        measures = [m for m in result["measures"] if m["id"] in spec.measure_ids]
        return {"date_text": result["date_text"], "disclaimer": result["disclaimer"], "groups": groups,
                "measures": measures, "rules_version": result["rules_version"]}


def as_text_cell(cell: str) -> str:
    """A cell that Excel shows as the text it is: one that starts as a formula gets a leading '."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


class _TextCells:
    """csv.writer's rows, every cell as_text_cell."""

    def __init__(self, buffer: io.StringIO) -> None:
        self._writer = csv.writer(buffer, lineterminator="\r\n")

    def writerow(self, cells: list[str]) -> None:
        self._writer.writerow([as_text_cell(str(c)) for c in cells])


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    _TextCells(buffer).writerow(cells)
    return buffer.getvalue()


def result_csv(result: Mapping[str, Any]) -> str:
    """Every input row and column as read, with the result columns added, as CSV text starting
    with a BOM (Excel then opens it as UTF-8); no cell starts as a formula (as_text_cell)."""
    buffer = io.StringIO()
    writer = _TextCells(buffer)
    rows = result["rows"]
    width = max([len(result["header"])] + [len(r["cells"]) for r in rows])
    writer.writerow(list(result["header"]) + [""] * (width - len(result["header"])) + result.get("result_columns", []))
    for r in rows:
        writer.writerow(list(r["cells"]) + [""] * (width - len(r["cells"]))
                        + [str(r["row"]), r["status_text"], result["separator"].join(r["counts_toward"]),
                           result.get("reason_separator", " ").join(r["reasons"])])
    return BOM + buffer.getvalue()


def answer_value(rules: Rules, question: str, text: str) -> Any:
    """A whole-list answer typed as text (the command line's --answer q=v): yes/no (either language) for a
    yes/no question, a whole number for a number question, the option value for a choice."""
    kind = getattr(rules.question_by_id.get(question), "type", None)
    key = _norm(text)
    if kind == "boolean" and (key in _YES or key in _NO):
        return key in _YES
    if kind in ("integer", "money") and re.fullmatch(r"-?\d+", key):
        return int(key)
    return text


def text_report(result: Mapping[str, Any], words: Mapping[str, str], result_words: Mapping[str, str]) -> str:
    """The list check as plain text (the command line's default output)."""
    from .report import _item

    lines = [fill(words["report.heading"], title=result["title"] or "", date=result["date_text"]), ""]
    lines += result["summary"]
    if result["problems"]:
        lines += ["", words["report.problems"]] + [f"  ! {p['message']}" for p in result["problems"]]
    if result["rows"]:
        lines += ["", words["report.rows"]]
        for r in result["rows"]:
            first = next((c for c in r["cells"] if c.strip()), "")
            lines.append(f"  {r['row']:>5}  " + fill(result_words["report.line"], name=first, text=r["status_text"]))
            lines += [f"         · {reason}" for reason in r["reasons"] if r["status"] != "error"]
    if result["totals"]:
        lines += ["", words["report.totals"]] + [f"  {c['text']}" for c in result["counts"]]
        for group in result["totals"]["groups"]:
            heading = group["title"]
            if group["total_text"]:
                heading = fill(result_words["report.line"], name=heading,
                               text=fill(result_words["report.total"], amount=group["total_text"]))
            lines += ["", heading, "=" * 40]
            for item in group["items"]:
                lines += _item(item, result_words)
        lines += ["", result["totals"]["disclaimer"]]
    return "\n".join(lines) + "\n"
