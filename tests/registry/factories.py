"""Synthetic test data for the registry: organisations, users with a role and a TOTP
device, persons and registrations. Nothing here is a real person: names are made up and
BSNs are generated to pass the elfproef only."""

from __future__ import annotations

import hashlib
import itertools
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Min
from django.utils import timezone

from lens.access.actor import Actor
from lens.access.crypto import Identity
from lens.access.models import AccessLogEntry
from lens.catalogue import services
from lens.coordination import clusters, combined
from lens.data import queries
from lens.data.registry import (
    HowLearned,
    InformedNotice,
    Membership,
    Organisation,
    Person,
    PersonOutcome,
    Registration,
    Role,
    Withdrawal,
)
from lens.insight import disclosure
from lens.registry import actions
from lens.rules import report

_counter = itertools.count(1)

REGION = "midden_brabant"


def organisation(name: str | None = None, **fields) -> Organisation:
    n = next(_counter)
    defaults = {
        "name": name or f"Synthetische Organisatie {n}",
        "organisation_type": "school",
        "region": REGION,
        "municipality": "Tilburg",
        "contact_name": f"Contact {n}",
        "contact_phone": "013-0000000",
        "contact_email": f"contact{n}@example.org",
    }
    return Organisation.objects.create(**{**defaults, **fields})


def user(username: str | None = None):
    return get_user_model().objects.create_user(
        username=username or f"synthetic-{next(_counter)}", password="not-used-in-tests-42"
    )


def membership(role: str, org: Organisation | None = None, *, region: str = REGION, **kwargs):
    """A user with one active membership of `role` (organisation roles need `org`)."""
    fields = {}
    if role in (Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS):
        fields["organisation"] = org
    elif role in (Role.ZORGCOORDINATOR, Role.ANALIST):
        fields["region"] = region
    return Membership.objects.create(
        user=kwargs.pop("user", None) or user(), role=role, **fields, **kwargs
    )


def actor(member: Membership, **kwargs) -> Actor:
    return Actor(user=member.user, membership=member, ip_address="192.0.2.10", **kwargs)


def valid_bsn(seed: int) -> str:
    """A 9-digit number that passes the elfproef (synthetic; derived from `seed`)."""
    for n in itertools.count(seed * 7919 % 10_000_000):
        digits = f"{10_000_000 + n % 89_999_999:08d}"[:8]
        weights = (9, 8, 7, 6, 5, 4, 3, 2)
        total = sum(int(d) * w for d, w in zip(digits, weights, strict=True))
        last = total % 11
        if last < 10:
            return digits + str(last)
    raise AssertionError("unreachable")


def letters(n: int, salt: str) -> str:
    """A made-up word of eight letters for `n`: unlike "Testpersoon12" and
    "Testpersoon13", two of them are not alike, so factory persons are no fuzzy
    candidates of each other (lens.coordination.similarity) unless a test makes them so."""
    digest = hashlib.sha256(f"{salt}{n}".encode()).digest()
    return "".join(chr(ord("a") + b % 26) for b in digest[:8]).capitalize()


def identity(**fields) -> Identity:
    n = next(_counter)
    defaults = {
        "given_names": letters(n, "given"),
        "family_name": letters(n, "family"),
        # A young person's birth date that cycles through eleven years, so that
        # however many persons a run makes, none is born in the future.
        "birth_date": date(2008, 1, 1) + timedelta(days=n % 4000),
        "bsn": "",
        "sex": "",
    }
    return Identity(**{**defaults, **fields})


def person(by: Actor, **identity_fields) -> Person:
    created, _ = actions.register_person(by, identity(**identity_fields), purpose="test")
    return created


def registration(by: Actor, of: Person, signals=None, **fields):
    from lens.catalogue import services

    catalogue, _ruleset = services.active()
    if signals is None:
        signals = [next(iter(catalogue.signals))]
    defaults = {
        "observed_on": timezone.localdate() - timedelta(days=3),
        "how_learned": HowLearned.SEEN,
        "context_note": "",
        "risk_factors": [],
    }
    return actions.register_signals(by, of, signals=signals, **{**defaults, **fields})


def counts() -> tuple[int, ...]:
    """How many rows everything a write may touch has: persons, registrations, outcomes,
    withdrawals, informed notices and access-log entries (to show nothing was written)."""
    return (
        Person.objects.count(),
        Registration.objects.count(),
        PersonOutcome.objects.count(),
        Withdrawal.objects.count(),
        InformedNotice.objects.count(),
        AccessLogEntry.objects.count(),
    )


def link(zc: Actor, a: Person, b: Person):
    """Link two records as the zorgcoördinator does (a candidate, then confirmed through
    lens.coordination.actions), so that the stored clusters and the local picture's
    maintained cells follow as they do in the application."""
    from lens.coordination.actions import decide_link
    from lens.data.coordination import LinkBasis, LinkState, PersonLink

    first, second = sorted((a, b), key=lambda p: p.pk)
    made = PersonLink.objects.create(
        person_a=first, person_b=second, basis=LinkBasis.FUZZY, state=LinkState.CANDIDATE
    )
    decide_link(zc, made, "confirm")
    return made


def document(stored: PersonOutcome) -> dict:
    """The report of a stored outcome, as the API shows it (drawn again: no copy stored)."""
    return queries.outcome_document(stored, *services.active())


def combined_document(person: Person) -> dict:
    """The report of the combined outcome of the person's cluster in its region, as the
    picture page draws it (lens.coordination.combined.explained)."""
    catalogue, ruleset = services.active()
    region = person.organisation.region
    members = clusters.cluster_of(person, region=region)
    shown = combined.explained(members, region, catalogue, ruleset)
    return report.outcome_to_dict(shown.result, catalogue, ruleset, "nl")


def salted_record_keys(monkeypatch, secret: bytes) -> None:
    """disclosure.record_key under `secret`, of the person ids counted from the test's first
    person (made in one order, with consecutive primary keys) instead of the primary key
    itself: the same draws on SQLite and PostgreSQL, in any test order. The cell-key noise
    and rounding come from the record keys, so one draw is luck: tests take several."""
    first: list[int] = []
    original = disclosure.record_key

    def record_key(person: str | int, _secret: bytes) -> int:
        if not first:
            first.append(Person.objects.aggregate(first=Min("pk"))["first"] or 0)
        return original(int(person) - first[0], secret)

    monkeypatch.setattr(disclosure, "record_key", record_key)
