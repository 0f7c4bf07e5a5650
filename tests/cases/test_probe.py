"""Defects an outside probe found in the casework, each through the real URLconf: the
page answers in Dutch with status 400 and writes nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lens.data.cases import CaseReferral, Step
from lens.data.registry import Role
from lens.web import submissions
from tests.registry.test_views import text, url

from .test_referral_answers import refer

pytestmark = pytest.mark.django_db

# Texts that show nothing: a Hangul filler, Braille blanks, combining marks alone,
# zero-width joiners, the object replacement character, private-use characters.
SHOWS_NOTHING = ("\u3164", "\u2800\u2800", "\u0301\u0308", "\u200d\u200c", "\ufffc", "\ue000")


def post(client, path, **fields):
    return client.post(path, {submissions.FORM_FIELD: submissions.new_key(), **fields})


def today() -> str:
    return timezone.localdate().isoformat()


@pytest.mark.parametrize("blank", SHOWS_NOTHING)
def test_a_step_whose_text_shows_nothing_is_refused(world, login, own_case, blank):
    professional = login(world.members[Role.PROFESSIONAL])
    steps = Step.objects.count()
    response = post(
        professional,
        url("cases:step", case_id=own_case.pk, transition="map_signals"),
        on=today(),
        done=blank,
    )
    assert response.status_code == 400
    assert "Deze tekst laat niets zien" in text(response)
    assert Step.objects.count() == steps


@pytest.mark.parametrize("blank", SHOWS_NOTHING)
def test_a_coordinators_note_that_shows_nothing_is_refused(world, login, own_case, blank):
    link = refer(world, own_case)
    coordinator = login(world.members[Role.ZORGCOORDINATOR])
    response = post(
        coordinator, url("cases:referral_answer", link_id=link.pk), answer="taken_up", note=blank
    )
    assert response.status_code == 400
    assert "Deze tekst laat niets zien" in text(response)
    link.refresh_from_db()
    assert link.answered_at is None
    assert not Step.objects.filter(case=own_case, transition="referral_answered").exists()
    assert CaseReferral.objects.get(pk=link.pk).answer == ""


def _shown(day) -> str:
    from django.utils.formats import date_format
    from django.utils.translation import override

    with override("nl"):
        return date_format(day, "j F Y")


def test_a_backdated_acute_step_tells_the_due_date_the_work_list_shows(world, login, own_case):
    """The probe: the acute form said "vandaag" while the work list then showed the
    report overdue since the day of the step. The message after the step and the work
    list show the one stored date, and a form sent again names it."""
    from datetime import timedelta

    from lens.casework.periods import add_working_days

    professional = login(world.members[Role.PROFESSIONAL])
    today_ = timezone.localdate()
    on = today_ - timedelta(days=3)
    due = add_working_days(on, 0)
    step_url = url("cases:step", case_id=own_case.pk, transition="acute")
    refused = post(professional, step_url, on=on.isoformat(), done="")  # what was done missing
    assert refused.status_code == 400
    if due < today_:
        assert f"{_shown(due)}, gerekend vanaf de datum van de stap" in text(refused)
    response = post(
        professional, step_url, on=on.isoformat(), done="112 gebeld", emergency="called_112"
    )
    assert response.status_code == 302
    own_case.refresh_from_db()
    assert own_case.next_due == due
    page = text(professional.get(response["Location"]))
    assert f"Volgende: Melden bij Veilig Thuis, uiterlijk {_shown(due)}" in page
    assert f"uiterlijk {_shown(due)}" in page
    work = text(professional.get(url("cases:work_list")))
    assert _shown(due) in work


def test_the_step_form_proposes_the_due_report_date_not_its_own_period(world, login, own_case):
    """A step taken while a report is due keeps the report's date (the workflow's rule):
    the form proposes that date, not the step's own period of 5 working days."""
    from lens.casework.periods import add_working_days

    from .conftest import walk

    actor = world.actor(Role.PROFESSIONAL)
    today_ = timezone.localdate()
    walk(actor, own_case, "acute", on=today_)
    own_case.refresh_from_db()
    professional = login(world.members[Role.PROFESSIONAL])
    page = text(professional.get(url("cases:step", case_id=own_case.pk, transition="refer")))
    assert _shown(own_case.next_due) in page
    assert _shown(add_working_days(today_, 10)) not in page


