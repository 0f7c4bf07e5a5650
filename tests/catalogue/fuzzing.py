"""Hypothesis strategies and the property for fuzzing the catalogue loader.

Shared by tests/catalogue/test_fuzz.py (bounded, in the suite) and
scripts/fuzz_catalogue.py (as many examples as asked). The property: whatever the files
hold, `lens.catalogue.loader.load_directory` either loads (and the result survives the
JSON snapshot the database stores) or raises its own CatalogueInvalid, every error naming
a file in the folder and a line; never another exception.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
from pathlib import Path

import yaml
from hypothesis import strategies as st

from lens.catalogue.loader import (
    CatalogueInvalid,
    catalogue_from_dict,
    catalogue_to_dict,
    load_directory,
    ruleset_from_dict,
    ruleset_to_dict,
)

REAL_DIR = Path(__file__).resolve().parents[2] / "catalogue"


def real_files() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(REAL_DIR.glob("*.yaml"))}


# --- the property --------------------------------------------------------------------------


def check_directory(directory: Path) -> str:
    """Load `directory`; "loaded" or "invalid", or raise whatever the loader let through."""
    try:
        loaded = load_directory(directory)
    except CatalogueInvalid as exc:
        assert exc.errors, "CatalogueInvalid without errors"
        for error in exc.errors:
            assert error.path.startswith(str(directory)), error
            assert isinstance(error.line, int) and error.line >= 0, error
            assert error.message, error
            str(error)
        return "invalid"
    # What `lens catalogue load` stores must survive its JSON round trip.
    catalogue = json.loads(json.dumps(catalogue_to_dict(loaded.catalogue)))
    ruleset = json.loads(json.dumps(ruleset_to_dict(loaded.ruleset)))
    assert catalogue_from_dict(catalogue) == loaded.catalogue
    assert ruleset_from_dict(ruleset) == loaded.ruleset
    return "loaded"


def write_files(directory: Path, files: dict[str, str | bytes]) -> Path:
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    for name, content in files.items():
        path = directory / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return directory


# --- values ---------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["school", "sterk", "nl", "en", "signals", "code", "", " ", "<<"]),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 1, 1)),
)
keys = st.one_of(
    st.sampled_from(
        ["code", "label", "nl", "en", "sources", "signals", "ruleset", "catalogue", "levels"]
    ),
    st.text(max_size=10),
    st.integers(min_value=-5, max_value=5),
    st.booleans(),
    st.none(),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)
    ),
    max_leaves=12,
)

# Raw YAML that yaml.safe_dump never writes: tags, bad timestamps, huge numbers, deep
# nesting, anchors and aliases, merge keys, flow oddities.
RAW_SNIPPETS = [
    "1" * 5000,
    "-" + "9" * 4400,
    "0x" + "f" * 5000,
    "0o" + "7" * 3000,
    "1e999",
    "-.inf",
    ".nan",
    "2026-13-45",
    "2026-02-30",
    "2026-11-23T25:61:61",
    "!!bool maybe",
    "!!int abc",
    "!!int 99999999999999999999999999999",
    "!!float x",
    "!!binary '###'",
    "!!timestamp yesterday",
    "!!python/object:os.system 'ls'",
    "!!set {a, b}",
    "!!omap [a: 1, b: 2]",
    "!!pairs [a: 1]",
    "!!str [1, 2]",
    "!!map x",
    "!!seq x",
    "!!null x",
    "!<tag:example.com,2026:x> y",
    "*undefined",
    "&a [*a]",
    "&a {x: *a}",
    "{<<: {code: x}, code: y}",
    "{<<: [1, 2]}",
    "{<<: *nothing}",
    "{? [a, b] : c}",
    "{? {a: b} : c}",
    "[" * 3000 + "]" * 3000,
    "{a: " * 2000 + "b" + "}" * 2000,
    "- " * 50 + "x",
    "'unterminated",
    '"\\xZZ"',
    "\t",
    "|\n  block\n text",
    "%YAML 1.1",
    "--- x\n--- y",
    "\x00",
    "\ufeffx",
    "\U0001f600",
]


def alias_bomb(depth: int, width: int) -> str:
    """Billion-laughs style: each level names the previous one `width` times, as list
    items and as merge keys, so that a naive expansion would be width**depth."""
    lines = ["bomb_0: &b0 {k0: lol, k1: lol, k2: lol}"]
    for level in range(1, depth + 1):
        refs = ", ".join([f"*b{level - 1}"] * width)
        lines.append(f"list_{level}: &l{level} [{refs}]")
        lines.append(f"bomb_{level}: &b{level} {{<<: [{refs}], own_{level}: x}}")
    return "\n".join(lines) + "\n"


raw_values = st.one_of(
    st.sampled_from(RAW_SNIPPETS),
    st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n + "]" * n),
    st.builds(alias_bomb, st.integers(1, 40), st.integers(1, 12)),
)


def dump(value) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, default_flow_style=True)


# --- mutations of real files ----------------------------------------------------------------

VALUE_LINE = re.compile(r"^(\s*(?:- )?[A-Za-z_][A-Za-z0-9_]*:)[ \t]+(\S.*)$")


def replace_value_line(text: str, data) -> str:
    """Replace the value of one `key: value` line with a random value (safe-dumped) or
    a raw snippet."""
    lines = text.split("\n")
    candidates = [i for i, line in enumerate(lines) if VALUE_LINE.match(line)]
    if not candidates:
        return text
    index = data.draw(st.sampled_from(candidates), label="line")
    new = data.draw(st.one_of(values.map(dump), raw_values), label="value")
    if "\n" in new.strip():  # a multi-line value goes below its key, indented
        indent = " " * (len(lines[index]) - len(lines[index].lstrip()) + 4)
        new = "\n" + "\n".join(indent + part for part in new.rstrip("\n").split("\n"))
    else:
        new = " " + new.strip()
    lines[index] = VALUE_LINE.match(lines[index]).group(1) + new
    return "\n".join(lines)


def paths(value, prefix=()):
    """Every path to a value inside parsed YAML (mapping keys and list indices)."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


