"""What is wrong with an assessment's input: unknown codes (with the closest known ones),
dates after the assessment date. Pure Python, as the engine (lens.rules.engine), which
refuses input with problems (InputError)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date

from .limits import EARLIEST_DATE, SUGGESTED_CODES
from .model import AssessmentInput, Catalogue
from .texts import gettext_noop


class InputError(ValueError):
    """The input names codes the catalogue does not know, or is otherwise unusable."""

    def __init__(self, problems: list[InputProblem]):
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


@dataclass(frozen=True)
class InputProblem:
    field: str  # "signals", "unknown", "absent", "risk_factors", "organisation_type", ...
    value: str
    message: str
    suggestions: tuple[str, ...] = ()
    code: str = ""  # machine-readable, where the message alone does not tell (too_many)
    # The message as a text marked for translation (lens.rules.texts) and its values: the
    # layer that shows it translates `text` and fills in `args` (`message` is the English).
    text: str = ""
    args: tuple[tuple[str, str], ...] = ()


def problem(
    field: str,
    value: str,
    text: str,
    /,
    *,
    suggestions: tuple[str, ...] = (),
    kind: str = "",
    **args: str,
) -> InputProblem:
    """An InputProblem whose message is `text` (marked with texts.gettext_noop) with
    `args`; `kind`: its machine-readable code, where the message alone does not tell."""
    return InputProblem(
        field, value, text % args, suggestions, kind, text, tuple(sorted(args.items()))
    )


def closest_codes(code: str, known: list[str], labels: dict[str, str]) -> tuple[str, ...]:
    """Known codes that look like `code`, by code and by (Dutch) label."""
    by_code = difflib.get_close_matches(code, known, n=3, cutoff=0.5)
    by_label = [
        c
        for c, label in labels.items()
        if code.replace("_", " ").lower() in label.lower()
        or difflib.SequenceMatcher(None, code.lower(), label.lower()).ratio() > 0.6
    ]
    return tuple(dict.fromkeys([*by_code, *by_label]))[:3]


def check_input(catalogue: Catalogue, data: AssessmentInput, as_of: date) -> list[InputProblem]:
    """Every problem with the input, each naming the value; the first SUGGESTED_CODES
    unknown codes also with the closest known codes."""
    problems: list[InputProblem] = []
    signal_labels = {c: s.label.nl for c, s in catalogue.signals.items()}
    suggested = 0

    def unknown(field: str, code: str, known: dict, labels: dict[str, str]) -> None:
        nonlocal suggested
        suggestions: tuple[str, ...] = ()
        if suggested < SUGGESTED_CODES:
            suggested += 1
            suggestions = closest_codes(code, list(known), labels)
            if not suggestions and len(known) <= SUGGESTED_CODES:
                # A short list (the regions): nothing looks like the code, so every known
                # one is the closest there is, and naming them all tells what to type.
                suggestions = tuple(sorted(known))
        problems.append(
            problem(
                field,
                code,
                gettext_noop("unknown %(field)s code %(code)s"),
                suggestions=suggestions,
                field=field,
                code=repr(code),
            )
        )

    for obs in data.signals:
        if obs.code not in catalogue.signals:
            unknown("signals", obs.code, catalogue.signals, signal_labels)
        if obs.organisation_type and obs.organisation_type not in catalogue.organisation_types:
            labels = {c: o.label.nl for c, o in catalogue.organisation_types.items()}
            unknown(
                "organisation_type", obs.organisation_type, catalogue.organisation_types, labels
            )
        if obs.observed_on and obs.observed_on > as_of:
            problems.append(
                problem(
                    "observed_on",
                    obs.observed_on.isoformat(),
                    gettext_noop(
                        "observed_on %(date)s of %(code)s lies after the assessment date %(as_of)s"
                    ),
                    date=obs.observed_on.isoformat(),
                    code=repr(obs.code),
                    as_of=as_of.isoformat(),
                )
            )
    for field in ("unknown", "absent"):
        for code in getattr(data, field):
            if code not in catalogue.signals:
                unknown(field, code, catalogue.signals, signal_labels)
    for code in data.risk_factors:
        if code not in catalogue.risk_factors:
            labels = {c: r.label.nl for c, r in catalogue.risk_factors.items()}
            unknown("risk_factors", code, catalogue.risk_factors, labels)
    if data.region and data.region not in catalogue.regions:
        labels = {c: r.label.nl for c, r in catalogue.regions.items()}
        unknown("region", data.region, catalogue.regions, labels)
    return problems


ANSWER_LISTS = ("signals", "unknown", "absent")


def check_consistent(data: AssessmentInput) -> list[InputProblem]:
    """What plain input (the API, `lens assess`) may not say, whatever the catalogue: a
    signal code in more than one of signals / unknown / absent (seen, not known and not
    seen at once), and a date before EARLIEST_DATE."""
    problems: list[InputProblem] = []
    lists = {
        "signals": {obs.code for obs in data.signals},
        "unknown": set(data.unknown),
        "absent": set(data.absent),
    }
    for code in sorted(set().union(*lists.values())):
        where = [name for name in ANSWER_LISTS if code in lists[name]]
        if len(where) > 1:
            problems.append(
                problem(
                    "",
                    code,
                    gettext_noop("code %(code)s is given in more than one of %(lists)s"),
                    kind="contradictory",
                    code=repr(code),
                    lists=", ".join(where),
                )
            )
    dates = [("observed_on", obs.observed_on) for obs in data.signals]
    for where, day in [*dates, ("as_of", data.as_of)]:
        if day is not None and day < EARLIEST_DATE:
            problems.append(
                problem(
                    where,
                    day.isoformat(),
                    gettext_noop("%(where)s: %(date)s lies before %(earliest)s"),
                    kind="too_old",
                    where=where,
                    date=day.isoformat(),
                    earliest=EARLIEST_DATE.isoformat(),
                )
            )
    return problems
