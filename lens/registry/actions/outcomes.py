"""The person's outcome: the lens engine over the current registrations, stored with the
versions it used."""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from lens.catalogue import services
from lens.coordination import combined
from lens.data import aggregates, queries, rescore
from lens.data.registry import (
    Person,
    PersonOutcome,
)
from lens.rules import compiled
from lens.rules.engine import assess
from lens.rules.model import Catalogue, Ruleset


def recompute_outcome(
    person: Person,
    *,
    today: date | None = None,
    versions: tuple[Catalogue, Ruleset] | None = None,
) -> PersonOutcome:
    """Run the lens engine over the organisation's current registrations of the person and
    store the outcome with the catalogue and ruleset versions it used, when it changed.

    Stored only when it changed (issue 14): a new PersonOutcome unless the latest one has
    the same content (lens.rules.compiled.content: the level, the values, the counts), the
    same versions and the same reference date. The date counts because the explanation is
    drawn again from the current registrations as of the stored date
    (lens.data.queries.outcome_document, lens.web.outcomes): with the same date and the
    same content it is the explanation of today's outcome. The row holds the level, the
    versions, the date, the digest, the blind spots and whether it counts an acute signal;
    not the report itself (about 11 KB), which is drawn again when asked for. A latest row
    of an older kind, with its report stored, is always replaced (its copy would no longer
    be current).

    Codes that the active catalogue no longer knows (a newer catalogue dropped them) are
    left out and named in the drawn outcome under "not_in_catalogue", rather than making
    the whole outcome fail.
    """
    catalogue, ruleset = versions or services.active()
    today = today or timezone.localdate()
    # No savepoint of its own (as combined.refresh): a failure fails the caller's whole
    # write, the registration that asked for the re-scoring with it.
    with transaction.atomic(savepoint=False):
        # One written-out query: the registrations, the latest outcome, the cluster and the
        # stored combined outcome (lens.data.rescore), read in the write's transaction.
        read = rescore.read(person.pk)
        rows = ((read.organisation_type, *r) for r in read.registrations)
        data, _ = queries.registrations_input(rows, catalogue, today, region=read.region)
        outcome = assess(catalogue, ruleset, data, today=today)
        digest = compiled.digest(compiled.content(outcome))
        blind_spots = compiled.blind_spots(outcome)
        latest = read.latest
        same = latest is not None and (
            not latest.kept
            and latest.digest == digest
            and (latest.catalogue_version, latest.ruleset_version)
            == (catalogue.version, ruleset.version)
            and latest.as_of == outcome.as_of
        )
        # Whether it counts an acute signal: the work list's and the case page's rule.
        acute = compiled.acute_signal(outcome)
        if same:
            saved = _outcome(
                latest.pk,
                person,
                latest.level,
                latest.digest,
                latest.as_of,
                latest.blind_spots,
                latest.computed_at,
                acute,
                catalogue,
                ruleset,
            )
        else:
            now = timezone.now()
            pk = _insert(
                person.pk,
                outcome.level.number,
                digest,
                outcome.as_of,
                blind_spots,
                acute,
                catalogue,
                ruleset,
                now,
            )
            saved = _outcome(
                pk,
                person,
                outcome.level.number,
                digest,
                outcome.as_of,
                blind_spots,
                now,
                acute,
                catalogue,
                ruleset,
            )
        own = (saved.level, blind_spots, digest)
        if read.linked:
            combined.refresh(person, today=today, versions=(catalogue, ruleset), own=own)
        else:
            combined.refresh_alone(
                person.pk,
                read.region,
                read.combined,
                read.elsewhere,
                own,
                (catalogue, ruleset),
                today,
            )
        # The local picture's cells of the person's cluster: its facts are the current
        # registrations (one was added or changed) and the level just stored.
        aggregates.changed([person.pk], catalogue)
        return saved


_COLUMNS = (
    "person_id", "level", "digest", "as_of", "blind_spots", "acute_signal",
    "catalogue_version", "ruleset_version", "computed_at",
)  # fmt: skip
_statement: list[str] = []  # the insert, written once per process


def _insert(person_id, level, digest, as_of, blind_spots, acute, catalogue, ruleset, now) -> int:
    """A new PersonOutcome row without its report (NULL), written out: its id."""
    if not _statement:
        _statement.append(
            f"INSERT INTO {PersonOutcome._meta.db_table} ({', '.join(_COLUMNS)}, outcome) "
            f"VALUES ({', '.join(['%s'] * len(_COLUMNS))}, NULL) RETURNING id"
        )
    ops = connection.ops
    values = (
        person_id, level, digest, ops.adapt_datefield_value(as_of), blind_spots, acute,
        catalogue.version, ruleset.version, ops.adapt_datetimefield_value(now),
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(_statement[0], values)
        return cursor.fetchone()[0]


def _outcome(pk, person, level, digest, as_of, blind_spots, computed_at, acute, catalogue, ruleset):
    """The stored row as a PersonOutcome (without its report, NULL), as it was read."""
    saved = PersonOutcome(
        pk=pk,
        person=person,
        level=level,
        outcome=None,
        digest=digest,
        as_of=as_of,
        blind_spots=blind_spots,
        acute_signal=acute,
        catalogue_version=catalogue.version,
        ruleset_version=ruleset.version,
        computed_at=computed_at,
    )
    saved._state.adding = False
    saved._state.db = connection.alias
    return saved