@pytest.mark.parametrize(
    ("on", "message"),
    [
        ("0001-01-01", "ligt vóór 1900"),
        ("1950-06-01", "ligt vóór het geboortejaar"),
    ],
)
def test_a_step_dated_before_the_case_could_exist_is_refused(world, login, own_case, on, message):
    professional = login(world.members[Role.PROFESSIONAL])
    steps = Step.objects.count()
    response = post(
        professional,
        url("cases:step", case_id=own_case.pk, transition="map_signals"),
        on=on,
        done="Signalen in kaart gebracht",
    )
    assert response.status_code == 400
    assert message in text(response)
    assert Step.objects.count() == steps


def test_a_case_cannot_be_opened_or_continued_long_before_it_was_opened(world, own_case):
    from datetime import timedelta

    from django.core.exceptions import ValidationError

    from lens.cases import actions

    from .conftest import data

    actor = world.actor(Role.PROFESSIONAL)
    long_ago = timezone.localdate() - timedelta(days=400)
    with pytest.raises(ValidationError) as refused:
        actions.take_step(actor, own_case, "map_signals", data("map_signals", on=long_ago))
    assert "meer dan een jaar voor de opening" in str(refused.value.message_dict["on"])
    own_case.steps.all()  # nothing written
    assert own_case.steps.count() == 1


def test_a_hand_over_without_the_handler_seen_is_refused_not_unchecked(world, login, own_case):
    """The probe: leaving out the form's handler field skipped the check that the case
    had not changed hands since the form was shown. Refused, nothing written."""
    from lens.data.cases import HandOver
    from tests.registry import factories

    colleague = factories.membership(Role.PROFESSIONAL, world.own)
    officer = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    hand_over_url = url("cases:hand_over", case_id=own_case.pk)
    assert (
        f'name="handler" value="{own_case.assigned_to_id}"'
        in officer.get(hand_over_url).content.decode()
    )
    response = post(officer, hand_over_url, to=colleague.user_id)
    assert response.status_code == 400
    assert "open het opnieuw" in text(response)
    own_case.refresh_from_db()
    assert own_case.assigned_to_id == world.members[Role.PROFESSIONAL].user_id
    assert not HandOver.objects.exists()


def test_a_hand_over_on_a_stale_form_says_who_has_the_case_now(world, login, own_case):
    from lens.cases import actions
    from lens.data.cases import HandOver
    from tests.registry import factories

    first = factories.membership(Role.PROFESSIONAL, world.own)
    second = factories.membership(Role.PROFESSIONAL, world.own)
    seen = own_case.assigned_to_id  # the officer's form was shown now
    actions.hand_over(
        world.actor(Role.PROFESSIONAL), own_case, first.user_id, seen_handler=seen
    )  # meanwhile the handler hands it to a colleague
    officer = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    response = post(
        officer, url("cases:hand_over", case_id=own_case.pk), to=second.user_id, handler=seen
    )
    assert response.status_code == 400
    page = text(response)
    assert first.user.get_username() in page and "na het openen van dit formulier" in page
    own_case.refresh_from_db()
    assert own_case.assigned_to_id == first.user_id
    assert HandOver.objects.count() == 1


