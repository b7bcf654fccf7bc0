"""Read the policy/ folder strictly, so a bad edit is caught with a file:line:column.

PyYAML alone accepts duplicate keys, forgets where values came from and expands alias bombs;
staff edit these files by hand, so we read them through our own walk over PyYAML's nodes.

Interface used by the page generator, the rules bundle and the tests:
    load_policy(root: Path) -> dict with keys
        notice     (notice.yaml as a dict)
        questions  (list of question dicts, in order)
        lists      (the lists checked row by row, from questions.yaml `lists:`)
        measures   (list of measure dicts, sorted by number)
        texts      ({"site": {...}, "results": {...}, ...} from texts/*.yaml)
    It raises PolicyError (with .problems) when anything is wrong: the site must not publish.
Dates come back as ISO strings ("2026-11-26"), so everything loaded is JSON-able.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

POLICY_DIR = Path(__file__).resolve().parent.parent / "policy"

MAX_BYTES = 1_000_000        # the biggest real file is ~15 KB
MAX_NODES = 100_000          # values after alias expansion, per file
MAX_ALIASES = 100            # "*name" uses, per file (staff files need none)
MAX_DEPTH = 60               # nesting levels

PathT = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong, pinned to a place: `file` is relative to the policy folder."""

    file: str
    line: int
    col: int
    path: str
    message: str
    hint: str = ""

    def format(self, root_label: str = "policy") -> str:
        where = f"{root_label}/{self.file}" if root_label else self.file
        text = f"{where}:{self.line}:{self.col}: "
        if self.path:
            text += f"{self.path}: "
        text += self.message
        if self.hint:
            text += f" — hint: {self.hint}"
        return text

    def __str__(self) -> str:
        return self.format()


class PolicyError(Exception):
    """The policy folder has problems; the build must refuse to publish."""

    def __init__(self, problems: list[Problem], root_label: str = "policy") -> None:
        self.problems = problems
        lines = [p.format(root_label) for p in problems[:50]]
        if len(problems) > 50:
            lines.append(f"... and {len(problems) - 50} more")
        super().__init__(f"{len(problems)} problem(s) in the policy:\n" + "\n".join(lines))


def path_text(path: PathT) -> str:
    """('benefits', 2, 'amount') -> 'benefits[2].amount' (the form staff see in messages)."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass
class Doc:
    """One YAML file: its data and where each value (and each mapping key) starts."""

    file: str
    data: Any
    values: dict[PathT, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathT, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: PathT, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value at `path`, or of its key; else the nearest parent."""
        path = tuple(path)
        while True:
            table = self.keys if key else self.values
            if path in table:
                return table[path]
            if path in self.values:
                return self.values[path]
            if not path:
                return (1, 1)
            path = path[:-1]
            key = False

    def problem(self, path: PathT, message: str, hint: str = "", key: bool = False) -> Problem:
        line, col = self.where(path, key)
        return Problem(self.file, line, col, path_text(path), message, hint)


class _AliasLimit(Exception):
    """Composing must stop: too many aliases, or an alias that contains itself."""

    def __init__(self, mark: yaml.Mark, message: str) -> None:
        super().__init__(message)
        self.mark, self.message = mark, message


class _Loader(yaml.SafeLoader):
    """SafeLoader that records each alias (*name) where it is used, so a bomb is refused before it
    is expanded and pointed at; dates become ISO strings and bad dates stay text for the schema."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.alias_uses: list[tuple[yaml.Mark, yaml.Node]] = []

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:  # type: ignore[override]
        if not self.check_event(yaml.AliasEvent):
            return super().compose_node(parent, index)
        mark = self.peek_event().start_mark
        node = super().compose_node(parent, index)
        self.alias_uses.append((mark, node))
        if len(self.alias_uses) > MAX_ALIASES:
            raise _AliasLimit(mark, f"more than {MAX_ALIASES} aliases (*) — refused")
        return node

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> str:  # type: ignore[override]
        try:
            value = yaml.constructor.SafeConstructor.construct_yaml_timestamp(self, node)
        except ValueError:  # 2026-02-30: keep the text, the schema says "not a date"
            return str(node.value)
        return value.isoformat()


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


class _FastLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):
    """libyaml's parser, for the common case: a file with no anchors (so no alias to count) that
    parses cleanly. Anything else goes through _Loader, whose messages the hints are made for."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.alias_uses: list[tuple[yaml.Mark, yaml.Node]] = []

    construct_yaml_timestamp = _Loader.construct_yaml_timestamp


