"""The demo's meldcode cases (issue 13): at the first demo organisation, cases at every
stage of the meldcode, some with their next action overdue, written through
`lens.cases.actions` as its professional (each step logged like any other). Persons
whose own outcome reached level 2 are chosen first. Runs once per database: when the
organisation has cases, nothing is added.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import F
from django.utils import timezone

from lens.cases import actions
from lens.casework.weighing import Answers
from lens.casework.workflow import Consultation, Conversation, StepData
from lens.data import queries
from lens.data.cases import Case
from lens.data.registry import Person, Role
from lens.demo.building import actor_of
from lens.demo.world import World

HELP = Answers(suspicion=True, unsafety=False, can_help=True, accepted=True, lasting=True)
UNSAFE = Answers(suspicion=True, unsafety=True, can_help=True, accepted=True, lasting=True)
NONE = Answers(suspicion=False, unsafety=False, can_help=True, accepted=True, lasting=True)

# Per transition: what the professional did (synthetic), and the transition's fields.
STEPS: dict[str, tuple[str, dict]] = {
    "open": ("Zorg besproken na de signalen van deze week.", {"trigger": "proposed"}),
    "map_signals": ("Signalen en risicofactoren op een rij gezet met de mentor.", {}),
    "consult": (
        "Anoniem overlegd met Veilig Thuis en met de aandachtsfunctionaris.",
        {
            "consultations": (
                Consultation("aandachtsfunctionaris", consultee="Aandachtsfunctionaris"),
                Consultation("veilig_thuis", organisation="Veilig Thuis (demo)", anonymous=True),
            )
        },
    ),
    "converse": (
        "Gesprek gevoerd op school, in een rustige ruimte.",
        {"conversation": Conversation(held_with="person")},
    ),
    "report": (
        "Melding gedaan bij Veilig Thuis.",
        {
            "organisation": "Veilig Thuis (demo)",
            "report_grounds": ("acute_or_structural_unsafety",),
        },
    ),
    "organise_help": ("Hulp georganiseerd via het wijkteam.", {}),
    "acute": (
        "Politie ingeschakeld na een melding van acuut gevaar.",
        {"emergency": ("police_engaged",)},
    ),
    "close": ("Zorg niet bevestigd na de weging.", {"reason": "concern_not_confirmed"}),
}

# (days ago the case was opened, its steps, the weighing's answers where it weighs).
PLANS: tuple[tuple[int, tuple[str, ...], Answers | None], ...] = (
    (2, ("open",), None),
    (25, ("open", "map_signals"), None),  # consult overdue
    (9, ("open", "map_signals", "consult"), None),
    (30, ("open", "map_signals", "consult", "converse", "weigh"), HELP),  # decide overdue
    (12, ("open", "map_signals", "consult", "converse", "weigh", "report"), UNSAFE),
    (45, ("open", "map_signals", "consult", "converse", "weigh", "organise_help"), HELP),
    (0, ("open", "acute"), None),  # report due today
    (20, ("open", "map_signals", "consult", "converse", "weigh", "close"), NONE),
)


def _data(name: str, on: date, answers: Answers | None) -> StepData:
    if name == "weigh":
        return StepData(on=on, by="-", done="Afwegingskader doorlopen.", answers=answers)
    done, fields = STEPS[name]
    return StepData(on=on, by="-", done=done, **fields)


def build_cases(world: World) -> int:
    """Open the demo's cases (once); how many were opened."""
    organisation = next(iter(world.organisations.values()))
    if Case.objects.filter(organisation=organisation).exists():
        return 0
    member = next(
        (m for m in world.members_of(organisation) if m.role == Role.PROFESSIONAL and m.is_active),
        None,
    )
    if member is None:
        return 0
    actor = actor_of(member)
    own = queries.with_overview(Person.objects.filter(organisation=organisation))
    highest_first = F("latest_level").desc(nulls_last=True)
    persons = list(own.order_by(highest_first, "pk")[: len(PLANS)])
    today = timezone.localdate()
    for person, (days_ago, names, answers) in zip(persons, PLANS, strict=False):
        start = today - timedelta(days=days_ago)
        case = actions.open_case(actor, person, _data("open", start, None))
        for offset, name in enumerate(names[1:], start=1):
            on = min(start + timedelta(days=offset), today)
            actions.take_step(actor, case, name, _data(name, on, answers))
    return min(len(persons), len(PLANS))