def test_a_consultation_error_in_row_two_is_shown_at_row_two(world, login, own_case):
    """The probe: an anonymous consultation without organisation in the second row was
    reported at the first row's field."""
    from .conftest import walk

    walk(world.actor(Role.PROFESSIONAL), own_case, "map_signals", on=timezone.localdate())
    professional = login(world.members[Role.PROFESSIONAL])
    steps = Step.objects.count()
    response = post(
        professional,
        url("cases:step", case_id=own_case.pk, transition="consult"),
        on=today(),
        done="Overlegd met twee mensen",
        role_1="colleague",
        consultee_1="mentor",
        role_2="veilig_thuis",
        anonymous_2="on",
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors.get("organisation_2") and not form.errors.get("organisation_1")
    assert not form.errors.get("role_1")
    assert Step.objects.count() == steps


def test_a_consultation_row_without_whom_is_not_dropped_silently(world, login, own_case):
    from .conftest import walk

    walk(world.actor(Role.PROFESSIONAL), own_case, "map_signals", on=timezone.localdate())
    professional = login(world.members[Role.PROFESSIONAL])
    steps = Step.objects.count()
    response = post(
        professional,
        url("cases:step", case_id=own_case.pk, transition="consult"),
        on=today(),
        done="Overlegd",
        role_1="colleague",
        consultee_2="wijkagent",
    )
    assert response.status_code == 400
    assert response.context["form"].errors.get("role_2")
    assert Step.objects.count() == steps


def test_a_stale_step_form_says_what_changed_and_what_to_do(world, login, own_case):
    """The probe: a step form shown before a colleague closed the case answered only
    "not possible in the case's current state". It names the steps recorded since, the
    state now and what to do."""
    from .conftest import walk

    professional = login(world.members[Role.PROFESSIONAL])
    step_url = url("cases:step", case_id=own_case.pk, transition="map_signals")
    form_page = professional.get(step_url).content.decode()
    assert 'name="seen" value="1"' in form_page
    officer = world.actor(Role.AANDACHTSFUNCTIONARIS)
    walk(officer, own_case, "close", on=timezone.localdate())
    steps = Step.objects.count()
    response = post(professional, step_url, seen="1", on=today(), done="Signalen in kaart")
    assert response.status_code == 400
    page = text(response)
    assert "Deze casus is veranderd na het openen van dit formulier" in page
    assert "“Casus afsluiten”" in page or "“Afsluiten”" in page
    assert "Afgesloten" in page  # the state now
    assert "kies daar de volgende stap" in page
    assert Step.objects.count() == steps


def test_the_close_form_offers_the_reasons_that_fit_and_says_why_not_the_others(
    world, login, own_case
):
    professional = login(world.members[Role.PROFESSIONAL])
    response = professional.get(url("cases:step", case_id=own_case.pk, transition="close"))
    form = response.context["form"]
    offered = [code for code, _label in form.fields["reason"].choices if code]
    assert offered == ["concern_not_confirmed", "moved_away"]
    page = text(response)
    assert "Deze redenen passen nu niet bij deze casus" in page
    assert "In deze casus is geen hulp georganiseerd." in page
    refused = post(
        professional,
        url("cases:step", case_id=own_case.pk, transition="close"),
        on=today(),
        done="Afgesloten",
        reason="help_organised",
    )
    assert refused.status_code == 400
    assert Step.objects.filter(case=own_case, transition="close").count() == 0


def test_a_person_in_acute_danger_gets_a_case_that_starts_with_112(world, login):
    """Opened at level 4 (an acute signal): the next action is the 112 step, due today,
    on the case page and the work list, and the conversation sheet starts with 112."""
    from lens.catalogue import services
    from lens.data.cases import Case
    from tests.registry import factories

    catalogue, _ruleset = services.active()
    actor = world.actor(Role.PROFESSIONAL)
    person = factories.person(actor)
    acute_code = next(c for c, s in catalogue.signals.items() if s.acute and not s.check_only)
    factories.registration(actor, person, signals=[acute_code])
    professional = login(world.members[Role.PROFESSIONAL])
    response = post(
        professional, url("cases:open", pseudonym=person.pseudonym), on=today(), done="Geopend"
    )
    assert response.status_code == 302
    case = Case.objects.get(person=person)
    assert (case.next_action, case.next_due) == ("acute", timezone.localdate())
    assert case.steps.get().fields == {"trigger": "acute_danger"}
    page = professional.get(url("cases:case", case_id=case.pk))
    assert page.context["offered"][0].transition == "acute"
    assert "Geopend wegens acuut gevaar (niveau 4)" in text(page)
    sheet = text(professional.get(url("cases:conversation", case_id=case.pk)))
    assert sheet.index("Acuut gevaar: bel eerst 112") < sheet.index("Wat helpt en wat hindert")


def test_the_report_form_ticks_the_grounds_the_steps_give(world, login, own_case):
    from .conftest import walk

    walk(world.actor(Role.PROFESSIONAL), own_case, "acute", on=timezone.localdate())
    professional = login(world.members[Role.PROFESSIONAL])
    response = professional.get(url("cases:step", case_id=own_case.pk, transition="report"))
    assert response.context["form"]["report_grounds"].value() == ["acute_danger"]


def test_the_open_form_proposes_the_112_step_today_in_acute_danger(world, login):
    from lens.catalogue import services
    from tests.registry import factories

    catalogue, _ruleset = services.active()
    actor = world.actor(Role.PROFESSIONAL)
    person = factories.person(actor)
    acute_code = next(c for c, s in catalogue.signals.items() if s.acute and not s.check_only)
    factories.registration(actor, person, signals=[acute_code])
    professional = login(world.members[Role.PROFESSIONAL])
    page = text(professional.get(url("cases:open", pseudonym=person.pseudonym)))
    from lens.casework.periods import add_working_days

    due = add_working_days(timezone.localdate(), 0)  # the same working day
    if due == timezone.localdate():
        assert f"Laat leeg voor de standaardtermijn: vandaag, {_shown(due)}." in page
    else:  # a weekend: the next working day
        assert f"Laat leeg voor de standaardtermijn: {_shown(due)}" in page


def test_a_case_in_acute_danger_is_not_closed_as_not_confirmed_before_112(world, login):
    """The probe closed a level-4 case as "zorg niet bevestigd" straight from "Geopend",
    and it left the work list: refused (400, Dutch, nothing written) and not offered,
    with why; moving away still closes it (the 112 step or a weighing lifts the rule:
    tests/casework/test_closing.py)."""
    from lens.catalogue import services
    from lens.data.cases import Case
    from tests.registry import factories

    catalogue, _ruleset = services.active()
    actor = world.actor(Role.PROFESSIONAL)
    person = factories.person(actor)
    acute_code = next(c for c, s in catalogue.signals.items() if s.acute and not s.check_only)
    factories.registration(actor, person, signals=[acute_code])
    professional = login(world.members[Role.PROFESSIONAL])
    post(professional, url("cases:open", pseudonym=person.pseudonym), on=today(), done="Geopend")
    case = Case.objects.get(person=person)
    close = url("cases:step", case_id=case.pk, transition="close")
    form = professional.get(close)
    assert [c for c, _label in form.context["form"].fields["reason"].choices if c] == ["moved_away"]
    assert "geen 112-melding of inschakeling van de politie" in text(form)
    refused = post(
        professional, close, on=today(), done="Geen zorgen", reason="concern_not_confirmed"
    )
    assert refused.status_code == 400
    assert not Step.objects.filter(case=case, transition="close").exists()
    moved = post(professional, close, on=today(), done="Verhuisd", reason="moved_away")
    assert moved.status_code == 302
    assert Step.objects.filter(case=case, transition="close").exists()


@pytest.mark.parametrize("blank", SHOWS_NOTHING)
def test_optional_texts_that_show_nothing_are_kept_as_not_given(world, login, own_case, blank):
    """The probe: whom was consulted and the step's outcome, typed as a Hangul filler or a
    Braille blank, were stored and shown as if something was written. Optional texts may
    stay empty: such a text is kept empty (free_text.optional)."""
    from lens.data.cases import Consultation

    from .conftest import walk

    walk(world.actor(Role.PROFESSIONAL), own_case, "map_signals", on=timezone.localdate())
    professional = login(world.members[Role.PROFESSIONAL])
    response = post(
        professional,
        url("cases:step", case_id=own_case.pk, transition="consult"),
        on=today(),
        done="Overleg gehad",
        outcome=blank,
        role_1="colleague",
        consultee_1=blank,
    )
    assert response.status_code == 302
    step = Step.objects.get(case=own_case, transition="consult")
    assert step.outcome == ""
    assert Consultation.objects.get(step=step).consultee == ""


@pytest.mark.parametrize("seen", ["-1", "abc"])
def test_a_changed_hidden_field_is_refused_in_dutch_without_its_code_name(
    world, login, own_case, seen
):
    """The probe: a tampered `seen` was refused as "Seen: Voer een geheel getal in."."""
    professional = login(world.members[Role.PROFESSIONAL])
    response = post(
        professional,
        url("cases:step", case_id=own_case.pk, transition="map_signals"),
        on=today(),
        done="Signalen in kaart",
        seen=seen,
    )
    assert response.status_code == 400
    page = text(response)
    assert "Het formulier kwam gewijzigd terug" in page
    assert "Seen" not in page


def test_a_closed_case_does_not_offer_reopening_while_another_is_open(world, login):
    """The probe: "Casus heropenen" was offered and its form opened while the person had
    another open case, refused only after the form was filled in. Now not offered; the
    page links to the open case, and the form's address says so at once."""
    from .conftest import open_for, walk

    actor = world.actor(Role.PROFESSIONAL)
    first = walk(actor, open_for(actor, world.own_person), "close")
    professional = login(world.members[Role.PROFESSIONAL])
    page = professional.get(url("cases:case", case_id=first.pk))
    assert "reopen" in [o.transition for o in page.context["offered"]]  # while none is open
    second = open_for(actor, world.own_person)
    page = professional.get(url("cases:case", case_id=first.pk))
    assert "reopen" not in [o.transition for o in page.context["offered"]]
    assert page.context["other_open_case"].pk == second.pk
    assert url("cases:case", case_id=second.pk) in page.content.decode()
    assert "al een open casus" in text(page)
    form = professional.get(url("cases:step", case_id=first.pk, transition="reopen"))
    assert form.status_code == 302
    shown = text(professional.get(form["Location"]))
    assert f"al een open casus in uw organisatie: casus {second.pk}" in shown
