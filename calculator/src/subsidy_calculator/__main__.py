"""Command line: python -m subsidy_calculator answers.json [--on YYYY-MM-DD] [--lang zh|en]
[--format json|text] [--rules build/rules.json]

Exit status: 0, or 1 when some answers could not be used (they are listed in the result),
or 2 when the rules bundle or the answers file cannot be read.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .engine import Rules
from .report import text_report
from .rules import RulesError

DEFAULT_RULES = Path("build") / "rules.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m subsidy_calculator",
        description="Which employment measures apply to these answers, and how much.")
    parser.add_argument("answers", help="a JSON file of answers keyed by question id ('-': standard input)")
    parser.add_argument("--on", metavar="YYYY-MM-DD", help="the day to assess (default: today)")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--format", choices=("json", "text"), default="json")
    parser.add_argument("--rules", type=Path, default=DEFAULT_RULES,
                        help=f"the rules bundle (default: {DEFAULT_RULES}, relative to the current folder)")
    args = parser.parse_args(argv)

    if not args.rules.is_file():
        print(f"error: no rules bundle at {args.rules}.\n"
              f"Run `make rules` in the project folder first (it writes {DEFAULT_RULES}), "
              f"or give another with --rules PATH.", file=sys.stderr)
        return 2
    try:
        rules = Rules(json.loads(args.rules.read_text(encoding="utf-8")))
    except (OSError, ValueError) as error:  # RulesError is a ValueError
        kind = "is not a usable rules bundle" if isinstance(error, RulesError) else "cannot be read"
        print(f"error: {args.rules} {kind}: {error}\nRun `make rules` to rebuild it.", file=sys.stderr)
        return 2
    try:
        raw = sys.stdin.read() if args.answers == "-" else Path(args.answers).read_text(encoding="utf-8")
        answers = json.loads(raw)
    except OSError as error:
        print(f"error: cannot read {args.answers}: {error.strerror or error}", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"error: {args.answers} is not valid JSON: {error}", file=sys.stderr)
        return 2

    result = rules.evaluate(answers, args.on, args.lang)
    if args.format == "json":
        output = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    else:
        output = text_report(result, rules.texts[result["lang"]])
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    sys.stdout.write(output)
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
