"""Read, validate and build the catalogue and the ruleset from their YAML files.

Pure Python and PyYAML, no Django: the management command, the services and the tests
all use the same loader, and `catalogue validate` works without a database.

The data format is described in `catalogue/README.md`. Every problem is reported as
`path:line: reason`, and all problems are collected before giving up: whoever edits the
data should see every mistake in one run, not one per run.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, NamedTuple, Union, get_args, get_origin, get_type_hints

import yaml

from lens.rules.model import (
    METRICS,
    STRENGTHS,
    Catalogue,
    Contact,
    ConversationTip,
    Indicator,
    Level,
    LifeDomain,
    OrganisationType,
    Phenomenon,
    Principle,
    Region,
    RiskFactor,
    Rule,
    Ruleset,
    Signal,
    Source,
    Step,
    Text,
    Threshold,
)

RULESET_FILE = "ruleset.yaml"
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
LEVEL_NUMBERS = range(5)
# Risk factors are not signals: they may raise the advice to "be extra alert" (level 1),
# never further. Levels from this number on need at least one signal in every rule.
FIRST_LEVEL_NEEDING_SIGNALS = 2


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
class _Report:
    """Collects errors for one file; the lists are shared by all files of one load."""

    path: str
    errors: list[CatalogueError] = field(default_factory=list)
    # References to check once every file is read: (path, line, section, code, what).
    refs: list[tuple[str, int, str, str, str]] = field(default_factory=list)

    def add(self, line: int, message: str) -> None:
        self.errors.append(CatalogueError(self.path, line, message))

    def refer(self, line: int, section: str, code: str, what: str) -> None:
        self.refs.append((self.path, line, section, code, what))

    def at(self, path: Path | str) -> _Report:
        return _Report(str(path), self.errors, self.refs)


# --- YAML with line numbers --------------------------------------------------------------


class _Mapping(dict):
    """A YAML mapping that remembers its own line and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Sequence(list):
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
    data = _Mapping()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    data.update(loader.construct_mapping(node))
    for key_node, _ in node.value:  # flattened by construct_mapping: merged keys included
        key = loader.construct_object(key_node)
        data.key_lines.setdefault(key, key_node.start_mark.line + 1)


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode):
    data = _Sequence()
    data.line = node.start_mark.line + 1
    data.item_lines = [child.start_mark.line + 1 for child in node.value]
    yield data
    data.extend(loader.construct_sequence(node))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def _read_yaml(path: Path, report: _Report) -> tuple[Any, bytes]:
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


