"""Field specifications of the catalogue's sections, and the checks of their values.

Internal to `lens.catalogue` (the loaders use it). A check reports every problem to a
`Report` and returns the valid value, or `INVALID` when the value failed.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from lens.catalogue.yamlio import LineMapping, LineSequence, Report
from lens.rules.model import (
    STRENGTHS,
    Contact,
    ConversationTip,
    Indicator,
    LifeDomain,
    OrganisationType,
    Phenomenon,
    Principle,
    Region,
    RetiredSignal,
    RiskFactor,
    Signal,
    Source,
    Step,
    Text,
    Threshold,
)

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class FieldSpec:
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
    "code": FieldSpec("code"),
    "label": FieldSpec("text"),
    "explanation": FieldSpec("text"),
    "sources": FieldSpec("codes", ref="sources", min_items=1),
}
_SEEN_BY = FieldSpec("codes", ref="organisation_types", min_items=1)
_OPTIONAL_STR = FieldSpec("str", required=False)
# Guidance written for professionals only: the check leaves it out for a parent or carer.
_FLAG = FieldSpec("bool", required=False)

SECTIONS: dict[str, tuple[type, dict[str, FieldSpec]]] = {
    "sources": (
        Source,
        {
            "code": FieldSpec("code"),
            "title": FieldSpec("str"),
            "url": _OPTIONAL_STR,
            "file": _OPTIONAL_STR,
            "verification": _OPTIONAL_STR,
            "note": _OPTIONAL_STR,
        },
    ),
    "organisation_types": (OrganisationType, _COMMON),
    "life_domains": (LifeDomain, _COMMON | {"seen_by": _SEEN_BY, "order": FieldSpec("int")}),
    "indicators": (Indicator, _COMMON | {"seen_by": _SEEN_BY}),
    "signals": (
        Signal,
        _COMMON
        | {
            "indicators": FieldSpec("codes", ref="indicators", min_items=1),
            "life_domains": FieldSpec("codes", ref="life_domains", min_items=1),
            "strength": FieldSpec("str", choices=STRENGTHS),
            "strength_basis": FieldSpec("str"),
            "acute": FieldSpec("bool", required=False),
            "check_only": FieldSpec("bool", required=False),
            "check_hint": FieldSpec("text", required=False),
        },
    ),
    "risk_factors": (RiskFactor, _COMMON),
    # Codes that are no longer asked, with what replaced them (checked in the loader:
    # exactly one of the two, no cycle, never also a current signal).
    "retired_signals": (
        RetiredSignal,
        _COMMON
        | {
            "replaced_by": FieldSpec("code", required=False),
            "replaced_by_risk_factor": FieldSpec("code", required=False, ref="risk_factors"),
        },
    ),
    "phenomena": (Phenomenon, _COMMON),
    "steps": (
        Step,
        _COMMON
        | {"route": FieldSpec("str", choices=("meldcode", "route")), "number": FieldSpec("int")},
    ),
    "conversation_tips": (
        ConversationTip,
        _COMMON
        | {"kind": FieldSpec("str", choices=("helps", "hinders")), "professional_only": _FLAG},
    ),
    "thresholds": (
        Threshold,
        _COMMON | {"number": FieldSpec("int", low=1, high=10), "professional_only": _FLAG},
    ),
    "principles": (Principle, _COMMON | {"professional_only": _FLAG}),
    "regions": (Region, _COMMON | {"municipalities": FieldSpec("strs", min_items=1)}),
    "contacts": (
        Contact,
        _COMMON
        | {
            "role": FieldSpec("code"),
            "region": FieldSpec("code", required=False, ref="regions"),
            "phone": _OPTIONAL_STR,
            "url": _OPTIONAL_STR,
            "email": _OPTIONAL_STR,
            "hours": FieldSpec("text", required=False),
            "always_available": FieldSpec("bool", required=False),
        },
    ),
}
HEADER_SPEC = {"version": FieldSpec("str"), "name": FieldSpec("str")}
# Fields whose combination must be unique within a section: two items that claim the
# same place in an ordered list make that order ambiguous.
UNIQUE_TOGETHER = {
    "steps": ("route", "number"),
    "thresholds": ("number",),
    "life_domains": ("order",),
}

INVALID = object()  # a value that failed its check (the error is already reported)


def suggest(name: object, known: Iterable[str]) -> str:
    """A hint for a misspelt name: " (did you mean 'x'?)", or "" when nothing is close."""
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


def check_fields(
    data: object, spec: Mapping[str, FieldSpec], what: str, line: int, report: Report
) -> dict[str, Any] | None:
    """The valid values of `data` by field name; None if `data` is not a mapping.

    Reports unknown fields (a typo must fail, not be ignored), missing required fields
    (an empty value counts as missing) and values of the wrong kind.
    """
    if not isinstance(data, LineMapping):
        report.add(line, f"{what}: expected a mapping (key: value), found {_type_name(data)}")
        return None
    for key in data:
        if key not in spec:
            report.add(data.line_of(key), f"{what}: unknown field {key!r}{suggest(key, spec)}")
    values: dict[str, Any] = {}
    missing = [name for name, f in spec.items() if f.required and data.get(name) is None]
    if missing:
        names = ", ".join(repr(name) for name in missing)
        report.add(data.line, f"{what}: missing field{'s' if len(missing) > 1 else ''} {names}")
    for name, spec_field in spec.items():
        value = data.get(name)
        if value is None:
            continue
        checked = check_value(value, spec_field, f"{what}: {name}", data.line_of(name), report)
        if checked is not INVALID:
            values[name] = checked
    return values


def check_value(value: Any, spec: FieldSpec, what: str, line: int, report: Report) -> Any:
    kind = spec.kind
    if kind in ("str", "code"):
        if not isinstance(value, str):
            hint = " (put it in quotes)" if isinstance(value, int | float | bool) else ""
            report.add(line, f"{what}: expected text, found {_type_name(value)}{hint}")
            return INVALID
        if spec.required and not value.strip():
            report.add(line, f"{what}: must not be empty")
            return INVALID
        if kind == "code" and value and not CODE_PATTERN.match(value):
            report.add(line, f"{what}: {value!r} is not a valid code (a-z, 0-9 and _)")
            return INVALID
        if spec.choices and value not in spec.choices:
            report.add(line, f"{what}: {value!r} is not one of {', '.join(spec.choices)}")
            return INVALID
        if kind == "code" and value and spec.ref:
            report.refer(line, spec.ref, value, what)
        return value
    if kind == "text":
        return _check_text(value, what, line, report)
    if kind == "bool":
        if not isinstance(value, bool):
            report.add(line, f"{what}: expected true or false, found {_type_name(value)}")
            return INVALID
        return value
    if kind in ("int", "number"):
        return _check_number(value, spec, what, line, report)
    if kind in ("codes", "strs"):
        return _check_list(value, spec, what, line, report)
    if kind == "map" and not isinstance(value, LineMapping):
        report.add(line, f"{what}: expected a mapping, found {_type_name(value)}")
        return INVALID
    if kind == "list" and not isinstance(value, LineSequence):
        report.add(line, f"{what}: expected a list, found {_type_name(value)}")
        return INVALID
    return value


def _check_text(value: Any, what: str, line: int, report: Report) -> Any:
    if not isinstance(value, LineMapping):
        report.add(line, f"{what}: expected a text in two languages {{nl: ..., en: ...}}")
        return INVALID
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
    return Text(nl=value["nl"], en=value["en"]) if ok else INVALID


def _check_number(value: Any, spec: FieldSpec, what: str, line: int, report: Report) -> Any:
    types_ok = (int,) if spec.kind == "int" else (int, float)
    if isinstance(value, bool) or not isinstance(value, types_ok) or not math.isfinite(value):
        expected = "a whole number" if spec.kind == "int" else "a number"
        report.add(line, f"{what}: expected {expected}, found {_type_name(value)}")
        return INVALID
    if spec.above is not None and not value > spec.above:
        report.add(line, f"{what}: must be greater than {spec.above:g}")
        return INVALID
    if (spec.low is not None and value < spec.low) or (spec.high is not None and value > spec.high):
        bounds = f"at least {spec.low:g}" if spec.high is None else f"at most {spec.high:g}"
        if spec.low is not None and spec.high is not None:
            bounds = f"between {spec.low:g} and {spec.high:g}"
        report.add(line, f"{what}: must be {bounds}")
        return INVALID
    return value


def _check_list(value: Any, spec: FieldSpec, what: str, line: int, report: Report) -> Any:
    if not isinstance(value, LineSequence):
        report.add(line, f"{what}: expected a list, found {_type_name(value)}")
        return INVALID
    if len(value) < spec.min_items:
        needed = f"code from section '{spec.ref}'" if spec.ref else "entry"
        report.add(line, f"{what}: needs at least one {needed}")
        return INVALID
    item_spec = FieldSpec("code" if spec.kind == "codes" else "str")
    seen: set[str] = set()
    ok = True
    for item, item_line in zip(value, value.item_lines, strict=True):
        if check_value(item, item_spec, what, item_line, report) is INVALID:
            ok = False
        elif item in seen:
            report.add(item_line, f"{what}: {item!r} is listed twice")
            ok = False
        else:
            seen.add(item)
            if spec.ref:
                report.refer(item_line, spec.ref, item, what)
    return tuple(value) if ok else INVALID
