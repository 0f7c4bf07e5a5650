"""One action for a person with a first observation (actions.register_new), used by the web
form and the API: a refusal of either part, before or after the person was written,
leaves no person, no identity, no link, no outcome and no log entry behind."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from lens.data.coordination import PersonLink, WorkItem
from lens.data.registry import HowLearned, Person, Role
from lens.registry import actions
from lens.web import submissions

from . import factories
from .factories import counts
from .test_views import new_person_data, url

pytestmark = pytest.mark.django_db


def everything() -> tuple[int, ...]:
    return (*counts(), PersonLink.objects.count(), WorkItem.objects.count())


def observation(catalogue, **overrides):
    return {
        "signals": [next(iter(catalogue.signals))],
        "observed_on": timezone.localdate() - timedelta(days=1),
        "how_learned": HowLearned.SEEN,
        "context_note": "",
        "risk_factors": [],
        **overrides,
    }


@pytest.fixture
def professional(world, login):
    return login(world.members[Role.PROFESSIONAL])


@pytest.fixture
def fails_after_the_person(monkeypatch):
    """register_signals refuses after register_person wrote the person: what a rule only
    the write can see (a known person born later, a catalogue changed meanwhile) does."""

    def refuse(*args, **kwargs):
        assert Person.objects.count() > 0
        raise ValidationError({"observed_on": ["refused after the person was written"]})

    monkeypatch.setattr(actions.registrations, "register_signals", refuse)


def error_at(html: str, field: str) -> str:
    found = re.search(rf'id="id_{field}_error">(.*?)</p>', html, re.S)
    assert found, f"no error at {field}"
    return found.group(1)


# --- the action ----------------------------------------------------------------------------


def test_register_new_writes_person_and_registration(world, catalogue):
    actor = factories.actor(world.members[Role.PROFESSIONAL])
    done = actions.register_new(actor, factories.identity(), observation(catalogue), purpose="test")
    assert done.created and done.registration.person == done.person
    assert done.person.outcomes.count() == 1


def test_both_parts_are_checked_before_anything_is_written(world, catalogue):
    actor = factories.actor(world.members[Role.PROFESSIONAL])
    before = everything()
    with pytest.raises(ValidationError) as refused:
        actions.register_new(
            actor,
            factories.identity(birth_date=date(1899, 12, 31)),
            observation(catalogue, signals=["made_up"], observed_on=None),
            purpose="test",
        )
    fields = refused.value.message_dict
    assert set(fields) == {
        "identity.birth_date",
        "registration.signals",
        "registration.observed_on",
    }
    assert refused.value.error_dict["identity.birth_date"][0].code == "too_old"
    assert everything() == before


def test_the_birth_year_rule_is_the_actions_own(world):
    """Not only the form and the serializer: the action refuses a birth date before 1900."""
    actor = factories.actor(world.members[Role.PROFESSIONAL])
    with pytest.raises(ValidationError) as refused:
        actions.register_person(actor, factories.identity(birth_date=date(1899, 1, 1)), purpose="t")
    assert refused.value.error_dict["birth_date"][0].code == "too_old"


def test_the_bsn_is_normalised_by_the_action(world):
    actor = factories.actor(world.members[Role.PROFESSIONAL])
    bsn = factories.valid_bsn(31)
    typed = f"{bsn[:4]}.{bsn[4:6]} {bsn[6:]}"
    first, created = actions.register_person(actor, factories.identity(bsn=typed), purpose="t")
    again, created_again = actions.register_person(actor, factories.identity(bsn=bsn), purpose="t")
    assert created and not created_again and again == first


def test_a_refusal_after_the_person_was_written_leaves_nothing(
    world, catalogue, fails_after_the_person
):
    actor = factories.actor(world.members[Role.PROFESSIONAL])
    before = everything()
    with pytest.raises(ValidationError) as refused:
        actions.register_new(actor, factories.identity(), observation(catalogue), purpose="t")
    assert set(refused.value.message_dict) == {"registration.observed_on"}
    assert everything() == before


def test_no_link_is_left_when_a_matched_person_is_refused(world, catalogue, fails_after_the_person):
    """The other organisation knows the same BSN: registering makes an exact link, which
    goes with the refused person."""
    other_actor = factories.actor(world.other_professional)
    bsn = factories.valid_bsn(32)
    shared = factories.identity(bsn=bsn)
    actions.register_person(other_actor, shared, purpose="t")
    actor = factories.actor(world.members[Role.PROFESSIONAL])
    before = everything()
    with pytest.raises(ValidationError):
        actions.register_new(actor, shared, observation(catalogue), purpose="t")
    assert everything() == before


# --- the web form --------------------------------------------------------------------------


@pytest.mark.parametrize("with_key", [False, True])
def test_web_observation_before_birth_leaves_no_person(professional, catalogue, with_key):
    """Found by an outside probe: the form took the observation, the action refused it
    after the person was registered, and the person stayed (a ghost record)."""
    data = new_person_data(catalogue, birth_date="2011-04-05", observed_on="2005-01-01")
    if with_key:
        data[submissions.FORM_FIELD] = submissions.new_key()
    before = everything()
    response = professional.post(url("registry:register"), data)
    assert response.status_code == 400
    assert "vóór de geboorte" in error_at(response.content.decode(), "observed_on")
    assert everything() == before


def test_web_refusal_after_the_person_leaves_nothing(
    professional, catalogue, fails_after_the_person
):
    before = everything()
    response = professional.post(url("registry:register"), new_person_data(catalogue))
    assert response.status_code == 400
    assert "refused after the person" in error_at(response.content.decode(), "observed_on")
    assert everything() == before


def test_web_birth_date_before_1900_in_dutch(professional, catalogue):
    before = everything()
    response = professional.post(
        url("registry:register"), new_person_data(catalogue, birth_date="1899-12-31")
    )
    assert response.status_code == 400
    assert "na 1900" in error_at(response.content.decode(), "birth_date")
    assert everything() == before


def test_web_undecodable_name_is_refused_not_stored_as_replacement_characters(
    professional, catalogue
):
    """Invalid UTF-8 in the form body (a lone surrogate, percent-encoded) arrives as
    U+FFFD: refused with the control characters' Dutch message, nothing written; a
    U+FFFD typed as such is refused the same way (what was meant cannot be known)."""
    with translation.override("nl"):
        message = escape(
            gettext(
                "Remove the control characters and invisible formatting characters from the name."
            )
        )
    data = new_person_data(catalogue, given_names="PLACEHOLDER")
    raw = urlencode(data, doseq=True).replace("PLACEHOLDER", "A%ED%A0%80")
    for body in (raw, urlencode({**data, "given_names": "A\ufffd"}, doseq=True)):
        before = everything()
        response = professional.post(
            url("registry:register"), body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 400
        assert message in error_at(response.content.decode(), "given_names")
        assert everything() == before


def test_web_a_field_sent_twice_is_refused_at_the_field(professional, catalogue):
    """The probe: `birth_date=2009-03-04&birth_date=2010-01-01&sex=male&sex=female` was
    stored with the last values. Every page form (lens.web.forms.PageForm) refuses a
    single-valued field sent more than once, at the field, in Dutch; the signals (several
    checkboxes) still take every value."""
    data = new_person_data(
        catalogue, birth_date=["2009-03-04", "2010-01-01"], sex=["male", "female"]
    )
    assert len(data["signals"]) == 2
    before = everything()
    response = professional.post(url("registry:register"), data)
    assert response.status_code == 400
    page = response.content.decode()
    for field in ("birth_date", "sex"):
        assert "meer dan één keer" in error_at(page, field)
    assert "signals" not in re.findall(r'id="id_(\w+)_error"', page)
    assert everything() == before
    registered = professional.post(url("registry:register"), new_person_data(catalogue))
    assert registered.status_code == 302  # once each, with two signals: stored
