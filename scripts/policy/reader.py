"""Read the policy/ folder strictly, so a bad edit is caught with a file:line:column.

PyYAML alone accepts duplicate keys, forgets where values came from and expands alias bombs;
staff edit these files by hand, so we read them through our own walk over PyYAML's nodes.
A file with YAML syntax errors is read again with each bad line blanked out, so that every
syntax error of the file is reported at once, not only the first.
Dates come back as ISO strings ("2026-11-26"), so everything read is JSON-able.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from scripts.policy.messages import Hint, Message, hint_of, msg
from scripts.policy.problems import PathT, Problem, path_text

POLICY_DIR = Path(__file__).resolve().parents[2] / "policy"

MAX_BYTES = 1_000_000        # far more than any policy file holds
MAX_NODES = 100_000          # values after alias expansion, per file
MAX_ALIASES = 100            # "*name" uses, per file (staff files need none)
MAX_DEPTH = 60               # nesting levels
MAX_SYNTAX_ERRORS = 20       # syntax errors reported per file (each one costs a parse)


def problem(file: str, line: int, col: int, path: str, code: str, hint: Hint | None = None,
            **args: Any) -> Problem:
    """A Problem from a catalogue code; the entry's own hint unless `hint` is given."""
    return Problem(file, line, col, path, msg(code, **args), hint if hint is not None else hint_of(code, **args))


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

    def problem(self, path: PathT, code: str, hint: Hint | None = None, key: bool = False,
                **args: Any) -> Problem:
        """The catalogue message `code` (with its own hint unless `hint` is given) at `path`."""
        line, col = self.where(path, key)
        return problem(self.file, line, col, path_text(path), code, hint, **args)

    def report(self, path: PathT, message: Message, hint: Hint | None = None, key: bool = False) -> Problem:
        """A problem at `path` from messages already made."""
        line, col = self.where(path, key)
        return Problem(self.file, line, col, path_text(path), message, hint)


class _AliasLimit(Exception):
    """Composing must stop: too many aliases, or an alias that contains itself."""

    def __init__(self, mark: yaml.Mark, code: str, **args: Any) -> None:
        super().__init__(code)
        self.mark, self.code, self.values = mark, code, args


class _Loader(yaml.SafeLoader):
    """SafeLoader that records each alias (*name) where it is used, so a bomb is refused before it
    is expanded and pointed at; dates become ISO strings and bad dates stay text for the schema."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.alias_uses: list[tuple[yaml.Mark, yaml.Node]] = []

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if not self.check_event(yaml.AliasEvent):
            return super().compose_node(parent, index)
        mark = self.peek_event().start_mark
        node = super().compose_node(parent, index)
        assert node is not None  # an alias stands for a node composed before it
        self.alias_uses.append((mark, node))
        if len(self.alias_uses) > MAX_ALIASES:
            raise _AliasLimit(mark, "too_many_aliases", limit=MAX_ALIASES)
        return node


def _timestamp_as_text(loader: yaml.SafeLoader | yaml.CSafeLoader, node: yaml.ScalarNode) -> str:
    """A YAML date as its ISO text (what the rules and pages compare and show)."""
    try:
        value = yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:  # 2026-02-30: keep the text, the schema says "not a date"
        return str(node.value)
    return value.isoformat()


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


if TYPE_CHECKING:
    _LibyamlLoader = yaml.CSafeLoader
else:  # PyYAML built without libyaml has no CSafeLoader
    _LibyamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FastLoader(_LibyamlLoader):
    """libyaml's parser, for the common case: a file with no anchors (so no alias to count) that
    parses cleanly. Anything else goes through _Loader, whose messages the hints are made for."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.alias_uses: list[tuple[yaml.Mark, yaml.Node]] = []


_FastLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


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


# PyYAML's words -> the catalogue entry that says what a person editing the file should do.
_YAML_KINDS: list[tuple[str, str]] = [
    ("'\\t'", "yaml.tab"),
    ("tab character", "yaml.tab"),
    ("mapping values are not allowed", "yaml.colon"),
    ("could not find expected ':'", "yaml.no_colon"),
    ("found undefined alias", "yaml.undefined_alias"),
    ("unknown escape character", "yaml.escape"),
    ("while scanning a quoted scalar", "yaml.open_quote"),
    ("while scanning a double-quoted scalar", "yaml.open_double_quote"),
    ("while parsing a flow sequence", "yaml.flow_sequence"),
    ("while parsing a flow mapping", "yaml.flow_mapping"),
    ("expected a single document", "yaml.documents"),
    ("cannot start any token", "yaml.reserved"),
    ("expected <block end>", "yaml.indentation"),
    ("did not find expected key", "yaml.indentation_key"),
    ("expected '-' indicator", "yaml.list_item"),
]