def get(value, path):
    for step in path:
        value = value[step]
    return value


def mutate_structure(text: str, data) -> str:
    """Parse, change one thing (replace a value, drop a key, duplicate or drop a list
    item, wrap a value in a list or mapping), and dump again."""
    try:
        # An earlier mutation may have appended an alias bomb: expanding it here would
        # cost the fuzzer itself gigabytes (the loader under test refuses it), so a file
        # with aliases keeps its text.
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text)):
            return text
        document = yaml.safe_load(text)
    except Exception:  # an earlier mutation broke the YAML: leave the file as it is
        return text
    all_paths = list(paths(document))
    path = data.draw(st.sampled_from(all_paths), label="path")
    kind = data.draw(
        st.sampled_from(["replace", "drop", "duplicate", "wrap_list", "wrap_map"]), label="kind"
    )
    if not path:
        document = data.draw(values, label="document") if kind == "replace" else [document]
        try:
            return dump(document)
        except RecursionError:  # nesting PyYAML reads but cannot write back: keep the text
            return text
    parent, last = get(document, path[:-1]), path[-1]
    if kind == "replace":
        parent[last] = data.draw(values, label="value")
    elif kind == "drop":
        del parent[last]
    elif kind == "duplicate" and isinstance(parent, list):
        parent.insert(last, parent[last])
    elif kind == "duplicate":
        parent[data.draw(keys, label="key")] = parent[last]
    elif kind == "wrap_list":
        parent[last] = [parent[last]]
    else:
        parent[last] = {data.draw(keys, label="key"): parent[last]}
    try:
        return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    except RecursionError:  # nesting PyYAML reads but cannot write back: keep the text
        return text


@st.composite
def mutated_files(draw, base: dict[str, str]) -> dict[str, str]:
    """`base` with one to three files changed, each by a structural or a text mutation."""
    data = _Draw(draw)
    files = dict(base)
    for _ in range(draw(st.integers(1, 3), label="changes")):
        name = draw(st.sampled_from(sorted(files)), label="file")
        how = draw(st.sampled_from(["structure", "line", "append"]), label="how")
        if how == "structure":
            files[name] = mutate_structure(files[name], data)
        elif how == "line":
            files[name] = replace_value_line(files[name], data)
        else:
            files[name] += "\n" + draw(raw_values, label="appended")
    return files


class _Draw:
    """A DataObject-like wrapper of a composite strategy's `draw`."""

    def __init__(self, draw) -> None:
        self._draw = draw

    def draw(self, strategy, label=None):
        return self._draw(strategy, label=label)


arbitrary_documents = st.one_of(
    values.map(dump),
    values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
    raw_values,
    st.text(max_size=200),
    st.binary(max_size=100),
)


@st.composite
def arbitrary_files(draw, base: dict[str, str]) -> dict[str, str | bytes]:
    """`base` with one file (a catalogue file, the ruleset or a new one) holding an
    arbitrary document."""
    files: dict[str, str | bytes] = dict(base)
    name = draw(st.sampled_from([*sorted(base), "extra.yaml"]), label="file")
    files[name] = draw(arbitrary_documents, label="document")
    return files