# --- field specifications ----------------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    """What one field of an item must look like.

    kind: "str" (text), "code", "text" ({nl, en}), "bool", "int", "number", "codes"
    (list of codes), "strs" (list of texts), "map" or "list" (checked by the caller).
    """

    kind: str
    required: bool = True
    ref: str = ""  # section (or ruleset reference kind) that the codes must exist in
    min_items: int = 0
    choices: tuple[str, ...] = ()
    low: float | None = None  # inclusive bounds
    high: float | None = None
    above: float | None = None  # exclusive lower bound


_COMMON = {
    "code": _Field("code"),
    "label": _Field("text"),
    "explanation": _Field("text"),
    "sources": _Field("codes", ref="sources", min_items=1),
}
_SEEN_BY = _Field("codes", ref="organisation_types", min_items=1)
_OPTIONAL_STR = _Field("str", required=False)

SECTIONS: dict[str, tuple[type, dict[str, _Field]]] = {
    "sources": (
        Source,
        {
            "code": _Field("code"),
            "title": _Field("str"),
            "url": _OPTIONAL_STR,
            "file": _OPTIONAL_STR,
            "verification": _OPTIONAL_STR,
            "note": _OPTIONAL_STR,
        },
    ),
    "organisation_types": (OrganisationType, _COMMON),
    "life_domains": (LifeDomain, _COMMON | {"seen_by": _SEEN_BY, "order": _Field("int")}),
    "indicators": (Indicator, _COMMON | {"seen_by": _SEEN_BY}),
    "signals": (
        Signal,
        _COMMON
        | {
            "indicators": _Field("codes", ref="indicators", min_items=1),
            "life_domains": _Field("codes", ref="life_domains", min_items=1),
            "strength": _Field("str", choices=STRENGTHS),
            "strength_basis": _Field("str"),
            "acute": _Field("bool", required=False),
        },
    ),
    "risk_factors": (RiskFactor, _COMMON),
    "phenomena": (Phenomenon, _COMMON),
    "steps": (
        Step,
        _COMMON | {"route": _Field("str", choices=("meldcode", "route")), "number": _Field("int")},
    ),
    "conversation_tips": (
        ConversationTip,
        _COMMON | {"kind": _Field("str", choices=("helps", "hinders"))},
    ),
    "thresholds": (Threshold, _COMMON | {"number": _Field("int", low=1, high=10)}),
    "principles": (Principle, _COMMON),
    "regions": (Region, _COMMON | {"municipalities": _Field("strs", min_items=1)}),
    "contacts": (
        Contact,
        _COMMON
        | {
            "role": _Field("code"),
            "region": _Field("code", required=False, ref="regions"),
            "phone": _OPTIONAL_STR,
            "url": _OPTIONAL_STR,
            "email": _OPTIONAL_STR,
            "hours": _Field("text", required=False),
            "always_available": _Field("bool", required=False),
        },
    ),
}
HEADER_SPEC = {"version": _Field("str"), "name": _Field("str")}
# Fields whose combination must be unique within a section: two items that claim the
# same place in an ordered list make that order ambiguous.
_UNIQUE_TOGETHER = {
    "steps": ("route", "number"),
    "thresholds": ("number",),
    "life_domains": ("order",),
}

_INVALID = object()  # a value that failed its check (the error is already reported)


def _suggest(name: object, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(name), list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _type_name(value: object) -> str:
    kinds = (
        (type(None), "nothing"),
        (bool, "true/false"),  # before int: a bool is an int in Python
        (dict, "a mapping"),
        (list, "a list"),
        (str, "text"),
        (int | float, "a number"),
    )
    for kind, name in kinds:
        if isinstance(value, kind):
            return name
    return type(value).__name__  # e.g. "date": YAML reads 2026-11-23 as a date


def _check_fields(
    data: object, spec: Mapping[str, _Field], what: str, line: int, report: _Report
) -> dict[str, Any] | None:
    """The valid values of `data` by field name; None if `data` is not a mapping.

    Reports unknown fields (a typo must fail, not be ignored), missing required fields
    (an empty value counts as missing) and values of the wrong kind.
    """
    if not isinstance(data, _Mapping):
        report.add(line, f"{what}: expected a mapping (key: value), found {_type_name(data)}")
        return None
    for key in data:
        if key not in spec:
            report.add(data.line_of(key), f"{what}: unknown field {key!r}{_suggest(key, spec)}")
    values: dict[str, Any] = {}
    missing = [name for name, f in spec.items() if f.required and data.get(name) is None]
    if missing:
        names = ", ".join(repr(name) for name in missing)
        report.add(data.line, f"{what}: missing field{'s' if len(missing) > 1 else ''} {names}")
    for name, spec_field in spec.items():
        value = data.get(name)
        if value is None:
            continue
        checked = _check_value(value, spec_field, f"{what}: {name}", data.line_of(name), report)
        if checked is not _INVALID:
            values[name] = checked
    return values


def _check_value(value: Any, spec: _Field, what: str, line: int, report: _Report) -> Any:
    kind = spec.kind
    if kind in ("str", "code"):
        if not isinstance(value, str):
            hint = " (put it in quotes)" if isinstance(value, int | float | bool) else ""
            report.add(line, f"{what}: expected text, found {_type_name(value)}{hint}")
            return _INVALID
        if spec.required and not value.strip():
            report.add(line, f"{what}: must not be empty")
            return _INVALID
        if kind == "code" and value and not CODE_PATTERN.match(value):
            report.add(line, f"{what}: {value!r} is not a valid code (a-z, 0-9 and _)")
            return _INVALID
        if spec.choices and value not in spec.choices:
            report.add(line, f"{what}: {value!r} is not one of {', '.join(spec.choices)}")
            return _INVALID
        return value
    if kind == "text":
        return _check_text(value, what, line, report)
    if kind == "bool":
        if not isinstance(value, bool):
            report.add(line, f"{what}: expected true or false, found {_type_name(value)}")
            return _INVALID
        return value
    if kind in ("int", "number"):
        return _check_number(value, spec, what, line, report)
    if kind in ("codes", "strs"):
        return _check_list(value, spec, what, line, report)
    if kind == "map" and not isinstance(value, _Mapping):
        report.add(line, f"{what}: expected a mapping, found {_type_name(value)}")
        return _INVALID
    if kind == "list" and not isinstance(value, _Sequence):
        report.add(line, f"{what}: expected a list, found {_type_name(value)}")
        return _INVALID
    return value


def _check_text(value: Any, what: str, line: int, report: _Report) -> Any:
    if not isinstance(value, _Mapping):
        report.add(line, f"{what}: expected a text in two languages {{nl: ..., en: ...}}")
        return _INVALID
    ok = True
    for key in value:
        if key not in ("nl", "en"):
            report.add(value.line_of(key), f"{what}: unknown language {key!r} (use nl and en)")
            ok = False
    for language, name in (("nl", "Dutch"), ("en", "English")):
        text = value.get(language)
        if text is None:
            report.add(value.line, f"{what}: missing the {name} text ({language})")
            ok = False
        elif not isinstance(text, str) or not text.strip():
            report.add(value.line_of(language), f"{what}: the {name} text must be non-empty text")
            ok = False
    return Text(nl=value["nl"], en=value["en"]) if ok else _INVALID


def _check_number(value: Any, spec: _Field, what: str, line: int, report: _Report) -> Any:
    types_ok = (int,) if spec.kind == "int" else (int, float)
    if isinstance(value, bool) or not isinstance(value, types_ok) or not math.isfinite(value):
        expected = "a whole number" if spec.kind == "int" else "a number"
        report.add(line, f"{what}: expected {expected}, found {_type_name(value)}")
        return _INVALID
    if spec.above is not None and not value > spec.above:
        report.add(line, f"{what}: must be greater than {spec.above:g}")
        return _INVALID
    if (spec.low is not None and value < spec.low) or (spec.high is not None and value > spec.high):
        bounds = f"at least {spec.low:g}" if spec.high is None else f"at most {spec.high:g}"
        if spec.low is not None and spec.high is not None:
            bounds = f"between {spec.low:g} and {spec.high:g}"
        report.add(line, f"{what}: must be {bounds}")
        return _INVALID
    return value


def _check_list(value: Any, spec: _Field, what: str, line: int, report: _Report) -> Any:
    if not isinstance(value, _Sequence):
        report.add(line, f"{what}: expected a list, found {_type_name(value)}")
        return _INVALID
    if len(value) < spec.min_items:
        needed = f"code from section '{spec.ref}'" if spec.ref else "entry"
        report.add(line, f"{what}: needs at least one {needed}")
        return _INVALID
    item_spec = _Field("code" if spec.kind == "codes" else "str")
    seen: set[str] = set()
    ok = True
    for item, item_line in zip(value, value.item_lines, strict=True):
        if _check_value(item, item_spec, what, item_line, report) is _INVALID:
            ok = False
        elif item in seen:
            report.add(item_line, f"{what}: {item!r} is listed twice")
            ok = False
        else:
            seen.add(item)
            if spec.ref:
                report.refer(item_line, spec.ref, item, what)
    return tuple(value) if ok else _INVALID


def _digest(files: Iterable[tuple[str, bytes]]) -> str:
    """sha256 over the file names and contents; lengths keep the boundaries unambiguous."""
    digest = hashlib.sha256()
    for name, raw in files:
        digest.update(f"{name}\0{len(raw)}\0".encode())
        digest.update(raw)
    return digest.hexdigest()


# --- the catalogue -----------------------------------------------------------------------


def catalogue_files(directory: Path) -> list[Path]:
    """The catalogue's data files, sorted by name: every *.yaml except the ruleset."""
    return sorted(p for p in directory.glob("*.yaml") if p.name != RULESET_FILE and p.is_file())


