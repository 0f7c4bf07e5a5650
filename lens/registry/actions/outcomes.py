"""The person's outcome: the lens engine over the current registrations, stored with the
versions it used."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from lens.catalogue import services
from lens.coordination import combined
from lens.data import aggregates, queries
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
    data, _ = queries.assessment_input(person, catalogue, today)
    outcome = assess(catalogue, ruleset, data, today=today)
    digest = compiled.digest(compiled.content(outcome))
    blind_spots = compiled.blind_spots(outcome)
    with transaction.atomic():
        latest = (
            PersonOutcome.objects.filter(person=person)
            .newest_first()
            .defer("outcome")  # about 11 KB in an older row: only whether it is there
            .annotate(kept=ExpressionWrapper(Q(outcome__isnull=False), BooleanField()))
            .first()
        )
        same = latest is not None and (
            not latest.kept
            and latest.digest == digest
            and (latest.catalogue_version, latest.ruleset_version)
            == (catalogue.version, ruleset.version)
            and latest.as_of == outcome.as_of
        )
        saved = latest if same else None
        if saved is None:
            saved = PersonOutcome.objects.create(
                person=person,
                level=outcome.level.number,
                digest=digest,
                as_of=outcome.as_of,
                blind_spots=blind_spots,
                acute_signal=compiled.acute_signal(outcome),
                catalogue_version=catalogue.version,
                ruleset_version=ruleset.version,
            )
        combined.refresh(
            person,
            today=today,
            versions=(catalogue, ruleset),
            own=(saved.level, blind_spots, digest),
        )
        # The local picture's cells of the person's cluster: its facts are the current
        # registrations (one was added or changed) and the level just stored.
        aggregates.changed([person.pk], catalogue)
        return saved
