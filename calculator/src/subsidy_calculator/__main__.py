"""Command line: python -m subsidy_calculator answers.json [--on YYYY-MM-DD] [--lang zh|en]
[--format json|text] [--rules build/rules.json]

A whole list: python -m subsidy_calculator list placements.csv [--list ID] [--answer q=v ...]
[--on YYYY-MM-DD] [--lang zh|en] [--format text|json|csv] [--out PATH] [--rules ...]

Exit status: 0, or 1 when some answers could not be used (they are listed in the result),
or 2 when the rules bundle or the answers file cannot be read.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from .engine import Rules
from .report import text_report
from .rules import RulesError

DEFAULT_RULES = Path("build") / "rules.json"
# Characters a terminal would act on (clear the screen, set the title, reorder the line), from a
# list's cells or an answers file: shown escaped in the text output. Line breaks are the report's own.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def terminal_text(text: str) -> str:
    """`text` with every control character written as an escape (\\x1b, \\u202e)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


def _json_file(text: str) -> Any:
    """JSON text read (any JSON value), or ValueError (also for nesting too deep for Python to read)."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply (lists or objects inside one another)") from None


def _load(path: Path) -> Rules | int:
    if not path.is_file():
        print(f"error: no rules bundle at {path}.\n"
              f"Run `make rules` in the project folder first (it writes {DEFAULT_RULES}), "
              f"or give another with --rules PATH.", file=sys.stderr)
        return 2
    try:
        return Rules(_json_file(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as error:  # RulesError is a ValueError
        kind = "is not a usable rules bundle" if isinstance(error, RulesError) else "cannot be read"
        print(f"error: {path} {kind}: {error}\nRun `make rules` to rebuild it.", file=sys.stderr)
        return 2


def list_main(argv: list[str]) -> int:
    """Check a whole list (CSV) as the "check a list" page does; exit 1 when rows have problems."""
    from .lists import Lists, answer_value, result_csv, text_report

    parser = argparse.ArgumentParser(
        prog="python -m subsidy_calculator list",
        description="Check a list (CSV, as Excel saves it) row by row, and the totals for its counts.")
    parser.add_argument("file", help="the list: a CSV file (UTF-8 or GB18030, comma or tab separated)")
    parser.add_argument("--list", dest="list_id", help="which list (default: recognised from the headings)")
    parser.add_argument("--answer", action="append", default=[], metavar="QUESTION=VALUE",
                        help="an answer for the whole list, e.g. agency_qualified=yes (repeatable)")
    parser.add_argument("--on", metavar="YYYY-MM-DD", help="the day to assess (default: today)")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--format", choices=("text", "json", "csv"), default="text",
                        help="text (default), json, or csv: the rows with the result columns added")
    parser.add_argument("--out", type=Path, help="write here instead of printing")
    parser.add_argument("--rules", type=Path, default=DEFAULT_RULES)
    args = parser.parse_args(argv)
    rules = _load(args.rules)
    if isinstance(rules, int):
        return rules
    try:
        checker = Lists(rules)
        data = Path(args.file).read_bytes()
    except RulesError as error:
        print(f"error: {args.rules} is not a usable rules bundle: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"error: cannot read {args.file}: {error.strerror or error}", file=sys.stderr)
        return 2
    answers = {}
    for item in args.answer:
        key, sep, value = item.partition("=")
        if not sep:
            parser.error(f"--answer {item!r}: write QUESTION=VALUE")
        answers[key.strip()] = answer_value(rules, key.strip(), value.strip())
    result = checker.check(data, args.list_id, answers, args.on, args.lang)
    if args.format == "json":
        output = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        output = result_csv(result) if result["rows"] else ""
    else:
        output = terminal_text(text_report(result, checker.words[result["lang"]], rules.texts[result["lang"]]))
    if args.out:
        args.out.write_text(output, encoding="utf-8", newline="")
    else:
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(encoding="utf-8")
        sys.stdout.write(output)
    if args.format == "csv" and not result["rows"]:
        print(terminal_text("\n".join(p["message"] for p in result["problems"])), file=sys.stderr)
    return 1 if result["problems"] or result.get("errors") else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["list"]:
        return list_main(argv[1:])
    parser = argparse.ArgumentParser(
        prog="python -m subsidy_calculator",
        description="Which employment measures apply to these answers, and how much.")
    parser.add_argument("answers", help="a JSON file of answers keyed by question id ('-': standard input)")
    parser.add_argument("--on", metavar="YYYY-MM-DD", help="the day to assess (default: today)")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--format", choices=("json", "text"), default="json")
    parser.add_argument("--what-if", action="store_true",
                        help="also what would change the answer: the nearest changes, one more, dated changes ahead")
    parser.add_argument("--rules", type=Path, default=DEFAULT_RULES,
                        help=f"the rules bundle (default: {DEFAULT_RULES}, relative to the current folder)")
    args = parser.parse_args(argv)
    rules = _load(args.rules)
    if isinstance(rules, int):
        return rules
    try:
        raw = sys.stdin.read() if args.answers == "-" else Path(args.answers).read_text(encoding="utf-8")
        answers = _json_file(raw)
    except OSError as error:
        print(f"error: cannot read {args.answers}: {error.strerror or error}", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"error: {args.answers} is not valid JSON: {error}", file=sys.stderr)
        return 2

    result = rules.evaluate(answers, args.on, args.lang, what_if=args.what_if)
    if args.format == "json":
        output = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    else:
        output = terminal_text(text_report(result, rules.texts[result["lang"]]))
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    sys.stdout.write(output)
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
