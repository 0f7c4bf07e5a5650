"""The access request (AVG art. 15): everything the organisation holds on a record, as
JSON or a readable page; for the aandachtsfunctionaris only (the role with EXPORT);
logged with the request's reference; the identity only when asked, through the logged
reveal. And the route in the access matrix: every role x own / other record."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from lens.access import routes
from lens.access.models import AccessLogEntry, Action
from lens.cases import referrals
from lens.data.registry import Role
from lens.retention import access_request
from lens.retention import urls as retention_urls
from lens.web import submissions
from tests.cases.conftest import data, open_for, walk
from tests.registry import conftest as registry
from tests.registry.conftest import OTHER_NOTE, OTHER_ORG_NAME, OWN_NOTE, ROLES
from tests.registry.test_routes import named_routes

# The registry tests' fixtures, by name.
active = registry.active
catalogue = registry.catalogue
catalogue_files = registry.catalogue_files
login = registry.login
world = registry.world

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
PATTERNS = dict(named_routes(retention_urls.urlpatterns, "retention:"))
WHO = [*(str(r) for r in ROLES), ANONYMOUS]


def url(name: str, **kwargs) -> str:
    with translation.override("nl"):
        return reverse(name, kwargs=kwargs)


def post(client, path, **fields):
    return client.post(path, {submissions.FORM_FIELD: submissions.new_key(), **fields})


@pytest.fixture
def held(world):
    """The own record with a case walked to a referral answered by the zorgcoördinator."""
    actor = world.actor(Role.PROFESSIONAL)
    case = open_for(actor, world.own_person, on=timezone.localdate())
    walk(actor, case, "map_signals", on=timezone.localdate())
    step = referrals.take_step(actor, case, "refer", data("refer", on=timezone.localdate()))
    link = step.case.referrals.get()
    referrals.answer(world.actor(Role.ZORGCOORDINATOR), link.pk, "advice_given", "Advies-X")
    return case


def test_every_route_is_declared_and_only_for_the_officer():
    for name, pattern in PATTERNS.items():
        assert getattr(pattern.callback, "permission_protected", False), name
        assert routes.ROUTES[name].roles == {str(Role.AANDACHTSFUNCTIONARIS)}
        assert routes.ROUTES[name].action == Action.EXPORT


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_route_matrix(client, world, login, name, who):
    if who != ANONYMOUS:
        login(world.members[who])
    permission = routes.ROUTES[name]
    problems = []
    for target, person in (("own", world.own_person), ("other", world.other_person)):
        path = url(name, pseudonym=person.pseudonym)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            if who == ANONYMOUS:
                expected = 302
            elif who not in permission.roles:
                expected = 403
            elif target == "other":
                expected = 404
            else:
                expected = 400 if method == "post" else 200
            if response.status_code != expected:
                problems.append(f"{method} {path}: {response.status_code}, expected {expected}")
            if response.status_code == 302 and not response["Location"].startswith(
                reverse(settings.LOGIN_URL)
            ):
                problems.append(f"{method} {path}: redirects to {response['Location']}")
            body = response.content.decode()
            for secret in (OTHER_NOTE, OTHER_ORG_NAME, world.other_person.pseudonym):
                if secret in body:
                    problems.append(f"{method} {path}: shows {secret!r} to {who}")
    assert not problems, "\n".join(problems)


def test_the_json_export_holds_everything_and_is_logged(world, held, login):
    officer = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    before = AccessLogEntry.objects.count()
    response = post(
        officer,
        url("retention:access_request", pseudonym=world.own_person.pseudonym),
        reference="Verzoek 2026-17",
        format="json",
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert document["person"]["pseudonym"] == world.own_person.pseudonym
    assert "identity" not in document and not document["request"]["identity_included"]
    assert [r["context_note"] for r in document["registrations"]] == [OWN_NOTE]
    assert document["outcomes"]
    [case] = document["cases"]
    assert [s["transition"] for s in case["steps"]] == [
        "open",
        "map_signals",
        "refer",
        "referral_answered",
    ]
    assert case["referrals"][0]["answer"] == "advice_given"
    assert document["referrals"][0]["reason"] == "Gedaan: refer"
    # The access log is in it, the export's own entry included.
    purposes = [e["purpose"] for e in document["access_log"]]
    assert "inzageverzoek (AVG art. 15): Verzoek 2026-17" in purposes
    entry = AccessLogEntry.objects.order_by("pk").last()
    assert AccessLogEntry.objects.count() == before + 1
    assert entry.action == Action.EXPORT and entry.purpose.endswith("Verzoek 2026-17")
    # Nothing of the other organisation.
    assert OTHER_NOTE not in response.content.decode()
    assert "identity_ciphertext" not in response.content.decode()


def test_the_identity_only_when_asked_and_through_the_logged_reveal(world, held):
    officer = world.actor(Role.AANDACHTSFUNCTIONARIS)
    document = access_request.export(officer, world.own_person, "Verzoek 18", identity=True)
    assert document["identity"]["family_name"]
    reveal = AccessLogEntry.objects.filter(action=Action.REVEAL).order_by("pk").last()
    assert reveal.purpose == "inzageverzoek (AVG art. 15): Verzoek 18"


def test_a_reference_is_required(world, login):
    officer = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    before = AccessLogEntry.objects.count()
    response = post(
        officer,
        url("retention:access_request", pseudonym=world.own_person.pseudonym),
        reference="",
        format="json",
    )
    assert response.status_code == 400
    assert AccessLogEntry.objects.count() == before


def test_a_reference_that_would_overflow_the_purpose_is_refused_not_a_crash(world):
    """The reference is stored after the prefix in the access log's purpose: the longest
    reference fits exactly, one character more is a field error (it was a 500)."""
    officer = world.actor(Role.AANDACHTSFUNCTIONARIS)
    longest = "R" * access_request.REFERENCE_MAX
    access_request.export(officer, world.own_person, longest, identity=False)
    entry = AccessLogEntry.objects.filter(action=Action.EXPORT).order_by("pk").last()
    assert entry.purpose == f"{access_request.PURPOSE_PREFIX}: {longest}"
    before = AccessLogEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        access_request.export(officer, world.own_person, longest + "R", identity=False)
    assert "reference" in refused.value.message_dict
    assert AccessLogEntry.objects.count() == before


def test_the_form_takes_the_same_reference_limit(world, login):
    officer = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    response = post(
        officer,
        url("retention:access_request", pseudonym=world.own_person.pseudonym),
        reference="R" * (access_request.REFERENCE_MAX + 1),
        format="json",
    )
    assert response.status_code == 400
    assert AccessLogEntry.objects.filter(action=Action.EXPORT).count() == 0


def test_the_readable_page(world, held, login):
    officer = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    response = post(
        officer,
        url("retention:access_request", pseudonym=world.own_person.pseudonym),
        reference="Verzoek 19",
        format="html",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "text/html" in response["Content-Type"]
    assert OWN_NOTE in body and "Advies-X" in body and "Verzoek 19" in body
    assert "Registraties (elke versie)" in body


def test_the_form_is_a_read_and_only_the_export_is_an_export(world, login):
    """Showing the form reads the record (its pseudonym): one READ entry, no EXPORT; the
    export POST writes its own EXPORT entry only (issue 10, M3)."""
    officer = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    path = url("retention:access_request", pseudonym=world.own_person.pseudonym)
    before = AccessLogEntry.objects.order_by("pk").values_list("pk", flat=True).last() or 0
    assert officer.get(path).status_code == 200
    [read] = AccessLogEntry.objects.filter(pk__gt=before)
    assert (read.action, read.person_id, read.purpose) == (
        Action.READ,
        world.own_person.pk,
        "formulier: inzageverzoek",
    )
    before = AccessLogEntry.objects.order_by("pk").last().pk
    assert post(officer, path, reference="Verzoek 20", format="json").status_code == 200
    [export] = AccessLogEntry.objects.filter(pk__gt=before)
    assert (export.action, export.object_type) == (Action.EXPORT, access_request.OBJECT_TYPE)
    assert not AccessLogEntry.objects.filter(
        action=Action.EXPORT, purpose="formulier: inzageverzoek"
    ).exists()
