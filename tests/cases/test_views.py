"""The case pages: opening from the person's page (by hand, or the proposal at the own
level 2), walking steps through the forms, refusals as Dutch messages with status 400
and nothing written, acute danger offered first, the work list's order and its cost."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import timezone

from lens.access.models import AccessLogEntry
from lens.cases import selectors
from lens.casework.workflow import Case as Flow
from lens.casework.workflow import State
from lens.data.cases import Case, Step
from lens.data.registry import Role
from lens.web import submissions
from tests.registry import factories
from tests.registry.test_views import text, url

from .conftest import open_for, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def professional(world, login):
    return login(world.members[Role.PROFESSIONAL])


def post(client, path, **fields):
    return client.post(path, {submissions.FORM_FIELD: submissions.new_key(), **fields})


def today() -> str:
    return timezone.localdate().isoformat()


def test_open_a_case_from_the_person_page_and_walk_two_steps(professional, world):
    person_page = text(
        professional.get(url("registry:person", pseudonym=world.own_person.pseudonym))
    )
    assert "Er is geen open casus voor deze persoon in uw organisatie." in person_page
    response = post(
        professional,
        url("cases:open", pseudonym=world.own_person.pseudonym),
        trigger="by_hand",
        on=today(),
        done="Zorg besproken in het team",
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == url(
        "cases:case", case_id=case.pk
    )
    response = post(
        professional,
        url("cases:step", case_id=case.pk, transition="map_signals"),
        on=today(),
        done="Signalen op een rij gezet",
    )
    assert response.status_code == 302
    response = post(
        professional,
        url("cases:step", case_id=case.pk, transition="consult"),
        on=today(),
        done="Anoniem overlegd",
        role_1="veilig_thuis",
        organisation_1="Veilig Thuis Synthetisch",
        anonymous_1="on",
    )
    assert response.status_code == 302
    page = text(professional.get(url("cases:case", case_id=case.pk)))
    for expected in (
        "Signalen op een rij gezet",
        "Veilig Thuis Synthetisch",
        "anoniem",
        "Overlegd",
    ):
        assert expected in page
    case.refresh_from_db()
    assert (case.state, case.next_action) == ("consulted", "converse")
    person_page = text(
        professional.get(url("registry:person", pseudonym=world.own_person.pseudonym))
    )
    assert f"Casus {case.pk}" in person_page


def test_a_refused_step_is_a_400_in_dutch_and_writes_nothing(professional, own_case):
    steps = Step.objects.count()
    response = post(
        professional,
        url("cases:step", case_id=own_case.pk, transition="close"),
        on=today(),
        done="Afsluiten zonder reden",
    )
    assert response.status_code == 400
    assert "Dit veld is verplicht." in text(response)
    response = post(
        professional,
        url("cases:step", case_id=own_case.pk, transition="consult"),
        on=today(),
        done="Overleg zonder dat de signalen in kaart zijn",
        role_1="colleague",
    )
    # Not offered: back to the case with why, as the GET of the form answers.
    assert response.status_code == 302
    assert response["Location"] == url("cases:case", case_id=own_case.pk)
    shown = text(professional.get(response["Location"]))
    assert "Deze stap is niet mogelijk in de huidige stand van de casus." in shown
    assert Step.objects.count() == steps


def test_an_anonymous_consultation_with_a_name_is_refused_at_the_field(professional, world):
    case = walk(
        world.actor(Role.PROFESSIONAL),
        open_for(world.actor(Role.PROFESSIONAL), world.own_person),
        "map_signals",
    )
    response = post(
        professional,
        url("cases:step", case_id=case.pk, transition="consult"),
        on=today(),
        done="Overlegd",
        role_1="police_avim",
        organisation_1="Politie",
        consultee_1="Agent Synthetisch",
        anonymous_1="on",
    )
    assert response.status_code == 400
    assert "alleen de organisatie vastgelegd" in text(response)


def test_a_second_open_case_is_not_opened(professional, world, own_case):
    response = professional.get(url("cases:open", pseudonym=world.own_person.pseudonym))
    assert response.status_code == 302
    assert response["Location"] == url("cases:case", case_id=own_case.pk)
    response = post(
        professional,
        url("cases:open", pseudonym=world.own_person.pseudonym),
        trigger="by_hand",
        on=today(),
        done="Nog een keer",
    )
    # The losing tab of two (or a colleague was first): to the open case, with a message.
    assert response.status_code == 302
    assert response["Location"] == url("cases:case", case_id=own_case.pk)
    followed = text(professional.get(response["Location"]))
    assert "Er is al een casus open voor deze persoon; u ziet die nu." in followed
    assert Case.objects.count() == 1


def box(person, level: int, acute: bool = False) -> str:
    stored = SimpleNamespace(level=level, acute_signal=acute)
    template = Template('{% include "cases/includes/person_case.html" %}')
    return template.render(Context({"person": person, "stored": stored}))


@pytest.mark.parametrize(
    ("level", "acute", "proposed", "acute_shown"),
    [
        (1, False, False, False),
        (2, False, True, False),
        (3, True, True, True),
        (4, False, True, True),
    ],
)
def test_the_person_page_proposes_a_case_at_the_own_level_2(
    world, level, acute, proposed, acute_shown
):
    from django.utils import translation

    with translation.override("nl"):
        html = box(world.own_person, level, acute)
    assert ("voorstel=1" in html) is proposed
    assert ("bel eerst 112" in html) is acute_shown


def test_no_proposal_when_a_case_is_open(world, own_case):
    html = box(world.own_person, 3)
    assert "voorstel=1" not in html
    assert (
        url("cases:case", case_id=own_case.pk).removeprefix("/nl") in html
        or str(own_case.pk) in html
    )


def test_acute_danger_is_offered_first_and_a_due_report_next():
    opened = Flow(state=State.OPENED)
    calm = selectors.offered(opened, SimpleNamespace(level=2, acute_signal=False))
    assert calm[0].transition == "map_signals" and not calm[0].first
    danger = selectors.offered(opened, SimpleNamespace(level=4, acute_signal=False))
    assert danger[0].transition == "acute" and danger[0].first
    signal = SimpleNamespace(level=1, acute_signal=True)
    assert selectors.offered(opened, signal)[0].transition == "acute"
    after = selectors.offered(Flow(state=State.ACUTE, report_required=True), None)
    assert after[0].transition == "report" and after[0].first
    assert "open" not in [o.transition for o in calm]


def test_the_work_list_puts_acute_and_overdue_first(world, login):
    actor = world.actor(Role.PROFESSIONAL)
    today_ = timezone.localdate()
    persons = [factories.person(actor) for _ in range(3)]
    late = open_for(actor, persons[0], on=today_ - timedelta(days=30))  # due long ago
    later = open_for(actor, persons[1], on=today_)
    acute = walk(actor, open_for(actor, persons[2], on=today_), "acute", on=today_)
    aandacht_case = open_for(world.actor(Role.AANDACHTSFUNCTIONARIS), world.own_person, on=today_)
    professional = login(world.members[Role.PROFESSIONAL])
    body = text(professional.get(url("cases:work_list")))
    order = [body.index(f"Casus {c.pk} ") for c in (acute, late, later)]
    assert order == sorted(order)
    assert "verlopen" in body
    assert f"Casus {aandacht_case.pk} " not in body  # the professional's own cases
    aandacht = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    assert f"Casus {aandacht_case.pk} " in text(aandacht.get(url("cases:work_list")))


def test_the_work_list_puts_a_person_with_an_acute_outcome_first(world, login):
    """The outside probe: a case whose person's own outcome was level 4 (acute danger)
    stood mid-list under "acute danger first", without any mark."""
    from lens.catalogue import services
    from lens.data.registry import PersonOutcome

    catalogue, _ruleset = services.active()
    actor = world.actor(Role.PROFESSIONAL)
    today_ = timezone.localdate()
    persons = [factories.person(actor) for _ in range(2)]
    late = open_for(actor, persons[0], on=today_ - timedelta(days=30))  # due long ago
    acute_code = next(c for c, s in catalogue.signals.items() if s.acute and not s.check_only)
    factories.registration(actor, persons[1], signals=[acute_code])
    assert PersonOutcome.objects.latest_for(persons[1]).level == 4
    quiet = open_for(actor, persons[1], on=today_)
    body = text(login(world.members[Role.PROFESSIONAL]).get(url("cases:work_list")))
    assert body.index(f"Casus {quiet.pk} ") < body.index(f"Casus {late.pk} ")
    row = body[body.index(f"Casus {quiet.pk} ") :].split("Casus ")[1]
    assert "uitkomst: acuut gevaar, bel 112" in row
    row = body[body.index(f"Casus {late.pk} ") :].split("Casus ")[1]
    assert "acuut gevaar, bel 112" not in row


def test_the_work_list_offers_112_first_for_a_case_that_became_acute_after_it_was_opened(
    world, login
):
    """Issue 13: the badge and the order saw the acute outcome, the action column still
    offered the ordinary next step. It offers the 112 step first, as the case page does,
    until the 112 call or police is recorded."""
    from lens.catalogue import services
    from lens.data.registry import PersonOutcome

    catalogue, _ruleset = services.active()
    actor = world.actor(Role.PROFESSIONAL)
    today_ = timezone.localdate()
    person = factories.person(actor)
    case = walk(actor, open_for(actor, person, on=today_), "map_signals", on=today_)
    assert case.next_action == "consult"
    acute_code = next(c for c, s in catalogue.signals.items() if s.acute and not s.check_only)
    factories.registration(actor, person, signals=[acute_code])
    assert PersonOutcome.objects.latest_for(person).level == 4
    client = login(world.members[Role.PROFESSIONAL])

    def action_column() -> str:
        body = text(client.get(url("cases:work_list")))
        return body[body.index(f"Casus {case.pk} ") :].split("Casus ")[1]

    row = action_column()
    assert "uitkomst: acuut gevaar, bel 112" in row  # the badge, as before
    assert "112 gebeld / politie ingeschakeld" in row
    assert row.index("112 gebeld / politie ingeschakeld") < row.index("Overleggen")
    assert "112 gebeld / politie ingeschakeld" in text(
        client.get(url("cases:case", case_id=case.pk))
    )
    walk(actor, case, "acute", on=today_)
    assert "112 gebeld / politie ingeschakeld" not in action_column()


def test_the_work_list_offers_112_first_for_an_acute_signal_below_level_4(world, login):
    """Issue 13: an outcome calls for 112 first at level 4 or with a current signal marked
    acute (workflow.acute_advised). With a ruleset whose level 4 asks for more than the
    acute signal, the case page offered 112 first at level 2 while the work list, which
    read the level only, offered the ordinary next step, without badge, mid-list."""
    import dataclasses

    from lens.catalogue import loader, services
    from lens.data.registry import PersonOutcome

    catalogue, ruleset = services.active()
    levels = tuple(
        dataclasses.replace(
            level,
            rules=tuple(
                dataclasses.replace(rule, minimum={**rule.minimum, "signals": 2})
                for rule in level.rules
            ),
        )
        if level.number == 4
        else level
        for level in ruleset.levels
    )
    stricter = dataclasses.replace(ruleset, version="9999.4-tests", levels=levels)
    services.store(loader.Loaded(catalogue, stricter, "c" * 64, "e" * 64))
    actor = world.actor(Role.PROFESSIONAL)
    today_ = timezone.localdate()
    calm = open_for(actor, factories.person(actor), on=today_ - timedelta(days=1))
    person = factories.person(actor)
    case = walk(actor, open_for(actor, person, on=today_), "map_signals", on=today_)
    acute_code = next(
        c
        for c, s in catalogue.signals.items()
        if s.acute and not s.check_only and s.strength == "sterk"
    )
    factories.registration(actor, person, signals=[acute_code])
    stored = PersonOutcome.objects.latest_for(person)
    assert (stored.level, stored.ruleset_version) == (2, "9999.4-tests")
    client = login(world.members[Role.PROFESSIONAL])
    assert "112 gebeld / politie ingeschakeld" in text(
        client.get(url("cases:case", case_id=case.pk))
    )
    body = text(client.get(url("cases:work_list")))
    assert body.index(f"Casus {case.pk} ") < body.index(f"Casus {calm.pk} ")  # acute first
    row = body[body.index(f"Casus {case.pk} ") :].split("Casus ")[1]
    assert "uitkomst: acuut gevaar, bel 112" in row
    assert row.index("112 gebeld / politie ingeschakeld") < row.index("Overleggen")


def test_the_next_action_is_the_primary_step():
    consulted = Flow(state=State.CONSULTED, next_action="converse")
    shown = selectors.offered(consulted, None)
    assert shown[0].transition == "converse" and shown[0].first
    assert [o.first for o in shown[1:]] == [False] * (len(shown) - 1)


def test_a_handed_over_case_moves_to_the_colleagues_work_list(world, login, own_case):
    colleague = factories.membership(Role.PROFESSIONAL, world.own)
    client = login(world.members[Role.PROFESSIONAL])
    assert f"Casus {own_case.pk} " in text(client.get(url("cases:work_list")))
    page = text(client.get(url("cases:hand_over", case_id=own_case.pk)))
    assert colleague.user.get_username() in page
    response = post(
        client,
        url("cases:hand_over", case_id=own_case.pk),
        to=colleague.user_id,
        handler=own_case.assigned_to_id,
    )
    assert response.status_code == 302
    assert f"Casus {own_case.pk} " not in text(client.get(url("cases:work_list")))
    colleague_client = login(colleague)
    assert f"Casus {own_case.pk} " in text(colleague_client.get(url("cases:work_list")))
    response = post(
        client, url("cases:hand_over", case_id=own_case.pk), to="999999", handler=colleague.user_id
    )
    assert response.status_code == 400


def test_a_due_date_far_ahead_is_a_400_in_dutch_and_writes_nothing(professional, own_case):
    """The bound is the workflow's (lens.casework.steps.MAX_DUE_AHEAD_DAYS); the form
    only shows its message."""
    steps = Step.objects.count()
    response = post(
        professional,
        url("cases:step", case_id=own_case.pk, transition="map_signals"),
        on=today(),
        done="Signalen op een rij gezet",
        next_due="9999-12-31",
    )
    assert response.status_code == 400
    assert "De termijn kan hoogstens twee jaar na de datum van de stap liggen." in text(response)
    assert Step.objects.count() == steps
    own_case.refresh_from_db()
    assert own_case.state == "opened"


def test_the_step_form_proposes_the_default_due_date(professional, own_case):
    from lens.casework.periods import add_working_days

    page = text(professional.get(url("cases:step", case_id=own_case.pk, transition="map_signals")))
    proposed = add_working_days(timezone.localdate(), 5)
    from django.utils.formats import date_format
    from django.utils.translation import override

    with override("nl"):
        shown = date_format(proposed, "j F Y")
    assert f"Laat leeg voor de standaardtermijn: {shown} (5 werkdagen)." in page


def test_the_acute_step_proposes_today_in_words(professional, own_case):
    """A period of no working days (acute: report the same day) is "vandaag", not
    "(0 werkdagen)" (an outside probe read that)."""
    from django.utils.formats import date_format
    from django.utils.translation import override

    page = text(professional.get(url("cases:step", case_id=own_case.pk, transition="acute")))
    with override("nl"):
        shown = date_format(timezone.localdate(), "j F Y")
    assert f"Laat leeg voor de standaardtermijn: vandaag, {shown}." in page
    assert "0 werkdagen" not in page


def test_a_redirect_instead_of_a_form_logs_nothing(professional, world, own_case):
    """A step form the case does not offer (closing a closed case) and the form to open
    a case for a person who has one: back to the case, and no access-log entry, since
    the redirect shows nothing (issue 10, M3). The form that is shown is logged."""
    actor = world.actor(Role.PROFESSIONAL)
    before = AccessLogEntry.objects.count()
    response = professional.get(url("cases:open", pseudonym=world.own_person.pseudonym))
    assert response.status_code == 302
    assert AccessLogEntry.objects.count() == before
    close = url("cases:step", case_id=own_case.pk, transition="close")
    assert professional.get(close).status_code == 200  # offered: shown and logged
    assert AccessLogEntry.objects.count() == before + 1
    walk(actor, own_case, "close")
    before = AccessLogEntry.objects.count()
    response = professional.get(close)
    assert response.status_code == 302
    assert response["Location"] == url("cases:case", case_id=own_case.pk)
    assert AccessLogEntry.objects.count() == before
