"""How long one evaluation of all measures takes on CPython (target: at most 0.2 ms).

    python calculator/bench.py [--rules build/rules.json] [--json]

Without build/rules.json (`make rules`) the bundle is built from policy/ in-process. Prints the
median time of one `evaluate` over several typical answer sets, plus the one-off costs
(compiling the bundle; the first evaluation for a new day and language).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "calculator" / "src"), str(ROOT)]

from subsidy_calculator import load_rules  # noqa: E402

ANSWER_SETS = [
    {"role": "enterprise", "enterprise_size": "small", "graduates_hired": 3,
     "offers_internships": True, "provides_training": False},
    {"role": "enterprise", "enterprise_size": "medium"},
    {"role": "person", "is_college_graduate": True, "education": "bachelor", "full_time": True,
     "left_school_month": "2025-07", "employment": "flexible", "employment_difficulties": False,
     "guarantee_loan_amount": 800000},
    {"role": "hr_agency", "agency_qualified": True, "placements_free": 5, "placements_qualifying": 4},
    {"role": "individual_business", "guarantee_loan_amount": "lots", "colour": "blue"},
    {},
]


def _bundle(path: Path | None) -> tuple[dict, str]:
    if path is None and (ROOT / "build" / "rules.json").is_file():
        path = ROOT / "build" / "rules.json"
    if path is not None:
        return json.loads(path.read_text(encoding="utf-8")), str(path)
    from scripts.bundle.rules_bundle import build_bundle
    return json.loads(json.dumps(build_bundle())), "policy/ (built in-process)"


def measure(bundle: dict, day: str = "2026-11-26", loops: int = 200, repeats: int = 25) -> dict[str, float]:
    started = time.perf_counter()
    rules = load_rules(bundle)
    load_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    rules.evaluate(ANSWER_SETS[0], "2031-01-01", "en")  # a day and language not prepared yet
    cold_ms = (time.perf_counter() - started) * 1000
    for answers in ANSWER_SETS:  # warm up
        rules.evaluate(answers, day, "zh")
    samples = []
    for _ in range(repeats):
        for answers in ANSWER_SETS:
            for lang in ("zh", "en"):
                started = time.perf_counter()
                for _ in range(loops):
                    rules.evaluate(answers, day, lang)
                samples.append((time.perf_counter() - started) * 1000 / loops)
    return {"evaluate_median_ms": statistics.median(samples), "evaluate_max_ms": max(samples),
            "load_rules_ms": load_ms, "first_evaluation_new_day_ms": cold_ms,
            "measures": len(rules.measures)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rules", type=Path, help="a rules bundle (default: build/rules.json, else policy/)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args(argv)
    bundle, source = _bundle(args.rules)
    numbers = measure(bundle)
    if args.json:
        print(json.dumps({**numbers, "python": sys.version.split()[0]}))
        return 0
    print(f"rules: {source} ({numbers['measures']} measures), Python {sys.version.split()[0]}")
    print(f"evaluate, all measures: median {numbers['evaluate_median_ms']:.3f} ms "
          f"(slowest sample {numbers['evaluate_max_ms']:.3f} ms; target <= 0.2 ms)")
    print(f"load_rules: {numbers['load_rules_ms']:.1f} ms; first evaluation for a new day/language: "
          f"{numbers['first_evaluation_new_day_ms']:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
