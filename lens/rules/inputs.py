"""Reading assessment input from plain data (the `lens assess --json` format).

    {"signals": [{"code": "truancy", "organisation_type": "school",
                  "observed_on": "2026-10-01"}],
     "unknown": ["two_phones"], "absent": ["injuries"],
     "risk_factors": ["mild_intellectual_disability"], "region": "amsterdam", "as_of": "2026-11-23"}

Only `signals` is required. A signal may also be given as a bare code string.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .engine import InputError, InputProblem
from .model import AssessmentInput, Observation

KEYS = {"signals", "unknown", "absent", "risk_factors", "region", "as_of"}
SIGNAL_KEYS = {"code", "organisation_type", "observed_on"}


def _date(value: Any, where: str, problems: list[InputProblem]) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    problems.append(
        InputProblem(where, str(value), f"{where}: {value!r} is not a date (YYYY-MM-DD)")
    )
    return None


def _codes(data: dict, key: str, problems: list[InputProblem]) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(InputProblem(key, str(value), f"{key}: expected a list of codes"))
        return ()
    return tuple(value)


def _observation(item: Any, index: int, problems: list[InputProblem]) -> Observation | None:
    where = f"signals[{index}]"
    if isinstance(item, str):
        return Observation(code=item)
    if not isinstance(item, dict):
        problems.append(InputProblem(where, str(item), f"{where}: expected an object or a code"))
        return None
    extra = sorted(set(item) - SIGNAL_KEYS)
    if extra:
        problems.append(InputProblem(where, ", ".join(extra), f"{where}: unknown keys {extra}"))
    code, org = item.get("code"), item.get("organisation_type") or ""
    if not isinstance(code, str) or not code:
        problems.append(InputProblem(where, str(code), f"{where}.code: a signal code is required"))
        return None
    if not isinstance(org, str):
        problems.append(
            InputProblem(where, str(org), f"{where}.organisation_type: expected a code")
        )
        org = ""
    observed_on = _date(item.get("observed_on"), f"{where}.observed_on", problems)
    return Observation(code=code, organisation_type=org, observed_on=observed_on)


def parse_input(data: Any) -> AssessmentInput:
    """Turn decoded JSON into an AssessmentInput, or raise InputError naming every problem."""
    problems: list[InputProblem] = []
    if not isinstance(data, dict):
        raise InputError([InputProblem("", "", "expected a JSON object")])
    extra = sorted(set(data) - KEYS)
    if extra:
        problems.append(InputProblem("", ", ".join(extra), f"unknown keys {extra}"))
    if "signals" not in data:
        problems.append(InputProblem("signals", "", "signals: required (may be an empty list)"))
    raw = data.get("signals", [])
    if not isinstance(raw, list):
        problems.append(InputProblem("signals", str(raw), "signals: expected a list"))
        raw = []
    observations = [_observation(item, i, problems) for i, item in enumerate(raw)]
    region = data.get("region") or ""
    if not isinstance(region, str):
        problems.append(InputProblem("region", str(region), "region: expected a region code"))
        region = ""
    result = AssessmentInput(
        signals=tuple(o for o in observations if o is not None),
        unknown=_codes(data, "unknown", problems),
        absent=_codes(data, "absent", problems),
        risk_factors=_codes(data, "risk_factors", problems),
        region=region,
        as_of=_date(data.get("as_of"), "as_of", problems),
    )
    if problems:
        raise InputError(problems)
    return result
