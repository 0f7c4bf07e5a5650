"""The combined outcome: the lens engine over all records of one person in a region.

Stored as one CombinedOutcome per cluster and region (the zorgcoördinator's list, the
need-to-know filter and the picture all read its level), recomputed whenever a record's
registrations change (lens.registry.actions.recompute_outcome) or a link is made,
confirmed or undone (lens.coordination.actions, after clusters.renumber).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from lens.catalogue import services
from lens.coordination import clusters, notify
from lens.data import queries, rescore
from lens.data.coordination import CombinedOutcome
from lens.data.registry import Person
from lens.data.rescore import StoredCombined
from lens.rules import compiled
from lens.rules.engine import Outcome, assess
from lens.rules.model import Catalogue, Ruleset

logger = logging.getLogger(__name__)

# The zorgcoördinator's threshold (need to know): from this combined level on, the
# persons of their region are theirs to see (DOMAIN.md: level 2 asks for consultation).
COORDINATION_LEVEL = 2


def compute(
    members: list[Person], region: str, catalogue: Catalogue, ruleset: Ruleset, today: date
) -> tuple[Outcome, set[str]]:
    data, dropped = queries.records_input(members, catalogue, today, region=region)
    return assess(catalogue, ruleset, data, today=today), dropped


def refresh(
    person: Person,
    *,
    today: date | None = None,
    versions: tuple[Catalogue, Ruleset] | None = None,
    own: tuple[int, int, str] | None = None,
) -> None:
    """Recompute and store the combined outcome of the person's cluster, per region: one
    row per cluster and region, replaced (never one row per record), and only when it
    changed: another content (digest), other members, other versions or another day (the
    picture page draws the explanation again as of the day it was stored, `explained`).
    No copy of the report is stored (the bulk recompute stores none either).

    `versions`: the active catalogue and ruleset when the caller has them already.
    `own`: the (level, blind spots, digest) the caller just computed over this record
    alone (lens.registry.actions.recompute_outcome); for a record linked to nobody that
    is the combined outcome too, so it is stored without running the engine again.
    """
    catalogue, ruleset = versions or services.active()
    today = today or timezone.localdate()
    # The records and their current registrations in one written-out query, the stored
    # rows in another (lens.data.rescore): no model instances.
    by_region: dict[str, list[rescore.Member]] = defaultdict(list)
    members = rescore.cluster(person.pk)
    for member in members:
        by_region[member.region].append(member)
    key = members[0].pk  # the smallest pk: the stored cluster id
    # No savepoint of its own: a failure here fails the caller's whole write.
    with transaction.atomic(savepoint=False):
        previous = rescore.combined_of(key)  # locked (PostgreSQL)
        for region, in_region in by_region.items():
            pks = [m.pk for m in in_region]
            if own is not None and pks == [person.pk]:
                level, blind, digest = own
            else:
                rows = ((m.organisation_type, *r) for m in in_region for r in m.registrations)
                data, _ = queries.registrations_input(rows, catalogue, today, region=region)
                outcome = assess(catalogue, ruleset, data, today=today)
                level, blind = outcome.level.number, compiled.blind_spots(outcome)
                digest = compiled.digest(compiled.content(outcome))
            before = previous.get(region)
            stored = (level, blind, digest, catalogue.version, ruleset.version)
            if before is None or not _same(before, stored, pks, today):
                _store(key, region, pks, stored)
            was = before.level if before is not None else None
            crossed = len(in_region) > 1 and was is not None and was < COORDINATION_LEVEL
            if crossed and level >= COORDINATION_LEVEL:
                records = Person.objects.filter(pk__in=pks).select_related("organisation")
                notify.threshold(list(records.order_by("pk")), region)
        # A region the cluster no longer has a record in keeps no outcome of it (the rows
        # of the cluster are the ones locked above).
        if set(previous) - set(by_region):
            CombinedOutcome.objects.filter(cluster_id=key).exclude(region__in=by_region).delete()


def refresh_alone(
    person_id: int,
    region: str,
    before: StoredCombined | None,
    elsewhere: bool,
    own: tuple[int, int, str],
    versions: tuple[Catalogue, Ruleset],
    today: date,
) -> None:
    """`refresh` of a record linked to nobody, from what the re-scoring read already
    (lens.data.rescore): its combined outcome is its own (`own`: level, blind spots,
    digest), stored under its pk in its region when it changed; `before`: the stored row
    there, `elsewhere`: whether its pk has one in another region (removed, as `refresh`
    does). No notification: one record never crosses the zorgcoördinator's threshold as a
    linked cluster. No lock on the stored row: the upsert replaces it whole, and the
    outcome was computed before any lock, as in `refresh`."""
    catalogue, ruleset = versions
    stored = (*own, catalogue.version, ruleset.version)
    with transaction.atomic(savepoint=False):
        if before is None or not _same(before, stored, [person_id], today):
            _store(person_id, region, [person_id], stored)
        if elsewhere:
            CombinedOutcome.objects.filter(cluster_id=person_id).exclude(region=region).delete()


def _same(
    before: CombinedOutcome | StoredCombined, stored: tuple, members: list[int], today: date
) -> bool:
    """Whether the stored row already says `stored` about `members` (pks), as of `today`."""
    level, blind, digest, catalogue_version, ruleset_version = stored
    return (
        (before.level, before.blind_spots, before.digest) == (level, blind, digest)
        and (before.catalogue_version, before.ruleset_version)
        == (catalogue_version, ruleset_version)
        and before.members == members
        and timezone.localdate(before.computed_at) == today
    )


def _store(key: int, region: str, members: list[int], stored: tuple) -> None:
    """One statement (an insert that replaces the row of the cluster and region), which
    also holds when two changes create the first row of a cluster at once; written out
    (the ORM's upsert cost several times its run)."""
    level, blind, digest, catalogue_version, ruleset_version = stored
    if not _upsert:
        _upsert.append(_upsert_sql())
    values = (
        key, region, MEMBERS.get_db_prep_save(members, connection), level, blind, digest,
        catalogue_version, ruleset_version,
        connection.ops.adapt_datetimefield_value(timezone.now()),
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(_upsert[0], values)


MEMBERS = CombinedOutcome._meta.get_field("members")
_upsert: list[str] = []  # the statement, written once per process


def _upsert_sql() -> str:
    columns = [
        "cluster_id", "region", "members", "level", "blind_spots", "digest",
        "catalogue_version", "ruleset_version", "computed_at",
    ]  # fmt: skip
    # The report column is replaced too: NULL (no copy of the report is stored).
    replaced = ", ".join(f"{c} = excluded.{c}" for c in columns[2:])
    return (
        f"INSERT INTO {CombinedOutcome._meta.db_table} ({', '.join(columns)}, outcome) "
        f"VALUES ({', '.join(['%s'] * len(columns))}, NULL) "
        f"ON CONFLICT (cluster_id, region) DO UPDATE SET {replaced}, outcome = NULL"
    )


@dataclass(frozen=True)
class Explained:
    """The stored combined outcome of a cluster in a region, with the engine's account of
    it for the picture page."""

    stored: CombinedOutcome | None
    result: Outcome
    dropped: set[str]


def explained(
    members: list[Person], region: str, catalogue: Catalogue, ruleset: Ruleset
) -> Explained:
    """The stored combined outcome of `members` (a cluster's records in `region`, from
    `clusters.cluster_of`) and its explanation: the engine rerun over the stored data
    (the members' current registrations, which every change recomputes the stored outcome
    for) as of the day it was stored, so that it gives the stored result. The level shown
    is always the stored one, the level the lists and the need-to-know filter read; a
    rerun that gave another (the catalogue replaced without its recompute) keeps the
    stored level and is logged. With nothing stored (no registration counted yet) the
    engine over the empty input, as of today."""
    stored = None
    if members:
        # cluster_of annotates the stored cluster id: no query for it then.
        key = getattr(members[0], "cluster_key", None) or clusters.cluster_id(members[0])
        stored = CombinedOutcome.objects.latest_for(key, region)
    as_of = timezone.localdate(stored.computed_at) if stored else timezone.localdate()
    result, dropped = compute(members, region, catalogue, ruleset, as_of)
    if stored is not None and result.level.number != stored.level:
        logger.warning(
            "combined outcome %s: stored level %s, rerun %s (recompute after a catalogue load)",
            stored.pk,
            stored.level,
            result.level.number,
        )
        level = next((lv for lv in ruleset.levels if lv.number == stored.level), None)
        if level is not None:
            result = replace(result, level=level)
    return Explained(stored, result, dropped)


def latest(person: Person) -> CombinedOutcome | None:
    """The stored combined outcome of the person's cluster in its organisation's region."""
    return CombinedOutcome.objects.latest_for(
        clusters.cluster_id(person), person.organisation.region
    )