def _yaml_error(file: str, error: yaml.YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    raw = " ".join(part for part in (getattr(error, "context", None), getattr(error, "problem", None))
                   if part) or str(error).splitlines()[0]
    for needle, kind in _YAML_KINDS:
        if needle in raw:
            return problem(file, line, col, "", "yaml.syntax", hint_of(kind), what=msg(kind))
    return problem(file, line, col, "", "yaml.syntax_other", raw=raw)


# A key typed on a Chinese keyboard: "in_force：" (full-width colon) is no key to YAML, which then
# reports a missing or extra ':' on another line. Said where it is, with what to type instead.
_FULL_WIDTH_KEY = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*(：)")


def _full_width_colons(file: str, text: str) -> tuple[list[Problem], str]:
    """Problems for every key followed by '：', and the text with ': ' typed in their place."""
    found: list[Problem] = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        match = _FULL_WIDTH_KEY.match(line)
        if match is None:
            continue
        col = match.start(3)
        found.append(problem(file, i + 1, col + 1, "", "yaml.full_width_colon", key=match.group(2)))
        rest = line[col + 1:]
        lines[i] = line[:col] + ":" + ("" if rest.startswith((" ", "\t")) or not rest.strip() else " ") + rest
    return found, "\n".join(lines)


def _syntax_errors(file: str, text: str, first: yaml.YAMLError) -> list[Problem]:
    """Every syntax error of the file: blank out the bad line (and, for an unfinished key, quote or
    [ ] { } list, the line where it started) and parse again, while the errors move down the file.
    A key with a full-width colon is reported first, and the file read again as if it were typed."""
    wide, typed = _full_width_colons(file, text)
    if wide:
        loader = _Loader(typed)
        try:
            loader.get_single_node()
            return wide
        except yaml.YAMLError as again:
            return wide + _syntax_errors(file, typed, again)
        except (RecursionError, _AliasLimit):
            return wide
        finally:
            loader.dispose()
    lines = text.split("\n")
    found: list[Problem] = []
    error: yaml.YAMLError | None = first
    last = -1
    while error is not None and len(found) < MAX_SYNTAX_ERRORS:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        if mark is None or mark.line <= last or mark.line >= len(lines):
            break
        found.append(_yaml_error(file, error))
        last = mark.line
        lines[mark.line] = ""
        context = getattr(error, "context_mark", None)
        if context is not None and context.line < mark.line and (
                isinstance(error, yaml.scanner.ScannerError) or "flow" in str(getattr(error, "context", ""))):
            lines[context.line] = ""
        blanked = "\n".join(lines)
        fast = _fast_node(blanked)  # parses cleanly now (as read_yaml would take it): no more errors
        if fast is not None:
            fast[0].dispose()
            break
        loader = _Loader(blanked)
        try:
            loader.get_single_node()
            error = None
        except yaml.YAMLError as again:
            error = again
        except (RecursionError, _AliasLimit):
            error = None
        finally:
            loader.dispose()
    return found or [_yaml_error(file, first)]


class _Builder:
    """Turns PyYAML nodes into plain data, recording positions and refusing what staff never need."""

    def __init__(self, doc: Doc, loader: _Loader | _FastLoader) -> None:
        self.doc, self.loader = doc, loader
        self.nodes = 0
        self.aliases = 0
        self.seen: set[int] = set()
        self.problems: list[Problem] = []

    def note(self, node: yaml.Node, code: str, path: PathT = (), hint: Hint | None = None,
             **args: Any) -> None:
        m = node.start_mark
        self.problems.append(problem(self.doc.file, m.line + 1, m.column + 1, path_text(path), code, hint, **args))

    def fail(self, node: yaml.Node, code: str, hint: Hint | None = None, **args: Any) -> _Stop:
        self.note(node, code, (), hint, **args)
        return _Stop()

    def build(self, node: yaml.Node, path: PathT, ancestors: tuple[int, ...] = ()) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.fail(node, "too_many_values", msg("hint.alias_bomb_no_anchors"), limit=f"{MAX_NODES:,}")
        if id(node) in ancestors:
            raise self.fail(node, "alias_cycle", msg("hint.remove_anchor"))
        if len(ancestors) > MAX_DEPTH:
            raise self.fail(node, "too_deep", limit=MAX_DEPTH)
        if id(node) in self.seen:
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise self.fail(node, "too_many_aliases", msg("hint.alias_bomb_write_out"), limit=MAX_ALIASES)
        self.seen.add(id(node))
        m = node.start_mark
        self.doc.values[path] = (m.line + 1, m.column + 1)
        inner = ancestors + (id(node),)
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.note(key_node, "key_not_plain")
                    continue
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.note(key_node, "merge_key")
                    continue
                key = str(key_node.value)  # the text as written: 'no:' stays 'no', not False
                if key in result:
                    first = self.doc.keys[path + (key,)]
                    self.note(key_node, "duplicate_key", path + (key,), key=key, first=first[0])
                    continue
                km = key_node.start_mark
                self.doc.keys[path + (key,)] = (km.line + 1, km.column + 1)
                result[key] = self.build(value_node, path + (key,), inner)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), inner) for i, item in enumerate(node.value)]
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as error:
            raise self.fail(node, "cannot_read_value", reason=str(getattr(error, "problem", error))) from None
        if isinstance(value, float) and not math.isfinite(value):
            self.note(node, "not_a_usable_number", path, text=str(node.value))
            return None
        if isinstance(value, bytes):  # !!binary
            raise self.fail(node, "binary_value")
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
            raise _AliasLimit(mark, "alias_cycle") from None
        if expanded > MAX_NODES:
            raise _AliasLimit(mark, "aliases_expand", limit=f"{MAX_NODES:,}")


