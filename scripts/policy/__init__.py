"""Policy read and checked: the first step of the flow (policy/ -> pages and bundle -> site).

    reader    strict YAML reading with positions (Doc, read_policy)
    messages  the validator's words in Chinese and English (messages.yaml), and the staff guide's table
    problems  Problem (a message at file:line:column) and PolicyError
    schema    JSON Schema errors -> problems
    checks/   one module per kind of policy file, plus what they share (context)
    load      read + check + assemble: load_policy, load_scenarios, validate
    cli       the command line: python -m scripts.policy.cli [policy_dir]
"""
from scripts.policy.load import load_policy, load_scenarios, validate
from scripts.policy.problems import PolicyError, Problem
from scripts.policy.reader import POLICY_DIR, read_policy

__all__ = ["POLICY_DIR", "PolicyError", "Problem", "load_policy", "load_scenarios", "read_policy", "validate"]
