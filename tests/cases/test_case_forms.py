"""The case forms through the real URLconf: the refer step goes to the region's
zorgcoördinator (no free text), the "proposed at level 2" marker comes from the stored
outcome (never from the query string), and one CSRF token per form."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from lens.data.cases import Case, CaseReferral
from lens.data.registry import PersonOutcome, Role
from lens.web import submissions
from tests.registry.test_views import text, url

from .conftest import walk

pytestmark = pytest.mark.django_db

COORDINATOR = "Zorgcoördinator mensenhandel Midden-Brabant"  # the catalogue's contact for
# the factories' region (catalogue/contacts), as referrals.coordinator_of names it


def post(client, path, **fields):
    return client.post(path, {submissions.FORM_FIELD: submissions.new_key(), **fields})


def test_the_refer_step_names_the_regions_coordinator_and_takes_no_free_text(
    world, own_case, login
):
    walk(world.actor(Role.PROFESSIONAL), own_case, "map_signals", on=timezone.localdate())
    client = login(world.members[Role.PROFESSIONAL])
    step_url = url("cases:step", case_id=own_case.pk, transition="refer")
    form = client.get(step_url)
    assert 'name="organisation"' not in form.content.decode()
    assert COORDINATOR in text(form)
    response = post(
        client,
        step_url,
        on=timezone.localdate().isoformat(),
        done="Zorgen over uitbuiting",
        organisation="Zorgcoördinator Verzonnen",  # not a field: ignored
    )
    assert response.status_code == 302
    step = CaseReferral.objects.get(case=own_case).step
    assert step.fields["organisation"] == COORDINATOR
    page = text(client.get(url("cases:case", case_id=own_case.pk)))
    assert COORDINATOR in page and "Verzonnen" not in page


def set_level(person, level: int) -> None:
    latest = PersonOutcome.objects.latest_for(person)
    PersonOutcome.objects.filter(pk=latest.pk).update(level=level)


@pytest.mark.parametrize(
    ("level", "trigger"), [(1, "by_hand"), (2, "proposed"), (3, "proposed"), (4, "acute_danger")]
)
def test_the_proposed_marker_comes_from_the_stored_outcome(world, login, level, trigger):
    set_level(world.own_person, level)
    client = login(world.members[Role.PROFESSIONAL])
    response = post(
        client,
        url("cases:open", pseudonym=world.own_person.pseudonym) + "?voorstel=1",
        trigger="proposed",  # forged: neither the query string nor the field counts
        on=timezone.localdate().isoformat(),
        done="Geopend",
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.steps.get().fields == {"trigger": trigger}
    page = text(client.get(url("cases:case", case_id=case.pk)))
    # At the level it had when proposed (the probe saw "niveau 2" for a level-4 case).
    assert (f"Voorgesteld bij niveau {level}" in page) is (trigger == "proposed")
    assert "Voorgesteld bij niveau" not in page.replace(f"niveau {level}", "")
    assert (f"Geopend wegens acuut gevaar (niveau {level})" in page) is (level == 4)


def test_every_case_form_has_one_csrf_token(world, own_case, login):
    client = login(world.members[Role.PROFESSIONAL])
    pages = [
        url("cases:step", case_id=own_case.pk, transition="map_signals"),
        url("cases:hand_over", case_id=own_case.pk),
    ]
    for path in pages:
        body = client.get(path).content.decode()
        forms = re.findall(r"<form\b.*?</form>", body, re.S)
        assert len(forms) >= 2, path  # the case's form and the logout form
        assert [f.count('name="csrfmiddlewaretoken"') for f in forms] == [1] * len(forms)
        assert body.count('name="csrfmiddlewaretoken"') == len(forms)


TAMPERED = "Het formulier kwam gewijzigd terug: open het opnieuw vanaf de casuspagina."


@pytest.mark.parametrize("key", [None, "", "met spatie"])
def test_a_step_sent_without_its_submission_key_is_refused_and_writes_nothing(
    world, own_case, login, key
):
    """The double-submit guard's hidden field is part of the form: without it (or with
    something that is no key) the step is refused as a changed form, nothing written."""
    client = login(world.members[Role.PROFESSIONAL])
    fields = {"on": timezone.localdate().isoformat(), "done": "Signalen in kaart gebracht"}
    sent = fields if key is None else {**fields, submissions.FORM_FIELD: key}
    step_url = url("cases:step", case_id=own_case.pk, transition="map_signals")
    steps = own_case.steps.count()
    response = client.post(step_url, sent)
    assert response.status_code == 400
    assert TAMPERED in text(response)
    assert own_case.steps.count() == steps
    # The same form with its key is taken.
    assert post(client, step_url, **fields).status_code == 302


def test_opening_a_case_without_the_submission_key_is_refused(world, login):
    client = login(world.members[Role.PROFESSIONAL])
    path = url("cases:open", pseudonym=world.own_person.pseudonym)
    response = client.post(path, {"on": timezone.localdate().isoformat(), "done": "Gesprek"})
    assert response.status_code == 400
    assert TAMPERED in text(response)
    assert not Case.objects.filter(person=world.own_person).exists()
