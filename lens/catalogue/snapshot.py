"""JSON snapshots of the catalogue and the ruleset, as the database stores them.

Sections are stored as lists, not objects keyed by code: PostgreSQL's jsonb does not keep
the order of object keys, and the order of the items is part of the catalogue.
Public through `lens.catalogue.loader`; pure Python, no Django.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from typing import Any, Union, get_args, get_origin, get_type_hints

from lens.catalogue.fields import SECTIONS
from lens.rules.model import Catalogue, Ruleset

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
        # .get: a snapshot stored before a section existed (retired_signals) lacks it
        name: {item["code"]: _build(SECTIONS[name][0], item) for item in data.get(name, [])}
        for name in CATALOGUE_SECTIONS
    }
    return Catalogue(version=data["version"], **sections)


def ruleset_to_dict(ruleset: Ruleset) -> dict[str, Any]:
    return _plain(ruleset)


def ruleset_from_dict(data: Mapping[str, Any]) -> Ruleset:
    return _build(Ruleset, data)
