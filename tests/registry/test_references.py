"""The own reference (eigen kenmerk): normalised, sealed beside the identity, found by a
keyed hash per organisation, never in plain text in the database; given at registration
and changed on its own page. The references are synthetic."""

from __future__ import annotations

import base64

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext

from lens.access import crypto, matchkeys
from lens.access.models import AccessLogEntry, Action
from lens.access.rotation import rotate_identity_keys, sealed_of
from lens.access.verify import verify as verify_log
from lens.data.registry import Person, Role
from lens.registry import references
from tests.concurrency import log_emptied_afterwards  # noqa: F401 - a fixture, used by name

from . import factories
from .conftest import ROLES
from .test_views import new_person_data, text, url

RAW = "ZK-Synth 4471-Q"  # as typed
# None may be stored, in any case. (Not the digits alone: a hex hash may hold "4471".)
FORMS = (RAW, "zk-synth4471-q", "zksynth4471q", "synth 4471", "synth4471")


@pytest.fixture
def professional(world, login):
    return login(world.members[Role.PROFESSIONAL])


def reloaded(person: Person) -> Person:
    return Person.objects.get(pk=person.pk)


# --- the rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        " ZK-SYNTH 4471-q ",
        "zk-synth4471-q",
        "Zk-Synth\t4471-Q",
        "\uff3a\uff2b-\uff53\uff59\uff4e\uff54\uff48\uff14\uff14\uff17\uff11-\uff31",
        "zk synth 4471 q",  # spaces where the dashes were
        "ZKSYNTH4471Q",
        "zk\u2010synth\u20134471\u2014q",  # hyphen, en dash, em dash
    ],
)
def test_one_reference_however_it_is_written(written):
    assert references.normalise(written) == "zksynth4471q"
    assert references.parse(written).normalised == "zksynth4471q"


@pytest.mark.parametrize(("one", "other"), [("AB-123", "ab 123"), ("KL/12", "KL 12")])
def test_only_spaces_dashes_and_case_are_ignored(one, other):
    same = references.normalise(one) == references.normalise(other)
    assert same is (one == "AB-123")  # a slash is part of the reference: "KL/12" is not "KL12"


def test_a_reference_without_a_letter_or_digit_is_refused():
    for bad in ("-", " - ", "\u2013\u2014"):
        with translation.override("nl"), pytest.raises(ValidationError) as caught:
            references.parse(bad)
        assert caught.value.error_dict["reference"][0].messages == [
            "Gebruik in het eigen kenmerk minstens één letter of cijfer."
        ]


def test_parse_keeps_what_was_written_and_refuses_what_cannot_be_a_reference():
    assert references.parse("  KL  12 ").shown == "KL 12"
    assert references.parse("") is None and references.parse("   ") is None
    assert references.parse(None) is None
    assert len(references.parse("x" * 64).shown) == 64
    for bad in ("x" * 65, "KL\x0012", "KL\u200b12"):
        with pytest.raises(ValidationError) as caught:
            references.parse(bad)
        assert "reference" in caught.value.error_dict
    assert "<redacted>" in repr(references.parse(RAW))


def test_the_same_reference_hashes_apart_in_two_organisations():
    ref = references.parse(RAW)
    assert references.search_key(1, ref) == references.search_key(
        1, references.parse("zk-synth4471-q")
    )
    assert references.search_key(1, ref) != references.search_key(2, ref)
    # Never equal to a match key of another kind (domain separation).
    assert references.search_key(1, ref) != matchkeys.keyed("name", "1:zksynth4471q")


# --- storing -------------------------------------------------------------------------------


def test_set_reference_seals_it_hashes_it_and_logs_the_change(world):
    actor = world.actor(Role.PROFESSIONAL)
    assert references.set_reference(actor, world.own_person, RAW) is True
    person = reloaded(world.own_person)
    assert references.opened(person) == RAW
    assert person.reference_key == references.search_key(world.own.pk, references.parse(RAW))
    entry = AccessLogEntry.objects.latest("id")
    assert (entry.action, entry.object_type, entry.person_id) == (
        Action.CHANGE,
        "reference",
        person.pk,
    )
    assert entry.purpose == references.PURPOSE_SET and RAW not in entry.purpose
    assert verify_log() == []


