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


def check_consistent(
    data: AssessmentInput, catalogue: Catalogue | None = None
) -> list[InputProblem]:
    """What plain input (the API, `lens assess`) may not say, whatever the catalogue: a
    signal code in more than one of signals / unknown / absent (seen, not known and not
    seen at once), and a date before EARLIEST_DATE. With a `catalogue`, retired codes are
    read as what replaced them first (as the engine reads them), then compared: a retired
    code and its replacement in two lists contradict each other; a retired code that is
    now a risk factor is no longer an answer about a signal."""
    problems: list[InputProblem] = []
    lists = {
        "signals": _current([obs.code for obs in data.signals], catalogue),
        "unknown": _current(data.unknown, catalogue),
        "absent": _current(data.absent, catalogue),
    }
    for code in sorted(set().union(*lists.values())):
        where = [name for name in ANSWER_LISTS if code in lists[name]]
        if len(where) > 1:
            given = sorted({g for name in where for g in lists[name][code]} - {code})
            problems.append(
                problem(
                    "",
                    code,
                    gettext_noop("code %(code)s is given in more than one of %(lists)s"),
                    kind="contradictory",
                    code=repr(code) + (f" ({', '.join(given)})" if given else ""),
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


def _current(codes, catalogue: Catalogue | None) -> dict[str, set[str]]:
    """Each answered signal code as the catalogue reads it now, with the codes given for
    it: a retired code under its replacement; one replaced by a risk factor left out; an
    unknown code as given (check_input names it)."""
    found: dict[str, set[str]] = {}
    for code in codes:
        now = code
        if catalogue is not None and code in catalogue.retired_signals:
            resolved = catalogue.resolve_signal(code)
            if resolved is not None and resolved[0] != "signal":
                continue
            now = resolved[1] if resolved else code
        found.setdefault(now, set()).add(code)
    return found