class _Item(NamedTuple):
    """A checked item: its valid values and where it was found."""

    values: dict[str, Any]
    report: _Report  # of the item's file
    line: int
    what: str  # how messages name it, e.g. "signals 'geld_zonder_baan'"


def load_catalogue_with_digest(directory: Path) -> tuple[Catalogue, str]:
    """Like `load_catalogue`, also returning the full sha256 digest of the files."""
    directory = Path(directory)
    report = _Report(str(directory))
    if not directory.is_dir():
        report.add(0, "the catalogue directory does not exist")
        raise CatalogueInvalid(report.errors)
    files = catalogue_files(directory)
    if not files:
        report.add(0, "the catalogue directory has no *.yaml files")
    sections: dict[str, list[_Item]] = {name: [] for name in SECTIONS}
    headers: list[_Item] = []
    contents: list[tuple[str, bytes]] = []
    for path in files:
        data, raw = _read_yaml(path, report.at(path))
        contents.append((path.name, raw))
        _read_sections(data, report.at(path), sections, headers)
    if not headers:
        report.add(0, "no file holds the 'catalogue' section (version and name)")
    for header in headers[1:]:
        first = headers[0]
        header.report.add(
            header.line, f"a second 'catalogue' section (first at {first.report.path}:{first.line})"
        )
    _check_unique(sections)
    known = {
        name: {i.values["code"] for i in items if "code" in i.values}
        for name, items in sections.items()
    }
    for path, line, section, code, what in report.refs:
        if code not in known[section]:
            message = f"{what}: unknown code {code!r} (not in section '{section}')"
            report.at(path).add(line, message + _suggest(code, known[section]))
    if report.errors:
        raise CatalogueInvalid(report.errors)

    digest = _digest(contents)
    built = {
        name: {i.values["code"]: SECTIONS[name][0](**i.values) for i in items}
        for name, items in sections.items()
    }
    # The check shows leefgebieden in this order, whatever file order they came in.
    built["life_domains"] = dict(sorted(built["life_domains"].items(), key=lambda i: i[1].order))
    version = f"{headers[0].values['version']}-{digest[:8]}"
    return Catalogue(version=version, **built), digest