def _decode(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 only (a BOM is fine); point at the first bad byte otherwise."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, [problem(file, line, col, "", "not_utf8", byte=f"0x{raw[error.start]:02x}")]
    if "\x00" in text:
        return None, [problem(file, 1, 1, "", "nul_characters")]
    return text, []


# Reads kept by content (keep_reads): the live preview reads the whole folder again after each
# save of one file; a file whose bytes did not change is not parsed again. None: not kept.
_KEPT_READS: dict[tuple[str, bytes], tuple[Doc | None, list[Problem]]] | None = None


def keep_reads() -> None:
    """From now on in this process, read_yaml parses a file only when its bytes are new to it
    (`mkdocs serve`: the hook calls this; a build reads every file once anyway). Every check
    still runs on every file: only the parsing is reused. Kept: every version read, as the
    preview runs for an editing session."""
    global _KEPT_READS
    if _KEPT_READS is None:
        _KEPT_READS = {}


def read_yaml(path: Path, file: str) -> tuple[Doc | None, list[Problem]]:
    """Read one YAML file strictly. `file` is how problems name it. Never raises on bad content."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [problem(file, 1, 1, "", "file_too_big", size=f"{size:,}", limit=f"{MAX_BYTES:,}")]
        raw = path.read_bytes()
    except OSError as error:
        return None, [problem(file, 1, 1, "", "cannot_read_file", reason=str(error.strerror or error))]
    if _KEPT_READS is None:
        return _parse(raw, file)
    key = (file, hashlib.sha256(raw).digest())
    if key not in _KEPT_READS:
        _KEPT_READS[key] = _parse(raw, file)
    doc, problems = _KEPT_READS[key]
    return doc, list(problems)   # the same Doc: nothing downstream changes what was read


def _parse(raw: bytes, file: str) -> tuple[Doc | None, list[Problem]]:
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
            return None, _syntax_errors(file, text, error)
        except RecursionError:
            return None, [problem(file, 1, 1, "", "nested_too_deeply")]
        except _AliasLimit as error:
            return None, [problem(file, error.mark.line + 1, error.mark.column + 1, "", error.code,
                                  msg("hint.no_anchors"), **error.values)]
        if node is None:
            return doc, []
        try:
            _check_aliases(loader.alias_uses)
        except _AliasLimit as error:
            return None, [problem(file, error.mark.line + 1, error.mark.column + 1, "", error.code,
                                  msg("hint.alias_bomb_no_anchors"), **error.values)]
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


NOTICE_DIR = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class NoticeDocs:
    """One notice's folder (policy/notices/<id>/): its notice.yaml, its published text, its measures."""

    id: str
    folder: str                        # "notices/<id>", relative to the policy folder
    notice: Doc | None = None
    text: str | None = None            # the published text (text_file), None when missing
    measures: list[Doc] = field(default_factory=list)


@dataclass
class PolicyDocs:
    """Every policy file read, by role. A file that could not be read is absent (its problem is in `problems`)."""

    library: Doc | None = None
    questions: Doc | None = None
    notices: list[NoticeDocs] = field(default_factory=list)
    texts: dict[str, Doc] = field(default_factory=dict)
    scenarios: list[Doc] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    @property
    def measures(self) -> list[Doc]:
        """Every measure file of every notice, notice by notice."""
        return [doc for notice in self.notices for doc in notice.measures]


def _yaml_files(root: Path, folder: Path, docs: PolicyDocs) -> list[Path]:
    """The .yaml files of a folder; any other file is reported, as it would be silently ignored."""
    found = []
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix != ".yaml":
            hint = msg("hint.rename_yaml") if path.suffix in (".yml", ".YAML") else msg("hint.move_out")
            docs.problems.append(problem(path.relative_to(root).as_posix(), 1, 1, "", "file_ignored", hint))
            continue
        found.append(path)
    return found


def read_policy(root: Path = POLICY_DIR) -> PolicyDocs:
    """Read every file the site uses; report files that are missing or would be silently ignored."""
    root = Path(root)
    docs = PolicyDocs()

    def read(path: Path) -> Doc | None:
        rel = path.relative_to(root).as_posix()
        doc, problems = read_yaml(path, rel)
        docs.problems.extend(problems)
        if doc is None:
            docs.unreadable.append(rel)
        return doc

    for name in ("library", "questions"):
        path = root / f"{name}.yaml"
        if path.is_file():
            setattr(docs, name, read(path))
        else:
            docs.problems.append(problem(f"{name}.yaml", 1, 1, "", "file_missing"))
    notices = root / "notices"
    folders = sorted(p for p in notices.iterdir() if p.is_dir() and not p.name.startswith(".")) \
        if notices.is_dir() else []
    if not folders:
        docs.problems.append(problem("notices/", 1, 1, "", "no_notices"))
    for folder in folders:
        rel = folder.relative_to(root).as_posix()
        if not NOTICE_DIR.match(folder.name):
            docs.problems.append(problem(rel + "/", 1, 1, "", "notice_folder_name"))
            continue
        notice = NoticeDocs(folder.name, rel)
        docs.notices.append(notice)
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.name in ("notice.yaml", "measures") or path.suffix == ".txt":
                continue
            hint = msg("hint.rename_yaml") if path.name in ("notice.yml", "notice.YAML") else msg("hint.move_out")
            docs.problems.append(problem(path.relative_to(root).as_posix(), 1, 1, "", "file_ignored", hint))
        if (folder / "notice.yaml").is_file():
            notice.notice = read(folder / "notice.yaml")
            text_file = as_text_file(notice.notice)
            if text_file is not None and (folder / text_file).is_file():
                notice.text = (folder / text_file).read_text(encoding="utf-8", errors="replace")
        else:
            docs.problems.append(problem(f"{rel}/notice.yaml", 1, 1, "", "file_missing"))
        for path in _yaml_files(root, folder / "measures", docs):
            doc = read(path)
            if doc is not None:
                notice.measures.append(doc)
    for kind in ("texts", "scenarios"):
        for path in _yaml_files(root, root / kind, docs):
            doc = read(path)
            if doc is None:
                continue
            if kind == "texts":
                docs.texts[path.stem] = doc
            else:
                docs.scenarios.append(doc)
    return docs


def as_text_file(doc: Doc | None) -> str | None:
    """A notice.yaml's `text_file`, when it names a plain file of the notice's own folder."""
    name = doc.data.get("text_file") if doc is not None and isinstance(doc.data, dict) else None
    if isinstance(name, str) and re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.txt$", name):
        return name
    return None