_FastLoader.add_constructor("tag:yaml.org,2002:timestamp", _FastLoader.construct_yaml_timestamp)


def _fast_node(text: str) -> tuple[_FastLoader, yaml.Node | None] | None:
    """Compose with libyaml when that is safe and the file is well-formed, else None."""
    if "&" in text or "*" in text:
        return None
    loader = _FastLoader(text)
    try:
        return loader, loader.get_single_node()
    except (yaml.YAMLError, RecursionError):
        loader.dispose()
        return None


class _Stop(Exception):
    """Reading a file must stop at once (bomb, cycle, too deep)."""


# PyYAML's words -> what a person editing the file should do.
_YAML_HINTS: list[tuple[str, str, str]] = [
    ("'\\t'", "a tab character is used for indentation",
     "YAML indentation must use spaces, never tabs; set your editor to insert spaces"),
    ("tab character", "a tab character is used for indentation",
     "YAML indentation must use spaces, never tabs; set your editor to insert spaces"),
    ("mapping values are not allowed", "unexpected ':' in a value",
     "a text containing ': ' must be put in quotes, e.g. en: \"Note: ...\"; or check the indentation"),
    ("could not find expected ':'", "a line is missing its ':'",
     "each line should be 'key: value'; a text that goes on over several lines must be in quotes"),
    ("found undefined alias", "'*' starts a reference to something that does not exist",
     "put the text in quotes if it starts with '*'"),
    ("unknown escape character", "a backslash in double quotes starts an unknown escape",
     "use single quotes, or write \\\\ for a backslash"),
    ("while scanning a quoted scalar", "a quote is opened but never closed",
     "close the quote on the same text; a quote inside a text must be doubled ('') or escaped (\\\")"),
    ("while scanning a double-quoted scalar", "a quote is opened but never closed",
     "close the quote; a \" inside a double-quoted text is written \\\""),
    ("while parsing a flow sequence", "a '[' list is not closed or misses a comma",
     "write [a, b, c] on one line; put texts containing ',' or ']' in quotes"),
    ("while parsing a flow mapping", "a '{' mapping is not closed or misses a comma",
     "write {zh: ..., en: ...}; put texts containing ',', ':' or '}' in quotes"),
    ("expected a single document", "the file contains more than one document ('---')",
     "remove the '---' line: each policy file holds one document"),
    ("cannot start any token", "a value starts with a character YAML reserves",
     "put the value in quotes (values starting with @, `, %, ! or | need quotes)"),
    ("expected <block end>", "the indentation does not line up",
     "keys at the same level must start in the same column; a list item starts with '- '"),
    ("did not find expected key", "the indentation does not line up",
     "keys at the same level must start in the same column"),
    ("expected '-' indicator", "a list item is not lined up with the others",
     "every '- ' of one list must start in the same column"),
]


