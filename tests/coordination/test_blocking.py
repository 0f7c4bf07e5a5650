"""The narrow blocking keys (lens.coordination.blocking) and what they buy: a look-up or
a batch run opens only the records that share a block, never everyone born on the same
day; the keys are rebuilt from the identities (`lens matching rebuild-keys`, registry
migration 0009) and survive a master key rotation unchanged. Synthetic identities only."""

from __future__ import annotations

import base64
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lens.access import crypto, matchkeys
from lens.access.crypto import Identity
from lens.access.rotation import rotate_identity_keys
from lens.coordination import blocking, matching
from lens.data.coordination import LinkState, PersonLink, WorkItem
from lens.data.registry import Person, Role
from tests.access import factories as access_factories
from tests.registry import factories
from tests.registry.conftest import active, catalogue_files  # noqa: F401

REGION = factories.REGION
BIRTH = date(2010, 6, 9)
# Children born on the same day: different names, so no block in common.
SAME_DAY = [
    ("Emma", "Bakker"),
    ("Noah", "Visser"),
    ("Julia", "Smit"),
    ("Liam", "Meijer"),
    ("Mila", "de Boer"),
    ("Lucas", "Mulder"),
    ("Tess", "de Groot"),
    ("Finn", "Bos"),
    ("Sara", "Vos"),
    ("Levi", "Peters"),
]


@pytest.fixture
def orgs(active):  # noqa: F811
    school = factories.organisation("Synthetische School", organisation_type="school")
    care = factories.organisation("Synthetische Jeugdhulp", organisation_type="youth_care")
    return {
        name: factories.actor(factories.membership(Role.PROFESSIONAL, org))
        for name, org in (("school", school), ("care", care))
    }


@pytest.fixture
def unmatched(monkeypatch):
    """Records registered while matching was off: sealed identities and keys, no links."""

    def register_unmatched(actor, **fields):
        with monkeypatch.context() as patched:
            patched.setattr("lens.coordination.actions.after_new_person", lambda *a: None)
            return factories.person(actor, **fields)

    return register_unmatched


@pytest.fixture
def opened(monkeypatch):
    """Counts the identities actually decrypted."""
    calls = []
    real = crypto.open_identity

    def counting(sealed, aad):
        calls.append(aad)
        return real(sealed, aad)

    def counting_many(items):
        for sealed, aad in items:
            calls.append(aad)
            yield from real_many([(sealed, aad)])

    real_many = crypto.open_identities
    monkeypatch.setattr(crypto, "open_identity", counting)
    monkeypatch.setattr(crypto, "open_identities", counting_many)
    return calls


def test_a_look_up_opens_only_the_records_sharing_a_narrow_block(orgs, unmatched, opened):
    for given_names, family_name in SAME_DAY:
        unmatched(
            orgs["school"], given_names=given_names, family_name=family_name, birth_date=BIRTH
        )
    original = unmatched(
        orgs["school"], given_names="Daan", family_name="Willemsen", birth_date=BIRTH
    )
    opened.clear()

    misspelt = Identity("Daan", "Wilemsen", BIRTH)
    new = Person(organisation=orgs["care"].organisation, **_keys(misspelt))
    found = matching.lookup(new, misspelt)

    assert [other for other, _similar in found.candidates] == [original]
    assert found.opened == len(opened) == 1  # not the ten others born that day


def test_a_registration_finds_its_typo_variant_among_many_born_the_same_day(orgs, opened):
    for given_names, family_name in SAME_DAY:
        factories.person(
            orgs["school"], given_names=given_names, family_name=family_name, birth_date=BIRTH
        )
    original = factories.person(
        orgs["school"], given_names="Sem", family_name="van den Heuvel", birth_date=BIRTH
    )
    opened.clear()
    # A missing tussenvoegsel and day and month swapped.
    second = factories.person(
        orgs["care"], given_names="Sem", family_name="Heuvel", birth_date=date(2010, 9, 6)
    )

    link = PersonLink.objects.get()
    assert (link.person_a, link.person_b, link.state) == (original, second, LinkState.CANDIDATE)
    assert len(opened) == 1


