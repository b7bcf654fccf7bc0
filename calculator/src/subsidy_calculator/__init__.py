"""The eligibility engine of the employment-subsidy calculator.

Standard library only; the same code runs in CPython and in Pyodide. All figures, conditions
and texts come from the rules bundle built from policy/ (see calculator/README.md).

    from subsidy_calculator import load_rules, evaluate
    rules = load_rules(bundle)                 # compile once
    result = evaluate(rules, {"role": "enterprise", ...}, on="2026-11-26", lang="en")
"""
from .engine import Rules, evaluate, load_rules
from .rules import RulesError

__all__ = ["Rules", "RulesError", "evaluate", "load_rules"]