def _read_sections(
    data: Any, report: _Report, sections: dict[str, list[_Item]], headers: list[_Item]
) -> None:
    """Check one file's sections and items, adding the valid items to `sections`."""
    if data is None:
        return  # empty (or unreadable, already reported): nothing to add
    if not isinstance(data, _Mapping):
        report.add(1, "a catalogue file must be a mapping of sections (e.g. 'signals:')")
        return
    for name, value in data.items():
        line = data.line_of(name)
        if name == "catalogue":
            # Kept even when invalid (the error is reported): it is there, not missing.
            header = _check_fields(value, HEADER_SPEC, "catalogue", line, report)
            headers.append(_Item(header or {}, report, line, "catalogue"))
        elif name == "ruleset":
            report.add(line, f"the ruleset belongs in {RULESET_FILE}, not in a catalogue file")
        elif name not in SECTIONS:
            report.add(line, f"unknown section {name!r}{_suggest(name, SECTIONS)}")
        elif not isinstance(value, _Sequence):
            report.add(line, f"section '{name}' must be a list of items")
        else:
            for index, (item, item_line) in enumerate(zip(value, value.item_lines, strict=True)):
                code = item.get("code") if isinstance(item, _Mapping) else None
                what = (
                    f"{name} {code!r}"
                    if isinstance(code, str) and code
                    else f"{name} item {index + 1}"
                )
                values = _check_fields(item, SECTIONS[name][1], what, item_line, report)
                if values is None:
                    continue
                if name == "contacts" and not any(values.get(k) for k in ("phone", "url", "email")):
                    report.add(item_line, f"{what}: needs at least one of phone, url or email")
                sections[name].append(_Item(values, report, item_line, what))


