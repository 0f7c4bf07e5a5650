"""Read, validate and build the catalogue and the ruleset from their YAML files.

Pure Python and PyYAML, no Django: the management command, the services and the tests
all use the same loader, and `catalogue validate` works without a database.

The data format is described in `catalogue/README.md`. Every problem is reported as
`path:line: reason`, and all problems are collected before giving up: whoever edits the
data should see every mistake in one run, not one per run.

This module reads the catalogue, and both files at once; it is also the loader's public
API, re-exporting the rest (see `__all__`). The parts: `yamlio` (errors, YAML with line
numbers), `fields` (field specifications and checks), `ruleset_loader` (the ruleset) and
`snapshot` (JSON snapshots).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from lens.catalogue.fields import HEADER_SPEC, SECTIONS, UNIQUE_TOGETHER, check_fields, suggest
from lens.catalogue.ruleset_loader import load_ruleset, load_ruleset_with_digest
from lens.catalogue.snapshot import (
    catalogue_from_dict,
    catalogue_to_dict,
    ruleset_from_dict,
    ruleset_to_dict,
)
from lens.catalogue.yamlio import (
    CatalogueError,
    CatalogueInvalid,
    LineMapping,
    LineSequence,
    Report,
    files_digest,
    read_yaml,
)
from lens.rules.model import Catalogue, Ruleset

RULESET_FILE = "ruleset.yaml"


def catalogue_files(directory: Path) -> list[Path]:
    """The catalogue's data files, sorted by name: every *.yaml except the ruleset."""
    return sorted(p for p in directory.glob("*.yaml") if p.name != RULESET_FILE and p.is_file())


class _Item(NamedTuple):
    """A checked item: its valid values and where it was found."""

    values: dict[str, Any]
    report: Report  # of the item's file
    line: int
    what: str  # how messages name it, e.g. "signals 'geld_zonder_baan'"

    @property
    def where(self) -> str:
        """`path:line`, for messages that point back at this item."""
        return f"{self.report.path}:{self.line}"


def load_catalogue_with_digest(directory: Path) -> tuple[Catalogue, str]:
    """Like `load_catalogue`, also returning the full sha256 digest of the files."""
    directory = Path(directory)
    report = Report(str(directory))
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
        data, raw = read_yaml(path, report.at(path))
        contents.append((path.name, raw))
        _read_sections(data, report.at(path), sections, headers)
    if not headers:
        report.add(0, "no file holds the 'catalogue' section (version and name)")
    for header in headers[1:]:
        header.report.add(
            header.line, f"a second 'catalogue' section (first at {headers[0].where})"
        )
    _check_unique(sections)
    known = {
        name: {i.values["code"] for i in items if "code" in i.values}
        for name, items in sections.items()
    }
    for path, line, section, code, what in report.refs:
        if code not in known[section]:
            message = f"{what}: unknown code {code!r} (not in section '{section}')"
            report.at(path).add(line, message + suggest(code, known[section]))
    _check_retired(sections["retired_signals"], known)
    _check_check_only(sections["signals"], sections["retired_signals"])
    if report.errors:
        raise CatalogueInvalid(report.errors)

    digest = files_digest(contents)
    built = {
        name: {i.values["code"]: SECTIONS[name][0](**i.values) for i in items}
        for name, items in sections.items()
    }
    # The check shows leefgebieden in this order, whatever file order they came in.
    built["life_domains"] = dict(sorted(built["life_domains"].items(), key=lambda i: i[1].order))
    version = f"{headers[0].values['version']}-{digest[:8]}"
    return Catalogue(version=version, **built), digest


