"""What re-scoring one record reads (lens.registry.actions.recompute_outcome), in one
written-out query: the record's organisation type and region, its current registrations
(only the date and the codes), its latest outcome (without the report of an older row,
only whether there is one), whether it is linked (a ClusterMember row: a cluster of two
records or more) and, for a record linked to nobody, its stored combined outcome in its
region and whether its cluster id has one in another region. No model instances: the ORM
built and compiled the same reads in four queries at several times the cost of running
them (issue 14, "Re-scoring one person ... stays the per-person path").

The current registrations are those of `Registration.objects.current_of`: of the record's
own organisation, superseded by no correction, not withdrawn (the same indexes: the
registrations by person, the corrections by `supersedes`, the withdrawals by
registration); the latest outcome that of `PersonOutcome.objects.latest_for` (the index
personoutcome_latest)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db import connection
from django.utils import timezone

from lens.data.coordination import ClusterMember, CombinedOutcome
from lens.data.registry import Organisation, Person, PersonOutcome, Registration, Withdrawal


@dataclass(frozen=True)
class LatestOutcome:
    """The columns of the record's latest PersonOutcome that a re-scoring compares."""

    pk: int
    level: int
    digest: str
    as_of: date | None
    blind_spots: int | None
    catalogue_version: str
    ruleset_version: str
    computed_at: datetime
    kept: bool  # an older row with its report stored


@dataclass(frozen=True)
class StoredCombined:
    """The columns of a stored CombinedOutcome that lens.coordination.combined compares."""

    level: int
    blind_spots: int | None
    digest: str
    catalogue_version: str
    ruleset_version: str
    members: list[int]
    computed_at: datetime


@dataclass(frozen=True)
class RescoreInput:
    organisation_type: str
    region: str
    # (observed_on, signals, risk_factors) of each current registration, oldest first.
    registrations: list[tuple[date, list[str], list[str]]]
    latest: LatestOutcome | None
    linked: bool  # in a cluster of two records or more: its combined outcome is another's
    # Only for a record linked to nobody (`linked` False):
    combined: StoredCombined | None  # its stored combined outcome in its region
    elsewhere: bool  # its cluster id has a stored combined outcome in another region


def _tables(*models) -> list[str]:
    return [model._meta.db_table for model in models]


def _sql() -> str:
    person, org, reg, outcome, member, combined, withdrawal = _tables(
        Person, Organisation, Registration, PersonOutcome, ClusterMember, CombinedOutcome,
        Withdrawal,
    )  # fmt: skip
    return f"""
SELECT o.organisation_type, o.region,
       lo.id, lo.level, lo.digest, lo.as_of, lo.blind_spots, lo.catalogue_version,
       lo.ruleset_version, lo.computed_at, lo.outcome IS NOT NULL,
       cm.cluster_id,
       co.id, co.level, co.blind_spots, co.digest, co.catalogue_version, co.ruleset_version,
       co.members, co.computed_at,
       CASE WHEN cm.cluster_id IS NULL THEN EXISTS (
           SELECT 1 FROM {combined} x WHERE x.cluster_id = p.id AND x.region <> o.region)
       END,
       r.id, r.observed_on, r.signals, r.risk_factors
FROM {person} p
JOIN {org} o ON o.id = p.organisation_id
LEFT JOIN {outcome} lo ON lo.id = (
    SELECT x.id FROM {outcome} x WHERE x.person_id = p.id
    ORDER BY x.computed_at DESC, x.id DESC LIMIT 1)
LEFT JOIN {member} cm ON cm.person_id = p.id
LEFT JOIN {combined} co
    ON cm.cluster_id IS NULL AND co.cluster_id = p.id AND co.region = o.region
LEFT JOIN {reg} r ON r.person_id = p.id AND r.organisation_id = p.organisation_id
    AND NOT EXISTS (SELECT 1 FROM {reg} s WHERE s.supersedes_id = r.id)
    AND NOT EXISTS (SELECT 1 FROM {withdrawal} w WHERE w.registration_id = r.id)
WHERE p.id = %s
ORDER BY r.observed_on, r.id"""


_statement: list[str] = []  # the query text, written once per process