def test_a_reference_is_changed_and_removed_and_an_empty_change_is_refused(world):
    actor = world.actor(Role.AANDACHTSFUNCTIONARIS)
    references.set_reference(actor, world.own_person, RAW)
    with pytest.raises(ValidationError):
        references.set_reference(actor, world.own_person, "  " + RAW + " ")  # the same
    references.set_reference(actor, world.own_person, "KL-2")
    assert references.opened(reloaded(world.own_person)) == "KL-2"
    assert references.set_reference(actor, world.own_person, "") is False
    person = reloaded(world.own_person)
    assert (person.reference_key, bytes(person.reference_ciphertext)) == ("", b"")
    assert references.opened(person) == ""
    with pytest.raises(ValidationError):
        references.set_reference(actor, world.own_person, "")  # nothing to remove
    purposes = AccessLogEntry.objects.filter(object_type="reference").values_list(
        "purpose", flat=True
    )
    assert list(purposes) == [references.PURPOSE_SET] * 2 + [references.PURPOSE_CLEARED]


@pytest.mark.parametrize(
    "role", [r for r in ROLES if r not in (Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS)]
)
def test_roles_without_person_data_cannot_set_a_reference(world, role):
    with pytest.raises(PermissionDenied):
        references.set_reference(world.actor(role), world.own_person, RAW)
    assert not reloaded(world.own_person).reference_key


def test_another_organisations_person_gets_no_reference(world):
    with pytest.raises(Http404):
        references.set_reference(world.actor(Role.PROFESSIONAL), world.other_person, RAW)
    assert not reloaded(world.other_person).reference_key


def test_the_reference_is_nowhere_in_the_database_in_plain_text(world):
    references.set_reference(world.actor(Role.PROFESSIONAL), world.own_person, RAW)
    other = factories.actor(world.other_professional)
    references.set_reference(other, world.other_person, RAW)
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview):
                        value = bytes(value)
                    if isinstance(value, bytes):
                        value = value.decode("latin-1")
                    if not isinstance(value, str):
                        continue
                    for form in FORMS:
                        if form.lower() in value.lower():
                            found.append((table, form))
    assert not found, found
    # The two organisations' hashes differ: the reference links nothing.
    assert reloaded(world.own_person).reference_key != reloaded(world.other_person).reference_key


def test_the_sealed_reference_opens_only_for_its_person(world):
    actor = world.actor(Role.PROFESSIONAL)
    second = factories.person(actor)
    references.set_reference(actor, world.own_person, RAW)
    references.set_reference(actor, second, "KL-2")
    person, second = reloaded(world.own_person), reloaded(second)
    # Moved onto another person's row, it does not open.
    second.reference_nonce, second.reference_ciphertext = (
        person.reference_nonce,
        person.reference_ciphertext,
    )
    with pytest.raises(crypto.IdentityUnreadable):
        references.opened(second)
    # Nor does it open as the identity (another label in the associated data).
    sealed = sealed_of(person)
    moved = crypto.Sealed(
        sealed.key_id,
        sealed.wrapped_key,
        bytes(person.reference_nonce),
        bytes(person.reference_ciphertext),
    )
    with pytest.raises(crypto.IdentityUnreadable):
        crypto.open_identity(moved, person.pseudonym.encode())


def test_key_rotation_keeps_the_reference_readable(world, settings):
    references.set_reference(world.actor(Role.PROFESSIONAL), world.own_person, RAW)
    old = settings.IDENTITY_KEYS
    settings.IDENTITY_KEYS = "new:" + base64.b64encode(b"n" * 32).decode() + "," + old
    assert rotate_identity_keys() >= 1
    settings.IDENTITY_KEYS = "new:" + base64.b64encode(b"n" * 32).decode()  # old key gone
    person = reloaded(world.own_person)
    assert person.identity_key_id == "new"
    assert references.opened(person) == RAW


# --- registering with a reference ----------------------------------------------------------


def test_registering_a_new_person_with_a_reference(professional, catalogue, world):
    response = professional.post(
        url("registry:register"), new_person_data(catalogue, reference=RAW)
    )
    assert response.status_code == 302
    person = Person.objects.latest("pk")
    assert references.opened(person) == RAW
    logged = AccessLogEntry.objects.filter(person_id=person.pk).values_list(
        "object_type", flat=True
    )
    assert sorted(logged) == ["person", "reference", "registration"]
    assert RAW in text(professional.get(response["Location"]))


def test_a_bad_reference_at_registration_writes_nothing(professional, catalogue):
    before = factories.counts()
    response = professional.post(
        url("registry:register"), new_person_data(catalogue, reference="x" * 65)
    )
    assert response.status_code == 400
    assert 'id="id_reference_error"' in response.content.decode()
    with translation.override("nl"):
        expected = gettext("Keep the own reference to %(max)s characters.") % {"max": 64}
    assert expected in response.content.decode()
    assert factories.counts() == before


