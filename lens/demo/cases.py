"""The demo's meldcode cases (issue 13): at the first demo organisation, cases at every
stage of the meldcode, some with their next action overdue, written through
`lens.cases.actions` as its professional (each step logged like any other), and cases
that referred to the zorgcoördinator (`lens.cases.referrals`): one waiting for the
answer, one waiting past its due date, one answered into the case, and one answered
after the case was closed (a late answer), the answers given as the region's
zorgcoördinator. Persons whose own outcome reached level 2 are chosen first, persons
with an open case (a referral from the person's page, lens.demo.coordination) left out.
Runs once per database: when the organisation has a case opened by these plans (trigger
"proposed"), nothing is added. Dates count back from today; everything else is fixed.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import F
from django.utils import timezone

from lens.access.actor import Actor
from lens.cases import actions, referrals
from lens.casework.weighing import Answers
from lens.casework.workflow import Consultation, Conversation, StepData
from lens.data import queries
from lens.data.cases import CLOSED, Case, CaseReferral, Step
from lens.data.registry import Person, Role
from lens.demo.building import actor_of
from lens.demo.world import World

HELP = Answers(suspicion=True, unsafety=False, can_help=True, accepted=True, lasting=True)
UNSAFE = Answers(suspicion=True, unsafety=True, can_help=True, accepted=True, lasting=True)
NONE = Answers(suspicion=False, unsafety=False, can_help=True, accepted=True, lasting=True)

# Per transition: what the professional did (synthetic), and the transition's fields.
STEPS: dict[str, tuple[str, dict]] = {
    "open": ("Zorg besproken na de signalen van deze week.", {}),
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
    "refer": (
        "Doorverwezen naar de zorgcoördinator: signalen in twee leefgebieden, graag meekijken.",
        {"organisation": "Zorgcoördinator mensenhandel Midden-Brabant"},
    ),
}
# The zorgcoördinator's answers ("answer:<code>" in a plan), with the explanation sent.
ANSWERS = {
    "advice_given": "Advies: bespreek de signalen in het zorgoverleg en betrek de wijkagent.",
    "taken_up": "Opgepakt: wij nemen contact op met de jeugdhulp die al betrokken is.",
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
    (16, ("open", "map_signals", "consult", "converse"), None),  # weigh overdue
    (6, ("open", "map_signals", "refer"), None),  # waits for the zorgcoördinator
    (35, ("open", "map_signals", "refer"), None),  # ... past the due date
    (14, ("open", "map_signals", "consult", "refer", "answer:advice_given"), None),
    # Referred, then closed after the weighing; the answer comes after: a late answer.
    (
        40,
        (
            "open",
            "map_signals",
            "refer",
            "consult",
            "converse",
            "weigh",
            "close",
            "answer:taken_up",
        ),
        NONE,
    ),
)


def _data(name: str, on: date, answers: Answers | None) -> StepData:
    if name == "weigh":
        return StepData(on=on, by="-", done="Afwegingskader doorlopen.", answers=answers)
    done, fields = STEPS[name]
    return StepData(on=on, by="-", done=done, **fields)


def _coordinator(world: World, region: str) -> Actor | None:
    member = next(
        (
            m
            for m in world.memberships
            if m.role == Role.ZORGCOORDINATOR and m.region == region and m.is_active
        ),
        None,
    )
    return actor_of(member) if member is not None else None


def build_cases(world: World) -> int:
    """Open the demo's cases (once); how many were opened."""
    organisation = next(iter(world.organisations.values()))
    # Once: the demo's own opening text marks its cases (the trigger is the server's:
    # lens.cases.actions.open_case computes it from the stored outcome).
    planned = Step.objects.filter(
        case__organisation=organisation, transition="open", done=STEPS["open"][0]
    )
    if planned.exists():
        return 0
    member = next(
        (m for m in world.members_of(organisation) if m.role == Role.PROFESSIONAL and m.is_active),
        None,
    )
    if member is None:
        return 0
    actor = actor_of(member)
    coordinator = _coordinator(world, organisation.region)
    with_open_case = Case.objects.exclude(state=CLOSED).values("person_id")
    own = queries.with_overview(
        Person.objects.filter(organisation=organisation).exclude(pk__in=with_open_case)
    )
    highest_first = F("latest_level").desc(nulls_last=True)
    persons = list(own.order_by(highest_first, "pk")[: len(PLANS)])
    today = timezone.localdate()
    for person, (days_ago, names, answers) in zip(persons, PLANS, strict=False):
        start = today - timedelta(days=days_ago)
        case = actions.open_case(actor, person, _data("open", start, None))
        for offset, name in enumerate(names[1:], start=1):
            if name.startswith("answer:"):
                if coordinator is not None:
                    code = name.removeprefix("answer:")
                    link = CaseReferral.objects.filter(case=case).latest("pk")
                    referrals.answer(coordinator, link.pk, code, ANSWERS[code])
                continue
            on = min(start + timedelta(days=offset), today)
            referrals.take_step(actor, case, name, _data(name, on, answers))
    return min(len(persons), len(PLANS))