def _read_sections(
    data: Any, report: Report, sections: dict[str, list[_Item]], headers: list[_Item]
) -> None:
    """Check one file's sections and items, adding the valid items to `sections`."""
    if data is None:
        return  # empty (or unreadable, already reported): nothing to add
    if not isinstance(data, LineMapping):
        report.add(1, "a catalogue file must be a mapping of sections (e.g. 'signals:')")
        return
    for name, value in data.items():
        line = data.line_of(name)
        if name == "catalogue":
            # Kept even when invalid (the error is reported): it is there, not missing.
            header = check_fields(value, HEADER_SPEC, "catalogue", line, report)
            headers.append(_Item(header or {}, report, line, "catalogue"))
        elif name == "ruleset":
            report.add(line, f"the ruleset belongs in {RULESET_FILE}, not in a catalogue file")
        elif name not in SECTIONS:
            report.add(line, f"unknown section {name!r}{suggest(name, SECTIONS)}")
        elif not isinstance(value, LineSequence):
            report.add(line, f"section '{name}' must be a list of items")
        else:
            for index, (item, item_line) in enumerate(zip(value, value.item_lines, strict=True)):
                code = item.get("code") if isinstance(item, LineMapping) else None
                what = (
                    f"{name} {code!r}"
                    if isinstance(code, str) and code
                    else f"{name} item {index + 1}"
                )
                values = check_fields(item, SECTIONS[name][1], what, item_line, report)
                if values is None:
                    continue
                if name == "contacts" and not any(values.get(k) for k in ("phone", "url", "email")):
                    report.add(item_line, f"{what}: needs at least one of phone, url or email")
                sections[name].append(_Item(values, report, item_line, what))


def _check_unique(sections: dict[str, list[_Item]]) -> None:
    """Duplicate codes (naming both places) and duplicate places in ordered lists."""
    for name, items in sections.items():
        unique = UNIQUE_TOGETHER.get(name, ())
        first_code: dict[str, _Item] = {}
        first_place: dict[tuple[Any, ...], _Item] = {}
        for item in items:
            code = item.values.get("code")
            if code in first_code:
                where = first_code[code].where
                item.report.add(
                    item.line, f"duplicate code {code!r} in '{name}' (first at {where})"
                )
            elif code is not None:
                first_code[code] = item
            if unique and all(k in item.values for k in unique):
                key = tuple(item.values[k] for k in unique)
                if key in first_place:
                    place = ", ".join(f"{k} {item.values[k]}" for k in unique)
                    where = first_place[key].where
                    item.report.add(item.line, f"{item.what}: {place} is taken (first at {where})")
                else:
                    first_place[key] = item


def _check_retired(items: list[_Item], known: dict[str, set[str]]) -> None:
    """A retired signal names exactly one replacement; a signal replacement is a signal
    or another retired code (a chain that ends in a signal or risk factor, never a
    cycle); a retired code is never also a current signal."""
    # An item without a code is reported by the field checks already (a catalogue fuzz
    # found a KeyError here): it takes no part in the chains.
    items = [i for i in items if "code" in i.values]
    replaced = {i.values["code"]: i.values.get("replaced_by", "") for i in items}
    for item in items:
        code, target = item.values["code"], item.values.get("replaced_by", "")
        risk = item.values.get("replaced_by_risk_factor", "")
        if code in known["signals"]:
            item.report.add(item.line, f"{item.what}: {code!r} is also a current signal")
        if bool(target) == bool(risk):
            item.report.add(
                item.line,
                f"{item.what}: name exactly one of replaced_by (a signal) or "
                "replaced_by_risk_factor (a risk factor)",
            )
            continue
        if not target:
            continue
        if target not in known["signals"] and target not in replaced:
            item.report.add(
                item.line,
                f"{item.what}: replaced_by {target!r} is not a signal or a retired signal"
                + suggest(target, known["signals"]),
            )
            continue
        chain = [code]
        while target in replaced and target not in chain:
            chain.append(target)
            target = replaced[target]
        if target in chain:
            item.report.add(
                item.line,
                f"{item.what}: replaced_by goes round in a circle: "
                + " -> ".join([*chain, target]),
            )


def _check_check_only(signals: list[_Item], retired: list[_Item]) -> None:
    """A check-only signal (a question about now, never stored) is acute: it exists to
    send the asker to 112. No retired code may be replaced by it, or stored
    registrations would come to hold it."""
    check_only = {i.values["code"] for i in signals if i.values.get("check_only")}
    for item in signals:
        if item.values.get("check_only") and not item.values.get("acute"):
            item.report.add(item.line, f"{item.what}: check_only needs acute: true")
    for item in retired:
        if item.values.get("replaced_by") in check_only:
            item.report.add(
                item.line,
                f"{item.what}: replaced_by {item.values['replaced_by']!r} is check_only "
                "(never stored), so it cannot replace a stored code",
            )


def load_catalogue(directory: Path) -> Catalogue:
    """Read and validate every catalogue file in `directory`; raises CatalogueInvalid."""
    return load_catalogue_with_digest(directory)[0]


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