def _check_unique(sections: dict[str, list[_Item]]) -> None:
    """Duplicate codes (naming both places) and duplicate places in ordered lists."""
    for name, items in sections.items():
        unique = _UNIQUE_TOGETHER.get(name, ())
        first_code: dict[str, _Item] = {}
        first_place: dict[tuple[Any, ...], _Item] = {}
        for item in items:
            code = item.values.get("code")
            if code in first_code:
                first = first_code[code]
                where = f"{first.report.path}:{first.line}"
                item.report.add(
                    item.line, f"duplicate code {code!r} in '{name}' (first at {where})"
                )
            elif code is not None:
                first_code[code] = item
            if unique and all(k in item.values for k in unique):
                key = tuple(item.values[k] for k in unique)
                if key in first_place:
                    first = first_place[key]
                    place = ", ".join(f"{k} {item.values[k]}" for k in unique)
                    where = f"{first.report.path}:{first.line}"
                    item.report.add(item.line, f"{item.what}: {place} is taken (first at {where})")
                else:
                    first_place[key] = item


def load_catalogue(directory: Path) -> Catalogue:
    """Read and validate every catalogue file in `directory`; raises CatalogueInvalid."""
    return load_catalogue_with_digest(directory)[0]


# --- the ruleset -------------------------------------------------------------------------

RULESET_SPEC = {
    "version": _Field("str"),
    "weights": _Field("map"),
    "recent_days": _Field("int", above=0),
    "old_weight": _Field("number", above=0, high=1),
    "acute_days": _Field("int", above=0),
    "indicator_cap": _Field("number", above=0),
    "life_domain_cap": _Field("number", above=0),
    "risk_bonus_per_factor": _Field("number", low=0),
    "risk_bonus_max": _Field("number", low=0),
    "risk_alert_min": _Field("int", low=1),
    "levels": _Field("list"),
}
LEVEL_SPEC = {
    "number": _Field("int", low=0, high=4),
    "label": _Field("text"),
    "meaning": _Field("text"),
    "rules": _Field("list"),
    "steps": _Field("codes", required=False, ref="steps"),
    "contact_roles": _Field("codes", required=False, ref="contact_roles"),
}
RULE_SPEC = {"code": _Field("code"), "description": _Field("text"), "minimum": _Field("map")}
WEIGHTS_SPEC = {strength: _Field("number", low=0) for strength in STRENGTHS}


def load_ruleset_with_digest(path: Path, catalogue: Catalogue | None = None) -> tuple[Ruleset, str]:
    """Like `load_ruleset`, also returning the full sha256 digest of the file."""
    path = Path(path)
    report = _Report(str(path))
    if not path.is_file():
        report.add(0, "the ruleset file does not exist")
        raise CatalogueInvalid(report.errors)
    data, raw = _read_yaml(path, report)
    ruleset = None
    if isinstance(data, _Mapping):
        for key in data:
            if key != "ruleset":
                report.add(data.line_of(key), f"unknown section {key!r} (only 'ruleset')")
        if "ruleset" not in data:
            report.add(data.line, "missing the 'ruleset' section")
        else:
            ruleset = _check_ruleset(data["ruleset"], data.line_of("ruleset"), report)
    elif not report.errors:
        report.add(1, "the ruleset file must hold a mapping with the key 'ruleset'")
    if catalogue is not None:
        _check_ruleset_refs(report, catalogue)
    if report.errors or ruleset is None:
        raise CatalogueInvalid(report.errors)
    digest = _digest([(path.name, raw)])
    return Ruleset(**(ruleset | {"version": f"{ruleset['version']}-{digest[:8]}"})), digest


def _check_ruleset_refs(report: _Report, catalogue: Catalogue) -> None:
    """The steps and contact roles the levels name must exist in the catalogue."""
    known = {
        "steps": set(catalogue.steps),
        "contact_roles": {contact.role for contact in catalogue.contacts.values()},
    }
    for _, line, kind, code, what in report.refs:
        if code not in known[kind]:
            missing = "no step with this code" if kind == "steps" else "no contact with this role"
            report.add(
                line, f"{what}: {code!r}: the catalogue has {missing}" + _suggest(code, known[kind])
            )