def test_a_known_person_keeps_their_reference_when_registered_again(professional, catalogue):
    bsn = factories.valid_bsn(31)
    professional.post(url("registry:register"), new_person_data(catalogue, bsn=bsn))
    person = Person.objects.latest("pk")
    assert references.opened(person) == ""
    # Known already without a reference: it gets the one given now.
    professional.post(
        url("registry:register"), new_person_data(catalogue, bsn=bsn, reference="A-1")
    )
    assert references.opened(reloaded(person)) == "A-1"
    # With another reference: it keeps its own (changed on its page, not by registering).
    professional.post(
        url("registry:register"), new_person_data(catalogue, bsn=bsn, reference="B-2")
    )
    assert Person.objects.latest("pk") == person
    assert references.opened(reloaded(person)) == "A-1"


# --- the page ------------------------------------------------------------------------------


def test_the_reference_page_sets_changes_and_removes(professional, world):
    page = url("registry:reference", pseudonym=world.own_person.pseudonym)
    assert professional.get(page).status_code == 200
    response = professional.post(page, {"reference": RAW})
    assert response.status_code == 302
    assert response["Location"] == url("registry:person", pseudonym=world.own_person.pseudonym)
    assert references.opened(reloaded(world.own_person)) == RAW
    shown = professional.get(response["Location"]).content.decode()
    assert RAW in shown and 'id="own-reference"' in shown
    assert f'value="{RAW}"' in professional.get(page).content.decode()  # the form, filled in
    assert professional.post(page, {"reference": RAW}).status_code == 400  # unchanged
    assert professional.post(page, {"reference": "\x07"}).status_code == 400
    assert professional.post(page, {"reference": ""}).status_code == 302
    assert references.opened(reloaded(world.own_person)) == ""


def test_the_person_page_shows_the_reference_to_the_own_organisation_only(world, login):
    references.set_reference(factories.actor(world.other_professional), world.other_person, RAW)
    own = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    response = own.get(url("registry:person", pseudonym=world.other_person.pseudonym))
    assert response.status_code == 404 and RAW not in response.content.decode()
    page = url("registry:reference", pseudonym=world.other_person.pseudonym)
    assert own.get(page).status_code == 404
    assert own.post(page, {"reference": "X"}).status_code == 404
    assert references.opened(reloaded(world.other_person)) == RAW
    for role in (Role.ZORGCOORDINATOR, Role.ANALIST, Role.BEHEERDER):
        login(world.members[role])
        response = own.get(url("registry:person", pseudonym=world.other_person.pseudonym))
        assert response.status_code == 403 and RAW not in response.content.decode()


# --- hashes stored under the earlier rule (dashes kept): migration registry 0008 -----------


def test_the_migration_recomputes_hashes_stored_under_the_earlier_rule(world):
    from importlib import import_module

    from django.apps import apps

    from lens.registry import search

    migration = import_module("lens.registry.migrations.0008_reference_key_normalised")
    actor = world.actor(Role.PROFESSIONAL)
    references.set_reference(actor, world.own_person, RAW)
    # As the earlier rule stored it: case folded, spaces removed, dashes kept.
    legacy = matchkeys.keyed(references.HASH_LABEL, f"{world.own.pk}:zk-synth4471-q")
    Person.objects.filter(pk=world.own_person.pk).update(reference_key=legacy)
    assert search.find(actor, reference="zk synth 4471 q").persons == []

    migration.recompute_reference_keys(apps, None)

    person = reloaded(world.own_person)
    assert person.reference_key == references.search_key(world.own.pk, references.parse(RAW))
    assert references.opened(person) == RAW  # the sealed reference is untouched
    for written in ("zk synth 4471 q", "ZK-SYNTH-4471-Q", RAW):
        assert [p.pk for p in search.find(actor, reference=written).persons] == [person.pk]


@pytest.mark.usefixtures("log_emptied_afterwards")
def test_migrating_forward_through_0008_recomputes_the_stored_hashes(world):
    """The real migration, run by Django's executor: the registry back at 0007, a hash
    as the earlier rule stored it, forward again."""
    from django.db.migrations.executor import MigrationExecutor

    from lens.registry import search

    actor = world.actor(Role.PROFESSIONAL)
    references.set_reference(actor, world.own_person, "AB-123")
    legacy = matchkeys.keyed(references.HASH_LABEL, f"{world.own.pk}:ab-123")
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([("registry", "0007_registration_area_phenomena")])
    Person.objects.filter(pk=world.own_person.pk).update(reference_key=legacy)
    try:
        executor.loader.build_graph()
        executor.migrate(latest)
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert reloaded(world.own_person).reference_key != legacy
    found = search.find(actor, reference="ab 123").persons
    assert [p.pk for p in found] == [world.own_person.pk]