def read(person_id: int) -> RescoreInput:
    """The re-scoring's input of the record `person_id` (one query)."""
    if not _statement:
        _statement.append(_sql())
    with connection.cursor() as cursor:
        cursor.execute(_statement[0], [person_id])
        rows = cursor.fetchall()
    first = rows[0]
    org_type, region = first[0], first[1]
    latest = None
    if first[2] is not None:
        latest = LatestOutcome(
            first[2], first[3], first[4], _date(first[5]), first[6], first[7], first[8],
            _moment(first[9]), bool(first[10]),
        )  # fmt: skip
    combined = None
    if first[12] is not None:
        combined = _combined(first[13:20])
    registrations = [
        (_date(row[22]), _json(row[23]), _json(row[24])) for row in rows if row[21] is not None
    ]
    return RescoreInput(
        organisation_type=org_type,
        region=region,
        registrations=registrations,
        latest=latest,
        linked=first[11] is not None,
        combined=combined,
        elsewhere=bool(first[20]),
    )


@dataclass(frozen=True)
class Member:
    """One record of a cluster with what its combined outcome reads of it."""

    pk: int
    organisation_type: str
    region: str
    registrations: list[tuple[date, list[str], list[str]]]  # as RescoreInput's


def _cluster_sql() -> str:
    person, org, reg, member, withdrawal = _tables(
        Person, Organisation, Registration, ClusterMember, Withdrawal
    )
    pk_type = Person._meta.pk.db_type(connection)
    return f"""
SELECT p.id, o.organisation_type, o.region, r.id, r.observed_on, r.signals, r.risk_factors
FROM {person} p
JOIN {org} o ON o.id = p.organisation_id
LEFT JOIN {reg} r ON r.person_id = p.id AND r.organisation_id = p.organisation_id
    AND NOT EXISTS (SELECT 1 FROM {reg} s WHERE s.supersedes_id = r.id)
    AND NOT EXISTS (SELECT 1 FROM {withdrawal} w WHERE w.registration_id = r.id)
WHERE p.id IN (
    SELECT CAST(%s AS {pk_type})
    UNION SELECT m.person_id FROM {member} k
    JOIN {member} m ON m.cluster_id = k.cluster_id WHERE k.person_id = %s)
ORDER BY p.id, r.observed_on, r.id"""


def cluster(person_id: int) -> list[Member]:
    """The records of the stored cluster of `person_id` (itself included; itself alone
    when it is linked to nobody), oldest first, each with its current registrations: the
    records of `lens.coordination.clusters.cluster_of` and what `records_input` reads of
    them (one query)."""
    if not _cluster_statement:
        _cluster_statement.append(_cluster_sql())
    with connection.cursor() as cursor:
        cursor.execute(_cluster_statement[0], [person_id, person_id])
        rows = cursor.fetchall()
    members: list[Member] = []
    for pk, org_type, region, reg_id, observed_on, signals, risks in rows:
        if not members or members[-1].pk != pk:
            members.append(Member(pk, org_type, region, []))
        if reg_id is not None:
            members[-1].registrations.append((_date(observed_on), _json(signals), _json(risks)))
    return members


_cluster_statement: list[str] = []


def combined_of(cluster_id: int) -> dict[str, StoredCombined]:
    """The stored combined outcomes of the cluster, by region, locked until the end of
    the transaction where the database locks rows (PostgreSQL: FOR UPDATE)."""
    table = CombinedOutcome._meta.db_table
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT region, level, blind_spots, digest, catalogue_version, ruleset_version, "
            f"members, computed_at FROM {table} WHERE cluster_id = %s{lock}",
            [cluster_id],
        )
        return {row[0]: _combined(row[1:]) for row in cursor.fetchall()}


def _combined(row) -> StoredCombined:
    level, blind, digest, catalogue_version, ruleset_version, members, computed_at = row
    return StoredCombined(
        level, blind, digest, catalogue_version, ruleset_version, _json(members),
        _moment(computed_at),
    )  # fmt: skip


# A raw cursor gives what the driver gives: on SQLite the declared date and datetime
# columns come converted (naive datetimes, stored in UTC), JSON as text on both databases.


def _date(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _moment(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if timezone.is_naive(value) else value


def _json(value):
    return json.loads(value) if isinstance(value, str | bytes) else value
