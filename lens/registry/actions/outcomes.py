"""The person's outcome: the lens engine over the current registrations, stored with the
versions it used."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from lens.catalogue import services
from lens.coordination import combined
from lens.data import aggregates, queries
from lens.data.registry import (
    Person,
    PersonOutcome,
)
from lens.rules import compiled, report
from lens.rules.engine import assess
from lens.rules.model import Catalogue, Ruleset

if TYPE_CHECKING:
    pass


def recompute_outcome(
    person: Person,
    *,
    today: date | None = None,
    versions: tuple[Catalogue, Ruleset] | None = None,
) -> PersonOutcome:
    """Run the lens engine over the organisation's current registrations of the person and
    store the outcome with the catalogue and ruleset versions it used.

    Codes that the active catalogue no longer knows (a newer catalogue dropped them) are
    left out and named in the stored outcome under "not_in_catalogue", rather than making
    the whole outcome fail.
    """
    catalogue, ruleset = versions or services.active()
    today = today or timezone.localdate()
    data, dropped = queries.assessment_input(person, catalogue, today)
    outcome = assess(catalogue, ruleset, data, today=today)
    stored = report.outcome_to_dict(outcome, catalogue, ruleset, "nl")
    stored["not_in_catalogue"] = sorted(dropped)
    digest = compiled.digest(compiled.content(outcome))
    with transaction.atomic():
        saved = PersonOutcome.objects.create(
            person=person,
            level=outcome.level.number,
            outcome=stored,
            digest=digest,
            as_of=outcome.as_of,
            blind_spots=queries.blind_spots(stored),
            catalogue_version=catalogue.version,
            ruleset_version=ruleset.version,
        )
        combined.refresh(
            person, today=today, versions=(catalogue, ruleset), own=(saved.level, stored, digest)
        )
        # The local picture's cells of the person's cluster, with the level just stored.
        aggregates.changed([person.pk], catalogue)
        return saved
