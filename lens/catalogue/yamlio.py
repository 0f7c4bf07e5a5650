"""Errors, and YAML with line numbers: what the catalogue and the ruleset loaders share.

Internal to `lens.catalogue`: other code imports the errors from `lens.catalogue.loader`.
Pure Python and PyYAML, no Django.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# --- errors ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueError:
    """One problem in a data file. Line 0 means the file (or directory) as a whole."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}: {self.message}"
        return f"{self.path}: {self.message}"


class CatalogueInvalid(Exception):
    """The data files have problems; `errors` lists all of them, sorted by file and line."""

    def __init__(self, errors: Iterable[CatalogueError]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.path, e.line))
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass
class Report:
    """Collects errors for one file; the lists are shared by all files of one load."""

    path: str
    errors: list[CatalogueError] = field(default_factory=list)
    # References to check once every file is read: (path, line, section, code, what).
    refs: list[tuple[str, int, str, str, str]] = field(default_factory=list)

    def add(self, line: int, message: str) -> None:
        self.errors.append(CatalogueError(self.path, line, message))

    def refer(self, line: int, section: str, code: str, what: str) -> None:
        self.refs.append((self.path, line, section, code, what))

    def at(self, path: Path | str) -> Report:
        return Report(str(path), self.errors, self.refs)


# --- YAML with line numbers --------------------------------------------------------------


class LineMapping(dict):
    """A YAML mapping that remembers its own line and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineSequence(list):
    """A YAML sequence that remembers its own line and the line of each item."""

    line: int = 0
    item_lines: list[int]


# Far above anything the catalogue needs; a whole number beyond it is a mistake, and
# Python refuses to print one of more than 4300 digits.
MAX_INTEGER = 10**18
# Keys of one mapping after merge keys (<<) are expanded: merging a mapping twice into
# the next, level after level, doubles the keys each time (an "alias bomb").
MAX_MAPPING_KEYS = 10_000


class _LineLoader(yaml.SafeLoader):
    """A safe loader that keeps line numbers, and reports duplicate keys.

    PyYAML silently keeps the last of two equal keys; in hand-edited data that is
    almost always a mistake, so it becomes an error here (merge keys excepted).

    Every value PyYAML cannot make (a date like 2026-13-45, `!!bool maybe`, a number
    too large) becomes a YAML error at its line, and merge keys cannot multiply a
    mapping beyond MAX_MAPPING_KEYS keys.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: list[tuple[int, str]] = []

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            value = super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except Exception as exc:  # e.g. ValueError from datetime, KeyError from bool
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"cannot read the value {_shorten(node)} as {node.tag.rsplit(':', 1)[-1]}",
                node.start_mark,
            ) from exc
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
            raise yaml.constructor.ConstructorError(
                None, None, f"the number {_shorten(node)} is too large", node.start_mark
            )
        return value

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        super().flatten_mapping(node)
        if len(node.value) > MAX_MAPPING_KEYS:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"a mapping with more than {MAX_MAPPING_KEYS} keys after merging (<<)",
                node.start_mark,
            )

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        # Before flattening: a key that overrides a merged (<<) key is not a duplicate.
        _expect(node, yaml.MappingNode, "a mapping")
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                continue
            line, key = key_node.start_mark.line + 1, key_node.value
            if key in seen:
                self.problems.append((line, f"duplicate key {key!r} (also on line {seen[key]})"))
            seen.setdefault(key, line)
        return super().construct_mapping(node, deep)


def _shorten(node: yaml.Node) -> str:
    text = node.value if isinstance(node.value, str) else node.tag
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _expect(node: yaml.Node, kind: type[yaml.Node], what: str) -> None:
    """A tag like `!!map` on a value of another kind (`!!map x`) is a YAML error."""
    if not isinstance(node, kind):
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.tag} on a value that is not {what}", node.start_mark
        )


def _construct_map(loader: _LineLoader, node: yaml.MappingNode):
    _expect(node, yaml.MappingNode, "a mapping")
    data = LineMapping()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    data.update(loader.construct_mapping(node))
    for key_node, _ in node.value:  # flattened by construct_mapping: merged keys included
        key = loader.construct_object(key_node)
        data.key_lines.setdefault(key, key_node.start_mark.line + 1)


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode):
    _expect(node, yaml.SequenceNode, "a list")
    data = LineSequence()
    data.line = node.start_mark.line + 1
    data.item_lines = [child.start_mark.line + 1 for child in node.value]
    yield data
    data.extend(loader.construct_sequence(node))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def read_yaml(path: Path, report: Report) -> tuple[Any, bytes]:
    """The parsed document (None on errors, which go to `report`) and the file's bytes."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        report.add(0, f"cannot read the file: {exc.strerror or exc}")
        return None, b""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        report.add(raw[: exc.start].count(b"\n") + 1, "the file is not UTF-8 text")
        return None, raw
    loader = None
    try:
        loader = _LineLoader(text)  # checks the characters already
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        context = f" ({exc.context})" if exc.context else ""
        report.add(mark.line + 1 if mark else 0, f"YAML syntax error: {exc.problem}{context}")
        return None, raw
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        report.add(line, f"the file holds a character YAML does not allow ({exc.character!r})")
        return None, raw
    except yaml.YAMLError as exc:
        report.add(0, f"YAML error: {exc}")
        return None, raw
    except RecursionError:
        report.add(0, "YAML error: the data is nested too deeply")
        return None, raw
    finally:
        if loader is not None:
            loader.dispose()
    for line, message in loader.problems:
        report.add(line, message)
    return data, raw


# --- file digests ------------------------------------------------------------------------


def files_digest(files: Iterable[tuple[str, bytes]]) -> str:
    """sha256 over the file names and contents; lengths keep the boundaries unambiguous."""
    digest = hashlib.sha256()
    for name, raw in files:
        digest.update(f"{name}\0{len(raw)}\0".encode())
        digest.update(raw)
    return digest.hexdigest()
