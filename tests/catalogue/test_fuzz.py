"""Fuzzing the catalogue loader (bounded here; scripts/fuzz_catalogue.py runs longer):
arbitrary YAML and mutations of the minimal and the real catalogue files give a loaded
catalogue or the loader's own CatalogueInvalid with file and line, never a traceback."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings

from lens.catalogue.loader import CatalogueInvalid, load_directory

from .fuzzing import (
    alias_bomb,
    arbitrary_files,
    check_directory,
    mutated_files,
    real_files,
    write_files,
)
from .minimal import FILES


# No example database (nothing written to .hypothesis/), no per-example deadline (the
# real catalogue takes a fifth of a second to load), a fixed number of examples.
def bounded(examples: int):
    return settings(
        max_examples=examples,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


REAL = real_files()


def without_first_code(files: dict[str, str], name: str, section: str) -> dict[str, str]:
    """`files` with the first item of `section` in `name` stripped of its `code` (the
    structural "drop" mutation, dumped the way the fuzzer dumps it)."""
    document = yaml.safe_load(files[name])
    del document[section][0]["code"]
    return files | {name: yaml.safe_dump(document, allow_unicode=True, sort_keys=False)}


# A fresh-clone run failed with hypothesis seed 205515857837988149162194331049028817749:
# a retired signal without its code raised KeyError in the loader's chain check
# (`_check_retired`). Kept as a fixed example, so every run checks it.
RETIRED_WITHOUT_CODE = without_first_code(REAL, "retired_signals.yaml", "retired_signals")


def check(files) -> None:
    with tempfile.TemporaryDirectory(prefix="lens-fuzz-") as directory:
        check_directory(write_files(Path(directory) / "catalogue", files))


@bounded(40)
@given(arbitrary_files(FILES))
def test_arbitrary_yaml_in_the_minimal_catalogue(files):
    check(files)


@bounded(40)
@given(mutated_files(FILES))
def test_mutations_of_the_minimal_catalogue(files):
    check(files)


@bounded(6)
@given(mutated_files(REAL))
@example(RETIRED_WITHOUT_CODE)
def test_mutations_of_the_real_catalogue(files):
    check(files)


# What the fuzzing found: each let another exception than CatalogueInvalid through.
FOUND = {
    "deep nesting": ("[" * 3000 + "]" * 3000, 0, "nested too deeply"),
    "a date that does not exist": ("2026-13-45", 2, "cannot read the value"),
    "a bool that is none": ("!!bool maybe", 2, "cannot read the value"),
    "an impossible timestamp": ("!!timestamp yesterday", 2, "cannot read the value"),
    "a number of 5000 digits": ("1" * 5000, 2, "cannot read the value"),
    "a hexadecimal number too large": ("0x" + "f" * 5000, 2, "is too large"),
    "a list tag on text": ("!!seq x", 2, "not a list"),
    "a mapping tag on text": ("!!map x", 2, "not a mapping"),
    "a control character": ("x\x81", 2, "character YAML does not allow"),
}


@pytest.mark.parametrize("value, line, reason", FOUND.values(), ids=FOUND.keys())
def test_what_fuzzing_found_is_a_file_line_error(tmp_path, value, line, reason):
    files = dict(FILES)
    files["catalogue.yaml"] = files["catalogue.yaml"].replace('"2026.11"', value)
    directory = write_files(tmp_path / "catalogue", files)
    with pytest.raises(CatalogueInvalid) as caught:
        load_directory(directory)
    path = str(directory / "catalogue.yaml")
    [error] = [e for e in caught.value.errors if e.path == path]
    assert error.line == line
    assert reason in error.message


def test_a_retired_signal_without_code_is_a_field_error(tmp_path):
    directory = write_files(tmp_path / "catalogue", RETIRED_WITHOUT_CODE)
    with pytest.raises(CatalogueInvalid) as caught:
        load_directory(directory)
    path = directory / "retired_signals.yaml"
    # Only the missing code: the loader does not trip over it in its other checks.
    assert [str(e) for e in caught.value.errors] == [
        f"{path}:2: retired_signals item 1: missing field 'code'"
    ]


def test_an_alias_bomb_of_merge_keys_is_refused_quickly(tmp_path):
    files = dict(FILES)
    files["bomb.yaml"] = alias_bomb(depth=40, width=4)
    directory = write_files(tmp_path / "catalogue", files)
    with pytest.raises(CatalogueInvalid) as caught:
        load_directory(directory)
    assert any("after merging" in e.message for e in caught.value.errors)