def _check_ruleset(data: Any, line: int, report: _Report) -> dict[str, Any] | None:
    values = _check_fields(data, RULESET_SPEC, "ruleset", line, report)
    if values is None:
        return None
    if "weights" in values:
        weights = values["weights"]
        checked = _check_fields(weights, WEIGHTS_SPEC, "weights", weights.line, report)
        if checked is not None and len(checked) == len(STRENGTHS):
            if not checked["zacht"] <= checked["middel"] <= checked["sterk"]:
                report.add(weights.line, "weights: must not decrease: zacht <= middel <= sterk")
            values["weights"] = dict(checked)
    levels: dict[int, Level] = {}
    if "levels" in values:
        rule_codes: dict[str, int] = {}
        for item, item_line in zip(values["levels"], values["levels"].item_lines, strict=True):
            level = _check_level(item, item_line, report, rule_codes)
            if level is None:
                continue
            if level.number in levels:
                report.add(item_line, f"level {level.number} is defined twice")
            levels[level.number] = level
        missing = [str(number) for number in LEVEL_NUMBERS if number not in levels]
        if missing:
            numbers = (
                f"level {missing[0]} is"
                if len(missing) == 1
                else f"levels {', '.join(missing)} are"
            )
            report.add(data.line_of("levels"), f"levels: {numbers} missing")
        values["levels"] = tuple(levels[n] for n in sorted(levels))
    return values if len(values) == len(RULESET_SPEC) else None


def _check_level(data: Any, line: int, report: _Report, rule_codes: dict[str, int]) -> Level | None:
    number = data.get("number") if isinstance(data, _Mapping) else None
    what = f"level {number}" if isinstance(number, int) else "level"
    values = _check_fields(data, LEVEL_SPEC, what, line, report)
    if values is None:
        return None
    rules: list[Rule] = []
    rules_seq = values.get("rules")
    if rules_seq is not None:
        for item, item_line in zip(rules_seq, rules_seq.item_lines, strict=True):
            rule = _check_rule(item, item_line, what, values.get("number"), report)
            if rule is None:
                continue
            if rule.code in rule_codes:
                report.add(
                    item_line,
                    f"{what}: duplicate rule code {rule.code!r} "
                    f"(first on line {rule_codes[rule.code]})",
                )
            rule_codes.setdefault(rule.code, item_line)
            rules.append(rule)
        number = values.get("number")
        if number == 0 and len(rules_seq):
            report.add(
                data.line_of("rules"),
                "level 0: must have no rules (it is the outcome when no other level applies)",
            )
        elif isinstance(number, int) and number > 0 and not len(rules_seq):
            report.add(
                data.line_of("rules"), f"{what}: needs at least one rule, or it never applies"
            )
    if not all(name in values for name, spec in LEVEL_SPEC.items() if spec.required):
        return None
    return Level(**(values | {"rules": tuple(rules)}))


def _check_rule(
    data: Any, line: int, level_what: str, level: int | None, report: _Report
) -> Rule | None:
    code = data.get("code") if isinstance(data, _Mapping) else None
    what = f"{level_what}, rule {code!r}" if isinstance(code, str) else f"{level_what}, rule"
    values = _check_fields(data, RULE_SPEC, what, line, report)
    if values is None or "minimum" not in values:
        return None
    minimum = values["minimum"]
    checked: dict[str, float] = {}
    for metric, threshold in minimum.items():
        metric_line = minimum.line_of(metric)
        if metric not in METRICS:
            message = f"{what}: unknown metric {metric!r}{_suggest(metric, METRICS)}"
            report.add(metric_line, message)
            continue
        value = _check_value(
            threshold, _Field("number", above=0), f"{what}: {metric}", metric_line, report
        )
        if value is not _INVALID:
            checked[metric] = value
    if not minimum:
        report.add(minimum.line, f"{what}: minimum needs at least one metric")
    if level is not None and level >= FIRST_LEVEL_NEEDING_SIGNALS:
        if "risk_factors" in minimum:
            report.add(
                minimum.line_of("risk_factors"),
                f"{what}: the metric 'risk_factors' is only allowed in levels 0 and 1: "
                "risk factors are not signals and never raise the advice above level 1",
            )
        if checked.get("signals", 0) < 1:
            report.add(
                minimum.line,
                f"{what}: a rule of level {level} must require 'signals' of at least 1, "
                "so that risk factors alone never reach it",
            )
    if len(values) != len(RULE_SPEC):
        return None
    return Rule(code=values["code"], description=values["description"], minimum=checked)


