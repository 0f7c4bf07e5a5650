"""Finding an own person again (lens.registry.search and the page /registratie/zoeken/):
by own reference or by exact name and birth date, only in the own organisation, every
person found in the access log, bad input answered at the field, and a cost that does
not grow with the persons found. Names and references are synthetic."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from lens.access.models import AccessLogEntry, Action
from lens.access.verify import verify as verify_log
from lens.data.registry import Role
from lens.registry import actions, references, search

from . import factories
from .conftest import OTHER_NOTE, OTHER_ORG_NAME, ROLES
from .test_views import url

GIVEN, FAMILY, BORN = "Jorinde Maaike", "van der Zwaluwstaart", date(2009, 6, 14)
HANDLING = (Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS)


def same_name(actor, **fields):
    """Another record with the synthetic name and birth date (a different person)."""
    identity = factories.identity(given_names=GIVEN, family_name=FAMILY, birth_date=BORN, **fields)
    person, _created = actions.register_person(
        actor, identity, purpose="test", name_match=actions.DIFFERENT
    )
    return person


def dutch(message: str, **values) -> str:
    with translation.override("nl"):
        text = gettext(message)
    return text % values if values else text


@pytest.fixture
def named(world):
    """A person of each organisation with the same name, birth date and reference."""
    own_actor = world.actor(Role.PROFESSIONAL)
    other_actor = factories.actor(world.other_professional)
    own, other = same_name(own_actor), same_name(other_actor)
    references.set_reference(own_actor, own, "CL-00917")
    references.set_reference(other_actor, other, "CL-00917")
    return own, other


# --- the read model --------------------------------------------------------------------------


@pytest.mark.parametrize("role", HANDLING)
@pytest.mark.parametrize("written", ["CL-00917", " cl-00917 ", "Cl - 00917"])
def test_a_reference_finds_only_the_own_organisations_person(world, named, role, written):
    found = search.find(world.actor(role), reference=written)
    assert [p.pk for p in found.persons] == [named[0].pk] and not found.more
    other = factories.actor(world.other_professional)
    assert [p.pk for p in search.find(other, reference=written).persons] == [named[1].pk]


@pytest.mark.parametrize(
    ("given", "family"),
    [
        (GIVEN, FAMILY),
        ("jorinde  maaike", "Van der Zwaluwstaart"),
        (GIVEN, "Zwaluwstaart, van der"),
    ],
)
def test_exact_name_and_birth_date_find_only_the_own_organisations_person(
    world, named, given, family
):
    actor = world.actor(Role.PROFESSIONAL)
    found = search.find(actor, given_names=given, family_name=family, birth_date=BORN)
    assert [p.pk for p in found.persons] == [named[0].pk]


def test_nothing_but_the_exact_name_and_birth_date_is_found(world, named):
    actor = world.actor(Role.PROFESSIONAL)
    for given, family, born in [
        ("Jorinde", FAMILY, BORN),  # a given name missing
        (GIVEN, "Zwaluwstaart", BORN),  # the tussenvoegsel missing
        (GIVEN, FAMILY, BORN + timedelta(days=1)),
    ]:
        assert (
            search.find(actor, given_names=given, family_name=family, birth_date=born).persons == []
        )
    assert search.find(actor, reference="CL-0091").persons == []


def test_a_name_finds_every_own_person_with_it(world, named):
    actor = world.actor(Role.PROFESSIONAL)
    second = same_name(actor, bsn=factories.valid_bsn(41))  # with a BSN: found too
    found = search.find(actor, given_names=GIVEN, family_name=FAMILY, birth_date=BORN)
    assert {p.pk for p in found.persons} == {named[0].pk, second.pk}


@pytest.mark.parametrize("role", [r for r in ROLES if r not in HANDLING])
def test_roles_without_person_data_search_nothing(world, named, role):
    before = AccessLogEntry.objects.count()
    with pytest.raises(PermissionDenied):
        search.find(world.actor(role), reference="CL-00917")
    with pytest.raises(PermissionDenied):
        search.find(world.actor(role), given_names=GIVEN, family_name=FAMILY, birth_date=BORN)
    assert AccessLogEntry.objects.count() == before


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({}, "__all__"),
        ({"reference": "   "}, "__all__"),
        ({"reference": "CL-00917", "given_names": GIVEN}, "__all__"),
        ({"reference": "x" * 65}, "reference"),
        ({"given_names": GIVEN, "family_name": FAMILY}, "birth_date"),
        ({"given_names": GIVEN, "birth_date": BORN}, "family_name"),
        ({"family_name": "-", "given_names": GIVEN, "birth_date": BORN}, "family_name"),
        (
            {
                "given_names": GIVEN,
                "family_name": FAMILY,
                "birth_date": date.today() + timedelta(2),
            },
            "birth_date",
        ),
    ],
)
def test_input_that_cannot_be_searched_is_refused_per_field(world, terms, field):
    before = AccessLogEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        search.find(world.actor(Role.PROFESSIONAL), **terms)
    assert field in caught.value.update_error_dict({})
    assert AccessLogEntry.objects.count() == before


def test_every_person_found_is_in_the_access_log_with_the_search_as_purpose(world, named):
    actor = world.actor(Role.AANDACHTSFUNCTIONARIS)
    second = same_name(world.actor(Role.PROFESSIONAL))
    before = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first()
    search.find(actor, given_names=GIVEN, family_name=FAMILY, birth_date=BORN)
    search.find(actor, reference="cl-00917")
    search.find(actor, reference="NOT-KNOWN")  # nothing found: nothing logged
    logged = list(AccessLogEntry.objects.filter(id__gt=before).order_by("id"))
    rows = [(e.person_id, e.action, e.purpose, e.user_id) for e in logged]
    by_name = {(p.pk, Action.LIST, search.PURPOSE_NAME, actor.user.pk) for p in (named[0], second)}
    assert len(rows) == 3 and set(rows[:2]) == by_name
    assert rows[2] == (named[0].pk, Action.LIST, search.PURPOSE_REFERENCE, actor.user.pk)
    assert "CL-00917" not in "".join(e.purpose for e in logged)
    assert verify_log() == []


# --- the page ----------------------------------------------------------------------------------


def test_the_persons_list_links_to_the_search(world, login):
    page = login(world.members[Role.PROFESSIONAL]).get(url("registry:persons")).content.decode()
    assert f'href="{url("registry:search")}"' in page


@pytest.mark.parametrize("role", ROLES)
def test_the_search_page_per_role(world, named, login, role):
    client = login(world.members[role])
    shown = client.get(url("registry:search"))
    response = client.post(url("registry:search"), {"reference": "CL-00917"})
    if role not in HANDLING:
        assert (shown.status_code, response.status_code) == (403, 403)
        assert named[0].pseudonym not in response.content.decode()
        return
    assert shown.status_code == 200 and 'name="given_names"' in shown.content.decode()
    body = response.content.decode()
    assert response.status_code == 200
    assert url("registry:person", pseudonym=named[0].pseudonym) in body
    for secret in (named[1].pseudonym, world.other_person.pseudonym, OTHER_NOTE, OTHER_ORG_NAME):
        assert secret not in body
    by_name = client.post(
        url("registry:search"),
        {"given_names": GIVEN, "family_name": FAMILY, "birth_date": BORN.isoformat()},
    )
    assert by_name.status_code == 200 and named[0].pseudonym in by_name.content.decode()
    assert named[1].pseudonym not in by_name.content.decode()


def test_the_search_is_never_in_the_url(world, login):
    page = login(world.members[Role.PROFESSIONAL]).get(url("registry:search")).content.decode()
    assert 'method="post"' in page and 'method="get"' not in page.split("<main", 1)[-1]


def test_no_result_says_so_in_plain_words(world, named, login):
    client = login(world.members[Role.PROFESSIONAL])
    response = client.post(url("registry:search"), {"reference": "UNKNOWN-1"})
    assert response.status_code == 200
    assert dutch("No person of your organisation matches this search.") in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, None, "Fill in an own reference, or the given names, family name and birth date."),
        (
            {"given_names": GIVEN, "family_name": FAMILY, "birth_date": "2999-01-01"},
            "birth_date",
            "The birth date lies in the future.",
        ),
        (
            {"given_names": GIVEN, "family_name": FAMILY, "birth_date": "31-02-2010"},
            "birth_date",
            "Fill in a valid date, for example 2026-03-31.",
        ),
        (
            {"given_names": GIVEN, "birth_date": "2010-01-01"},
            "family_name",
            "Fill in the family name.",
        ),
        ({"reference": "y" * 65}, "reference", "Keep the own reference to %(max)s characters."),
        (
            {"reference": "A", "family_name": FAMILY},
            None,
            "Search by own reference or by name and birth date, not by both at once.",
        ),
    ],
)
def test_bad_input_gets_a_dutch_message_never_a_500(world, login, data, field, message):
    client = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    before = AccessLogEntry.objects.count()
    response = client.post(url("registry:search"), data)
    assert response.status_code == 400
    body = response.content.decode()
    expected = dutch(message, **({"max": 64} if "%(max)s" in message else {}))
    assert expected.replace("'", "&#x27;") in body or expected in body
    if field:
        assert f'id="id_{field}_error"' in body
    assert AccessLogEntry.objects.count() == before


def test_the_english_page_asks_the_same(world, login):
    client = login(world.members[Role.PROFESSIONAL])
    with translation.override("en"):
        english = reverse("registry:search")
    assert english.startswith("/en/")
    assert client.post(english, {"reference": "CL-1"}).status_code == 200
    translation.activate("nl")


# --- cost -------------------------------------------------------------------------------------

MAX_SEARCH = 20  # a little room above today's count; far below one per person found


@pytest.mark.parametrize("by", ["reference", "name"])
def test_a_search_costs_the_same_for_10_and_50_persons_found(
    active, login, client, django_assert_max_num_queries, by, monkeypatch
):
    monkeypatch.setattr("lens.registry.search.LIMIT", 60)
    school = factories.organisation()
    member = factories.membership(Role.PROFESSIONAL, school)
    actor = factories.actor(member)
    login(member)
    if by == "reference":
        data = {"reference": "HUIS77"}
    else:
        data = {"given_names": GIVEN, "family_name": FAMILY, "birth_date": BORN.isoformat()}
    made = []
    counts = []
    for size in (10, 50):
        while len(made) < size:
            person = same_name(actor)
            if len(made) % 2:
                factories.registration(actor, person)  # with and without an outcome
            references.set_reference(actor, person, "huis 77")  # a household number
            made.append(person)
        client.post(url("registry:search"), data)  # warm: session, catalogue cache
        found = []
        for _attempt in range(2):
            with django_assert_max_num_queries(MAX_SEARCH) as captured:
                response = client.post(url("registry:search"), data)
            assert response.status_code == 200
            assert all(p.pseudonym in response.content.decode() for p in made)
            found.append(len(captured))
        counts.append(min(found))  # the session's last-seen write comes and goes
    assert counts[0] == counts[1], f"queries at 10 and 50 persons found: {counts}"
    purpose = search.PURPOSE_REFERENCE if by == "reference" else search.PURPOSE_NAME
    listed = AccessLogEntry.objects.filter(purpose=purpose, user_id=member.user_id)
    assert listed.count() == 3 * 10 + 3 * 50


@pytest.mark.parametrize(("stored", "searched"), [("AB-123", "ab 123"), ("ab 123", "AB-123")])
def test_a_dash_a_space_or_the_case_does_not_hide_a_reference(world, login, stored, searched):
    actor = world.actor(Role.PROFESSIONAL)
    references.set_reference(actor, world.own_person, stored)
    client = login(world.members[Role.PROFESSIONAL])
    response = client.post(url("registry:search"), {"reference": searched})
    assert response.status_code == 200
    assert url("registry:person", pseudonym=world.own_person.pseudonym) in response.content.decode()
    assert [p.pk for p in search.find(actor, reference="AB/123").persons] == []