def test_the_batch_run_opens_only_the_records_in_a_pair(orgs, unmatched, opened):
    for n, (given_names, family_name) in enumerate(SAME_DAY):
        actor = orgs["school"] if n % 2 else orgs["care"]
        unmatched(actor, given_names=given_names, family_name=family_name, birth_date=BIRTH)
    a = unmatched(orgs["school"], given_names="Daan", family_name="Willemsen", birth_date=BIRTH)
    b = unmatched(orgs["care"], given_names="Daam", family_name="Willemsen", birth_date=BIRTH)
    opened.clear()

    report = matching.fuzzy_run()

    assert list(PersonLink.objects.values_list("person_a", "person_b")) == [(a.pk, b.pk)]
    assert report.compared_persons == 12
    assert report.opened == len(opened) == 2
    assert report.new_candidates == 1


@pytest.fixture
def coordinator(orgs):
    member = factories.membership(Role.ZORGCOORDINATOR, region=REGION)
    member.user.email = "zorgcoordinator@example.nl"
    member.user.save()
    return member


def test_the_batch_run_sends_one_email_per_region_that_counts_the_new_lines(
    orgs, unmatched, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    pairs = [("Daan", "Willemsen", "Wilemsen"), ("Lotte", "Jansen", "Janssen"), ("Ilse", "Kok", "")]
    for given_names, family_name, misspelt in pairs:
        unmatched(
            orgs["school"], given_names=given_names, family_name=family_name, birth_date=BIRTH
        )
        unmatched(
            orgs["care"],
            given_names=given_names if misspelt else "Ilze",
            family_name=misspelt or family_name,
            birth_date=BIRTH,
        )

    with django_capture_on_commit_callbacks(execute=True):
        report = matching.fuzzy_run()

    assert report.new_candidates == 3
    assert WorkItem.objects.filter(region=REGION, link__isnull=False).count() == 3
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "Mogelijk dezelfde persoon, te beoordelen: 3\n" in body
    for given_names, family_name, _misspelt in pairs:
        assert given_names not in body and family_name not in body
    assert BIRTH.isoformat() not in body


# --- rebuilding the keys ---------------------------------------------------------------------

KEY_A = base64.b64encode(b"A" * 32).decode()
KEY_B = base64.b64encode(b"B" * 32).decode()


def _keys(identity: Identity) -> dict[str, str]:
    bsn_key, name_key = matchkeys.match_keys(identity)
    return {"bsn_match_key": bsn_key, "name_match_key": name_key, **blocking.block_keys(identity)}


def _stored_keys(person: Person) -> dict[str, str]:
    person.refresh_from_db()
    return {field: getattr(person, field) for field in blocking.BLOCK_FIELDS}


def _without_keys(count: int) -> list[tuple[Person, Identity]]:
    """Records as written before their blocking keys existed (none stored)."""
    organisation = access_factories.organisation("Testorganisatie Sleutels")
    author = access_factories.user("test-block-keys")
    made = []
    for n in range(count):
        identity = Identity(f"Testpersoon{n}", "van Blok", date(2008, 2, 1 + n))
        made.append(
            (access_factories.sealed_person(organisation, author, f"P-BLK{n}", identity), identity)
        )
    return made


@pytest.mark.django_db
def test_rebuild_keys_computes_every_records_keys_from_its_identity():
    made = _without_keys(3)
    assert all(not any(_stored_keys(person).values()) for person, _identity in made)

    out = io.StringIO()
    call_command("matching", "rebuild-keys", stdout=out)

    assert "Personen met gewijzigde blokkeersleutels: 3\n" in out.getvalue()
    for person, identity in made:
        keys = _stored_keys(person)
        assert keys == blocking.block_keys(identity)
        assert all(len(value) == 64 for value in keys.values())
    assert blocking.rebuild_block_keys(batch=2) == 0  # nothing left to change


@pytest.mark.django_db
def test_keys_survive_a_master_key_rotation_and_rebuild_after_it(settings):
    settings.IDENTITY_KEYS = f"A:{KEY_A}"
    made = _without_keys(3)
    assert blocking.rebuild_block_keys() == 3
    before = [_stored_keys(person) for person, _identity in made]

    settings.IDENTITY_KEYS = f"B:{KEY_B},A:{KEY_A}"
    assert rotate_identity_keys(batch_size=2) == 3

    # The keys hang on the match secret, not on the master key: nothing to rebuild, and a
    # rebuild opens every identity under the new master key.
    settings.IDENTITY_KEYS = f"B:{KEY_B}"
    assert blocking.rebuild_block_keys() == 0
    assert [_stored_keys(person) for person, _identity in made] == before


# --- registry migration 0010 -------------------------------------------------------------------

BEFORE = [("registry", "0009_outcome_digest_and_runs")]
AFTER = [("registry", "0010_narrow_block_keys")]


@pytest.fixture
def migrator(transactional_db):
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    yield executor
    executor.loader.build_graph()
    executor.migrate(latest)


def test_migration_0009_fills_the_narrow_keys_of_existing_records(migrator):
    migrator.migrate(BEFORE)
    apps = migrator.loader.project_state(BEFORE).apps
    Organisation = apps.get_model("registry", "Organisation")
    OldPerson = apps.get_model("registry", "Person")
    User = apps.get_model("auth", "User")
    organisation = Organisation.objects.create(
        name="Testorganisatie Migratie",
        organisation_type="school",
        region=REGION,
        contact_name="Test",
        contact_phone="013-000 00 00",
        contact_email="test@example.nl",
    )
    author = User.objects.create(username="test-migration-0009")
    identity = Identity("Testpersoon", "van Migratie", date(2007, 11, 3))
    sealed = crypto.seal_identity(identity, b"P-MIG1")
    bsn_key, name_key = matchkeys.match_keys(identity)
    OldPerson.objects.create(
        pseudonym="P-MIG1",
        organisation=organisation,
        created_by=author,
        identity_key_id=sealed.key_id,
        identity_wrapped_key=sealed.wrapped_key,
        identity_nonce=sealed.nonce,
        identity_ciphertext=sealed.ciphertext,
        bsn_match_key=bsn_key,
        name_match_key=name_key,
        birth_year=2007,
        block_date_key="old",
        block_family_key="old",
        block_names_key="old",
    )

    migrator.loader.build_graph()
    migrator.migrate(AFTER)
    apps = migrator.loader.project_state(AFTER).apps
    person = apps.get_model("registry", "Person").objects.get(pseudonym="P-MIG1")

    keys = {field: getattr(person, field) for field in blocking.BLOCK_FIELDS}
    assert keys == blocking.block_keys(identity)


def test_a_pair_stored_while_the_batch_run_compared_is_left_as_it_is(orgs, unmatched, monkeypatch):
    """A registration (or a decision) may store one of the run's pairs between the run's
    read of the stored pairs and its insert: that pair stays as it is, the others are
    still stored, with their work-list lines only."""
    from lens.coordination import batch

    a = unmatched(orgs["school"], given_names="Daan", family_name="Willemsen", birth_date=BIRTH)
    b = unmatched(orgs["care"], given_names="Daan", family_name="Wilemsen", birth_date=BIRTH)
    c = unmatched(orgs["school"], given_names="Lotte", family_name="Jansen", birth_date=BIRTH)
    d = unmatched(orgs["care"], given_names="Lotte", family_name="Janssen", birth_date=BIRTH)
    real_store = batch._store

    def decided_meanwhile(found, region_of):
        PersonLink.objects.create(
            person_a=a, person_b=b, basis="fuzzy", state=LinkState.REJECTED, score=0.9
        )
        return real_store(found, region_of)

    monkeypatch.setattr(batch, "_store", decided_meanwhile)
    report = matching.fuzzy_run()

    assert report.new_candidates == 1
    states = dict(
        ((link.person_a_id, link.person_b_id), link.state) for link in PersonLink.objects.all()
    )
    assert states == {(a.pk, b.pk): LinkState.REJECTED, (c.pk, d.pk): LinkState.CANDIDATE}
    assert {item.link.pair_pks for item in WorkItem.objects.all()} == {(c.pk, d.pk)}
