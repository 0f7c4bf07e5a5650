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


class _LineLoader(yaml.SafeLoader):
    """A safe loader that keeps line numbers, and reports duplicate keys.

    PyYAML silently keeps the last of two equal keys; in hand-edited data that is
    almost always a mistake, so it becomes an error here (merge keys excepted).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: list[tuple[int, str]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        # Before flattening: a key that overrides a merged (<<) key is not a duplicate.
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                continue
            line, key = key_node.start_mark.line + 1, key_node.value
            if key in seen:
                self.problems.append((line, f"duplicate key {key!r} (also on line {seen[key]})"))
            seen.setdefault(key, line)
        return super().construct_mapping(node, deep)


def _construct_map(loader: _LineLoader, node: yaml.MappingNode):
    data = LineMapping()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    data.update(loader.construct_mapping(node))
    for key_node, _ in node.value:  # flattened by construct_mapping: merged keys included
        key = loader.construct_object(key_node)
        data.key_lines.setdefault(key, key_node.start_mark.line + 1)


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode):
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
    loader = _LineLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        context = f" ({exc.context})" if exc.context else ""
        report.add(mark.line + 1 if mark else 0, f"YAML syntax error: {exc.problem}{context}")
        return None, raw
    except yaml.YAMLError as exc:
        report.add(0, f"YAML error: {exc}")
        return None, raw
    finally:
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