def _yaml_error(file: str, error: yaml.YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    raw = " ".join(part for part in (getattr(error, "context", None), getattr(error, "problem", None))
                   if part) or str(error).splitlines()[0]
    for needle, message, hint in _YAML_HINTS:
        if needle in raw:
            return Problem(file, line, col, "", f"YAML syntax error: {message} ({raw})", hint)
    return Problem(file, line, col, "", f"YAML syntax error: {raw}",
                   "check the indentation and quotes on this line and the line above")


class _Builder:
    """Turns PyYAML nodes into plain data, recording positions and refusing what staff never need."""

    def __init__(self, doc: Doc, loader: _Loader) -> None:
        self.doc, self.loader = doc, loader
        self.nodes = 0
        self.aliases = 0
        self.seen: set[int] = set()
        self.problems: list[Problem] = []

    def fail(self, node: yaml.Node, message: str, hint: str = "") -> _Stop:
        m = node.start_mark
        self.problems.append(Problem(self.doc.file, m.line + 1, m.column + 1, "", message, hint))
        return _Stop()

    def build(self, node: yaml.Node, path: PathT, ancestors: tuple[int, ...] = ()) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.fail(node, f"too many values (over {MAX_NODES:,}) — refused",
                            "this looks like an alias bomb; policy files need no anchors (&) or aliases (*)")
        if id(node) in ancestors:
            raise self.fail(node, "an alias (*) refers to its own anchor (&): the value would never end",
                            "remove the anchor and alias")
        if len(ancestors) > MAX_DEPTH:
            raise self.fail(node, f"values are nested more than {MAX_DEPTH} levels deep — refused")
        if id(node) in self.seen:
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise self.fail(node, f"more than {MAX_ALIASES} aliases (*) — refused",
                                "this looks like an alias bomb; write the values out instead")
        self.seen.add(id(node))
        m = node.start_mark
        self.doc.values[path] = (m.line + 1, m.column + 1)
        inner = ancestors + (id(node),)
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.fail(key_node, "a key must be a plain word, not a list or mapping")
                    continue
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.fail(key_node, "merge keys (<<) are not supported",
                              "write the keys out in full")
                    continue
                key = str(key_node.value)  # the text as written: 'no:' stays 'no', not False
                km = key_node.start_mark
                if key in result:
                    first = self.doc.keys[path + (key,)]
                    self.problems.append(Problem(
                        self.doc.file, km.line + 1, km.column + 1, path_text(path + (key,)),
                        f"duplicate key '{key}' (first at line {first[0]})",
                        "a key may appear only once in a mapping; YAML would silently keep the last one"))
                    continue
                self.doc.keys[path + (key,)] = (km.line + 1, km.column + 1)
                result[key] = self.build(value_node, path + (key,), inner)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), inner) for i, item in enumerate(node.value)]
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as error:
            raise self.fail(node, f"cannot read this value: {getattr(error, 'problem', error)}",
                            "put the value in quotes") from None
        if isinstance(value, float) and not math.isfinite(value):
            self.problems.append(Problem(self.doc.file, m.line + 1, m.column + 1, path_text(path),
                                         f"'{node.value}' is not a usable number",
                                         "write a finite number such as 2111"))
            return None
        if isinstance(value, bytes):  # !!binary
            raise self.fail(node, "binary values are not supported")
        if isinstance(value, (_dt.date, _dt.datetime)):
            return value.isoformat()
        return value


def _check_aliases(uses: list[tuple[yaml.Mark, yaml.Node]]) -> None:
    """Refuse a document whose aliases would expand to too many values, or into themselves,
    without expanding it: sizes are counted once per node."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        if id(node) in active:
            raise RecursionError
        active.add(id(node))
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        total = 1 + sum(size(child) for child in children)
        active.discard(id(node))
        sizes[id(node)] = total
        return total

    expanded = 0
    for mark, node in uses:
        try:
            expanded += size(node)
        except RecursionError:
            raise _AliasLimit(mark, "an alias (*) refers to its own anchor (&): the value would never end") from None
        if expanded > MAX_NODES:
            raise _AliasLimit(mark, f"the aliases (*) expand to over {MAX_NODES:,} values — refused")


def _decode(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 only (a BOM is fine); point at the first bad byte otherwise."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, [Problem(file, line, col, "", f"the file is not UTF-8 (byte 0x{raw[error.start]:02x})",
                              "save the file as UTF-8 (in most editors: 'Save with encoding' > UTF-8)")]
    if "\x00" in text:
        return None, [Problem(file, 1, 1, "", "the file contains NUL characters",
                              "save it as UTF-8 text, not UTF-16")]
    return text, []


def read_yaml(path: Path, file: str) -> tuple[Doc | None, list[Problem]]:
    """Read one YAML file strictly. `file` is how problems name it. Never raises on bad content."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(file, 1, 1, "", f"the file is {size:,} bytes; the limit is {MAX_BYTES:,}",
                                  "a policy file is a few kilobytes; was something pasted by mistake?")]
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(file, 1, 1, "", f"cannot read the file: {error.strerror or error}")]
    text, problems = _decode(raw, file)
    if text is None:
        return None, problems
    doc = Doc(file, None)
    fast = _fast_node(text)
    loader = fast[0] if fast else _Loader(text)
    try:
        try:
            node = fast[1] if fast else loader.get_single_node()
        except yaml.YAMLError as error:
            return None, [_yaml_error(file, error)]
        except RecursionError:
            return None, [Problem(file, 1, 1, "", "values are nested too deeply — refused")]
        except _AliasLimit as error:
            return None, [Problem(file, error.mark.line + 1, error.mark.column + 1, "", error.message,
                                  "policy files need no anchors (&) or aliases (*): write the values out")]
        if node is None:
            return doc, []
        try:
            _check_aliases(loader.alias_uses)
        except _AliasLimit as error:
            return None, [Problem(file, error.mark.line + 1, error.mark.column + 1, "", error.message,
                                  "this looks like an alias bomb; policy files need no anchors (&) or aliases (*)")]
        builder = _Builder(doc, loader)
        try:
            doc.data = builder.build(node, ())
        except _Stop:
            return None, builder.problems
        return doc, builder.problems  # duplicate keys and the like: reported, the rest still checked
    finally:
        loader.dispose()


