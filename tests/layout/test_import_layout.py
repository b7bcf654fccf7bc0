"""The layout keeps its promise: scripts/ imports flow one way (policy → pages and bundle →
publish), no module imports another that imports it back, and the product never imports the
developer tools or the tests."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Every scripts module and the scripts modules it imports (at any depth of its code)."""
    modules = {_module_name(p): p for p in SCRIPTS.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                base = node.module
                for alias in node.names:
                    target = f"{base}.{alias.name}"
                    found.add(target if target in modules else base)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
        graph[name] = {m for m in found if m.startswith(("scripts", "tests")) and m != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            # a package's __init__ that re-exports its own modules is not a cycle of meaning
            if nxt.startswith(node + ".") or node.startswith(nxt + "."):
                continue
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_scripts_have_no_import_cycle() -> None:
    assert _cycle(_imports()) is None, " -> ".join(_cycle(_imports()) or [])


def test_the_product_never_imports_developer_tools_or_tests() -> None:
    wrong = {name: sorted(m for m in deps if m.startswith(("scripts.dev", "tests")))
             for name, deps in _imports().items() if not name.startswith("scripts.dev")}
    assert not {k: v for k, v in wrong.items() if v}


def test_policy_reading_does_not_depend_on_later_stages() -> None:
    later = ("scripts.pages", "scripts.bundle", "scripts.publish", "scripts.impact", "scripts.server")
    wrong = {name: sorted(m for m in deps if m.startswith(later))
             for name, deps in _imports().items() if name.startswith("scripts.policy")}
    assert not {k: v for k, v in wrong.items() if v}