def load_ruleset(path: Path, catalogue: Catalogue | None = None) -> Ruleset:
    """Read and validate the ruleset file; with a catalogue, also check that the steps
    and contact roles it names exist. Raises CatalogueInvalid."""
    return load_ruleset_with_digest(path, catalogue)[0]


# --- both at once ------------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    """A validated catalogue and ruleset with the full digests of their files."""

    catalogue: Catalogue
    ruleset: Ruleset
    catalogue_digest: str
    ruleset_digest: str


def load_directory(directory: Path) -> Loaded:
    """The catalogue and `ruleset.yaml` from one directory, with the errors of both
    reported together (the ruleset is cross-checked when the catalogue is valid)."""
    directory = Path(directory)
    errors: list[CatalogueError] = []
    catalogue = catalogue_digest = None
    try:
        catalogue, catalogue_digest = load_catalogue_with_digest(directory)
    except CatalogueInvalid as exc:
        errors.extend(exc.errors)
    try:
        ruleset, ruleset_digest = load_ruleset_with_digest(directory / RULESET_FILE, catalogue)
    except CatalogueInvalid as exc:
        errors.extend(exc.errors)
    if errors:
        raise CatalogueInvalid(errors)
    assert catalogue is not None and catalogue_digest is not None
    return Loaded(catalogue, ruleset, catalogue_digest, ruleset_digest)


# --- JSON snapshots ----------------------------------------------------------------------
# Sections are stored as lists, not objects keyed by code: PostgreSQL's jsonb does not keep
# the order of object keys, and the order of the items is part of the catalogue.

CATALOGUE_SECTIONS = tuple(SECTIONS)


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _build(cls: type, data: Mapping[str, Any]) -> Any:
    """Rebuild a dataclass from `_plain` output, guided by its type hints."""
    hints = get_type_hints(cls)
    return cls(
        **{f.name: _convert(hints[f.name], data[f.name]) for f in fields(cls) if f.name in data}
    )


def _convert(hint: Any, value: Any) -> Any:
    origin = get_origin(hint)
    if value is None:
        return None
    if is_dataclass(hint):
        return _build(hint, value)
    if origin in (Union, types.UnionType):
        (inner,) = (a for a in get_args(hint) if a is not type(None))
        return _convert(inner, value)
    if origin is tuple:
        return tuple(_convert(get_args(hint)[0], v) for v in value)
    if origin is dict:
        return dict(value)
    return value


def catalogue_to_dict(catalogue: Catalogue) -> dict[str, Any]:
    """A JSON-ready snapshot: {"version": ..., section: [item, ...], ...}."""
    snapshot: dict[str, Any] = {"version": catalogue.version}
    for name in CATALOGUE_SECTIONS:
        snapshot[name] = [_plain(item) for item in getattr(catalogue, name).values()]
    return snapshot


def catalogue_from_dict(data: Mapping[str, Any]) -> Catalogue:
    sections = {
        name: {item["code"]: _build(SECTIONS[name][0], item) for item in data[name]}
        for name in CATALOGUE_SECTIONS
    }
    return Catalogue(version=data["version"], **sections)


def ruleset_to_dict(ruleset: Ruleset) -> dict[str, Any]:
    return _plain(ruleset)


def ruleset_from_dict(data: Mapping[str, Any]) -> Ruleset:
    return _build(Ruleset, data)


__all__ = [
    "CatalogueError",
    "CatalogueInvalid",
    "Loaded",
    "catalogue_from_dict",
    "catalogue_to_dict",
    "load_catalogue",
    "load_catalogue_with_digest",
    "load_directory",
    "load_ruleset",
    "load_ruleset_with_digest",
    "ruleset_from_dict",
    "ruleset_to_dict",
]