# ---- the folder -------------------------------------------------------------------------------

MEASURE_FILE = re.compile(r"^(\d{2,})-([a-z0-9]+(?:-[a-z0-9]+)*)\.yaml$")


@dataclass
class PolicyDocs:
    """Every policy file read, by role. A file that could not be read is absent (its problem is in `problems`)."""

    notice: Doc | None = None
    questions: Doc | None = None
    measures: list[Doc] = field(default_factory=list)
    texts: dict[str, Doc] = field(default_factory=dict)
    scenarios: list[Doc] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


def read_policy(root: Path = POLICY_DIR) -> PolicyDocs:
    """Read every file the site uses; report files that are missing or would be silently ignored."""
    root = Path(root)
    docs = PolicyDocs()

    def read(path: Path) -> Doc | None:
        doc, problems = read_yaml(path, path.relative_to(root).as_posix())
        docs.problems.extend(problems)
        return doc

    for name in ("notice", "questions"):
        path = root / f"{name}.yaml"
        if path.is_file():
            setattr(docs, name, read(path))
        else:
            docs.problems.append(Problem(f"{name}.yaml", 1, 1, "", "the file is missing"))
    for folder in ("measures", "texts", "scenarios"):
        for path in sorted((root / folder).glob("*")) if (root / folder).is_dir() else []:
            if path.name.startswith(".") or path.is_dir():
                continue
            rel = path.relative_to(root).as_posix()
            if path.suffix != ".yaml":
                hint = "rename it to .yaml" if path.suffix in (".yml", ".YAML") else "move it out of this folder"
                docs.problems.append(Problem(rel, 1, 1, "", "this file is ignored: only *.yaml files are read", hint))
                continue
            doc = read(path)
            if doc is None:
                docs.unreadable.append(rel)
                continue
            if folder == "measures":
                docs.measures.append(doc)
            elif folder == "texts":
                docs.texts[path.stem] = doc
            else:
                docs.scenarios.append(doc)
    return docs


def assemble(docs: PolicyDocs) -> dict[str, Any]:
    """The loaded policy in the shape the site and the calculator use (call only when valid)."""
    measures = [d.data for d in docs.measures]
    return {
        "notice": docs.notice.data if docs.notice else None,
        "questions": (docs.questions.data or {}).get("questions", []) if docs.questions else [],
        "lists": (docs.questions.data or {}).get("lists", []) if docs.questions else [],
        "measures": sorted(measures, key=lambda m: m["number"]),
        "texts": {name: d.data for name, d in sorted(docs.texts.items())},
    }


def load_policy(root: Path = POLICY_DIR) -> dict[str, Any]:
    """Read and validate; raise PolicyError rather than hand back a policy that must not be published."""
    from scripts.validate_policy import check  # here, not at the top: validate_policy imports us

    docs = read_policy(root)
    problems = check(docs, Path(root))
    if problems:
        raise PolicyError(problems, Path(root).name)
    return assemble(docs)


def load_scenarios(root: Path = POLICY_DIR) -> dict[str, list[dict[str, Any]]]:
    """Calculator test cases by file stem; raises PolicyError like load_policy."""
    from scripts.validate_policy import check

    docs = read_policy(root)
    problems = check(docs, Path(root))
    if problems:
        raise PolicyError(problems, Path(root).name)
    return {Path(d.file).stem: (d.data or {}).get("cases", []) for d in docs.scenarios}
