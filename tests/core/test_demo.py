"""`lens demo`: demo mode only, every role, synthetic persons through the actions layer,
idempotent; and the registration benchmark script runs."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from lens.access import log
from lens.access.crypto import Sealed, bsn_is_valid, open_identity
from lens.access.models import AccessLogEntry, Action
from lens.core.demo import DEMO_PASSWORD, ORGANISATIONS, user_specs
from lens.registry import queries
from lens.registry.models import (
    InformedNotice,
    Membership,
    Organisation,
    Person,
    PersonOutcome,
    Registration,
    Role,
    Withdrawal,
)

ROOT = Path(__file__).resolve().parents[2]
REQUIRED_TYPES = {
    "school",
    "youth_care",
    "general_practitioner",
    "debt_counselling",
    "police",
    "neighbourhood_team",
    "housing_corporation",
}
PERSONS = "20"


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE, settings.DEBUG = True, True
    # The demo hashes its one password once; a fast hasher keeps the tests quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


def run(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("demo", *args, stdout=out, stderr=err)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    models = (
        Organisation,
        Membership,
        get_user_model(),
        TOTPDevice,
        Person,
        Registration,
        Withdrawal,
        PersonOutcome,
        InformedNotice,
        AccessLogEntry,
    )
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
@pytest.mark.parametrize(("demo", "debug"), [(False, True), (False, False), (True, False)])
def test_demo_is_refused_outside_demo_mode(settings, demo, debug):
    settings.DEMO_MODE, settings.DEBUG = demo, debug
    with pytest.raises(CommandError, match="DEMO_MODE=1") as refused:
        run("--persons", PERSONS)
    assert refused.value.returncode == 1
    assert not Organisation.objects.exists()
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_demo_creates_organisations_and_an_account_for_every_role(demo_mode):
    out = run("--persons", PERSONS)

    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    for region in ("midden_brabant", "amsterdam"):
        types = set(
            Organisation.objects.filter(region=region).values_list("organisation_type", flat=True)
        )
        assert types >= REQUIRED_TYPES, region
        for role in (Role.ZORGCOORDINATOR, Role.ANALIST):
            assert Membership.objects.filter(role=role, region=region).exists()
        for role in (Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS):
            assert Membership.objects.filter(role=role, organisation__region=region).count() >= 2
    assert Organisation.objects.count() == len(ORGANISATIONS)
    for organisation in Organisation.objects.all():
        assert organisation.name.startswith("Demo ")
        assert organisation.contact_name
        assert organisation.contact_phone
        assert organisation.contact_email.endswith("@example.nl")

    users = get_user_model().objects.all()
    assert {u.username for u in users} == {spec.username for spec in user_specs()}
    for user in users:
        assert user.username.startswith("demo-")
        assert user.check_password(DEMO_PASSWORD)
        assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    assert any(user.memberships.count() >= 2 for user in users)

    # The printed table: the password, every account with its role, how to get a code.
    assert DEMO_PASSWORD in out
    for membership in Membership.objects.select_related("user", "organisation"):
        scope = membership.organisation.name if membership.organisation else ""
        line = re.compile(
            rf"^\s+{re.escape(membership.user.username)}\s+{membership.role}\s+{re.escape(scope)}",
            re.M,
        )
        assert line.search(out), membership
    assert "lens demo-code USERNAME" in out


@pytest.mark.django_db
def test_demo_persons_are_synthetic_and_registered_through_the_actions(demo_mode):
    run("--persons", PERSONS)

    persons = list(Person.objects.select_related("organisation"))
    assert len(persons) >= int(PERSONS)
    assert {p.organisation.name for p in persons} <= {o.name for o in ORGANISATIONS}
    for person in persons:
        assert PersonOutcome.objects.filter(person=person).exists(), person
        assert Registration.objects.filter(person=person).exists(), person
        # Written by the actions layer, as a demo user, with an access-log record.
        created = AccessLogEntry.objects.get(
            person_id=person.pk, action=Action.CREATE, object_type="person"
        )
        assert created.username.startswith("demo-")
    levels = set(queries.with_overview(Person.objects.all()).values_list("latest_level", flat=True))
    assert len(levels) >= 2, levels
    assert log.verify() == []

    # Only a sealed identity: no plaintext identity field, and no name, birth date or
    # BSN anywhere in the registry's tables or the access log.
    fields = {f.name for f in Person._meta.get_fields()}
    assert not fields & {"name", "given_names", "family_name", "birth_date", "bsn", "sex"}
    identities = [
        open_identity(
            Sealed(
                p.identity_key_id,
                bytes(p.identity_wrapped_key),
                bytes(p.identity_nonce),
                bytes(p.identity_ciphertext),
            ),
            p.pseudonym.encode(),
        )
        for p in persons
    ]
    stored = "\n".join(
        repr(row)
        for model in (
            Person,
            Registration,
            Withdrawal,
            PersonOutcome,
            InformedNotice,
            AccessLogEntry,
        )
        for row in model.objects.values()
    )
    for identity in identities:
        assert f"{identity.given_names} {identity.family_name}" not in stored
        if len(identity.family_name) >= 6:
            assert not re.search(rf"\b{re.escape(identity.family_name)}\b", stored)
        assert identity.birth_date.isoformat() not in stored
        if identity.bsn:
            assert identity.bsn.startswith("9999")
            assert bsn_is_valid(identity.bsn)
            assert identity.bsn not in stored


@pytest.mark.django_db
def test_running_the_demo_twice_adds_no_rows(demo_mode):
    run("--persons", PERSONS)
    before = row_counts()
    out = run("--persons", PERSONS)
    assert row_counts() == before
    assert "are there already" in out
    # A larger run adds only the missing persons.
    run("--persons", str(int(PERSONS) + 2))
    after = row_counts()
    assert after["Person"] > before["Person"]
    assert after["Organisation"] == before["Organisation"]
    assert after["User"] == before["User"]


def test_bench_script_prints_throughput_and_ratio():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench_registration.py"),
            "--n",
            "4",
            "--rounds",
            "2",
            "--warmup",
            "1",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert re.search(r"^with log\s+[\d.]+ registrations/s\s+p50\s+[\d.]+ ms\s+p95", out, re.M)
    assert re.search(r"^without log\s+[\d.]+ registrations/s\s+p50\s+[\d.]+ ms\s+p95", out, re.M)
    assert re.search(r"^ratio: \d+\.\d\d ", out, re.M)
    assert "chain intact" in out
