"""The words of the policy format that every part of the project reads the same way: the
validator (scripts/policy/), the page generator (scripts/pages/), the engine here, and, through
the rules bundle, the browser. Written once; the JSON Schemas in policy/schema/ list the same
words for staff and a test keeps them equal (tests/layout/test_vocabulary.py).
"""
from __future__ import annotations

import re

# questions.yaml `type`
QUESTION_TYPES = ("choice", "boolean", "month", "integer", "money")
NUMBER_TYPES = ("integer", "money")          # answered with a whole number

# A rule on one question (policy/README.md, "Rules"): {question, <one of these>: ...}
COMPARISONS = ("min", "max", "above", "below")   # >=, <=, >, < a number or {figure: F}
DATED = ("within", "same_year")                  # a month answer against the evaluation day
QUESTION_OPS = ("equals", "in", *COMPARISONS, *DATED)
# ... or a combination: {all: [...]}, {any: [...]}, {not: rule}, {condition: id}
COMBINATIONS = ("all", "any", "not", "condition")

# A figure in a text: [[figure_id]] (a measure's own) or [[measure-id.figure_id]]. The pattern
# takes whatever stands between the brackets, so that the validator can name a bad reference;
# only a validated policy reaches the pages and the calculator.
FIGURE_REF = re.compile(r"\[\[([^\[\]]*)\]\]")
