"""Reading assessment input from plain data (the `lens assess --json` format).

    {"signals": [{"code": "truancy", "organisation_type": "school",
                  "observed_on": "2026-10-01"}],
     "unknown": ["two_phones"], "absent": ["injuries"],
     "risk_factors": ["mild_intellectual_disability"], "region": "amsterdam", "as_of": "2026-11-23"}

Only `signals` is required. A signal may also be given as a bare code string. Dates are
written YYYY-MM-DD (zero-padded) or left out (null); each list holds at most MAX_CODES
codes (lens.rules.limits), each code at most MAX_CODE_LENGTH characters.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from .engine import InputError, InputProblem, problem
from .limits import MAX_CODE_LENGTH, MAX_CODES
from .model import AssessmentInput, Catalogue, Observation
from .texts import gettext_noop
from .validation import check_consistent

KEYS = {"signals", "unknown", "absent", "risk_factors", "region", "as_of"}
SIGNAL_KEYS = {"code", "organisation_type", "observed_on"}
LISTS = ("signals", "unknown", "absent", "risk_factors")
# Only the extended form with zero-padded parts: Python's fromisoformat also takes
# "20260101", Django's parser "2026-1-1"; neither is the format the schema names.
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(value: str) -> date | None:
    """A YYYY-MM-DD date, or None for any other text (also for 2026-02-30)."""
    if not ISO_DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _date(value: Any, where: str, problems: list[InputProblem]) -> date | None:
    if value is None:
        return None
    if isinstance(value, str) and (parsed := parse_date(value)) is not None:
        return parsed
    # The value once as sent (the problem's `value`), quoted only in the sentence.
    sent = str(value) if isinstance(value, str | int | float) else type(value).__name__
    sent = sent if len(sent) <= MAX_CODE_LENGTH else sent[:MAX_CODE_LENGTH] + "..."
    shown = repr(sent) if isinstance(value, str) else sent
    problems.append(
        problem(
            where,
            sent,
            gettext_noop("%(where)s: %(value)s is not a date (YYYY-MM-DD)"),
            where=where,
            value=shown,
        )
    )
    return None


def _codes(data: dict, key: str, problems: list[InputProblem]) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(
            problem(key, "", gettext_noop("%(where)s: expected a list of codes"), where=key)
        )
        return ()
    for index, code in enumerate(value):
        _check_code(code, f"{key}[{index}]", problems)
    return tuple(value)


def _check_code(code: str, where: str, problems: list[InputProblem]) -> None:
    if len(code) > MAX_CODE_LENGTH:
        problems.append(
            problem(
                where,
                code[:MAX_CODE_LENGTH] + "...",
                gettext_noop("%(where)s: a code has at most %(most)s characters"),
                where=where,
                most=str(MAX_CODE_LENGTH),
            )
        )


def _too_many(data: dict) -> list[InputProblem]:
    """A problem for each list longer than MAX_CODES: checked before anything else, so
    that a request of a million codes costs no more than one of MAX_CODES + 1."""
    return [
        problem(
            key,
            str(len(data[key])),
            gettext_noop("%(where)s: at most %(most)s codes in one request (got %(got)s)"),
            kind="too_many",
            where=key,
            most=str(MAX_CODES),
            got=str(len(data[key])),
        )
        for key in LISTS
        if isinstance(data.get(key), list) and len(data[key]) > MAX_CODES
    ]


def _observation(item: Any, index: int, problems: list[InputProblem]) -> Observation | None:
    where = f"signals[{index}]"
    if isinstance(item, str):
        _check_code(item, where, problems)
        return Observation(code=item)
    if not isinstance(item, dict):
        problems.append(
            problem(where, "", gettext_noop("%(where)s: expected an object or a code"), where=where)
        )
        return None
    extra = sorted(set(item) - SIGNAL_KEYS)
    if extra:
        problems.append(
            problem(
                where,
                ", ".join(extra),
                gettext_noop("%(where)s: unknown keys %(keys)s"),
                where=where,
                keys=str(extra),
            )
        )
    code, org = item.get("code"), item.get("organisation_type") or ""
    if not isinstance(code, str) or not code:
        problems.append(
            problem(
                where, "", gettext_noop("%(where)s.code: a signal code is required"), where=where
            )
        )
        return None
    _check_code(code, where, problems)
    if not isinstance(org, str):
        problems.append(
            problem(
                where, "", gettext_noop("%(where)s.organisation_type: expected a code"), where=where
            )
        )
        org = ""
    else:
        _check_code(org, f"{where}.organisation_type", problems)
    observed_on = _date(item.get("observed_on"), f"{where}.observed_on", problems)
    return Observation(code=code, organisation_type=org, observed_on=observed_on)


def parse_input(data: Any, catalogue: Catalogue | None = None) -> AssessmentInput:
    """Turn decoded JSON into an AssessmentInput, or raise InputError naming every problem.
    With the `catalogue`, contradictions are found after retired codes are mapped."""
    problems: list[InputProblem] = []
    if not isinstance(data, dict):
        raise InputError([problem("", "", gettext_noop("expected a JSON object"))])
    if too_many := _too_many(data):
        raise InputError(too_many)
    extra = sorted(set(data) - KEYS)
    if extra:
        problems.append(
            problem("", ", ".join(extra), gettext_noop("unknown keys %(keys)s"), keys=str(extra))
        )
    if "signals" not in data:
        problems.append(
            problem("signals", "", gettext_noop("signals: required (may be an empty list)"))
        )
    raw = data.get("signals", [])
    if not isinstance(raw, list):
        problems.append(problem("signals", str(raw), gettext_noop("signals: expected a list")))
        raw = []
    observations = [_observation(item, i, problems) for i, item in enumerate(raw)]
    region = data.get("region") or ""
    if not isinstance(region, str):
        problems.append(problem("region", "", gettext_noop("region: expected a region code")))
        region = ""
    _check_code(region, "region", problems)
    result = AssessmentInput(
        signals=tuple(o for o in observations if o is not None),
        unknown=_codes(data, "unknown", problems),
        absent=_codes(data, "absent", problems),
        risk_factors=_codes(data, "risk_factors", problems),
        region=region,
        as_of=_date(data.get("as_of"), "as_of", problems),
    )
    problems.extend(check_consistent(result, catalogue))
    if problems:
        raise InputError(problems)
    return result
