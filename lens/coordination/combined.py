"""The combined outcome: the lens engine over all records of one person in a region.

Stored as CombinedOutcome on every record of the cluster in that region (the
zorgcoördinator's list and need-to-know filter on its level), recomputed whenever a
record's registrations change (lens.registry.actions.recompute_outcome) or a link is
made, confirmed or undone (lens.coordination.actions).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.utils import timezone

from lens.catalogue import services
from lens.coordination import clusters, notify
from lens.data import queries
from lens.data.coordination import CombinedOutcome
from lens.data.registry import Person
from lens.rules import report
from lens.rules.engine import Outcome, assess
from lens.rules.model import Catalogue, Ruleset

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
    own: tuple[int, dict] | None = None,
) -> None:
    """Recompute and store the combined outcome of the person's cluster, per region.

    `versions`: the active catalogue and ruleset when the caller has them already.
    `own`: the (level, stored outcome) the caller just computed over this record alone
    (lens.registry.actions.recompute_outcome); for a record linked to nobody that is
    the combined outcome too, so it is stored without running the engine again.
    """
    catalogue, ruleset = versions or services.active()
    today = today or timezone.localdate()
    by_region: dict[str, list[Person]] = defaultdict(list)
    for member in clusters.cluster_of(person):
        by_region[member.organisation.region].append(member)
    with transaction.atomic():
        for region, members in by_region.items():
            if own is not None and [m.pk for m in members] == [person.pk]:
                _store(members, *own, catalogue, ruleset)
                continue
            previous = latest(members[0]) if len(members) > 1 else None
            outcome, dropped = compute(members, region, catalogue, ruleset, today)
            stored = report.outcome_to_dict(outcome, catalogue, ruleset, "nl")
            stored["not_in_catalogue"] = sorted(dropped)
            _store(members, outcome.level.number, stored, catalogue, ruleset)
            crossed = previous is not None and previous.level < COORDINATION_LEVEL
            if crossed and outcome.level.number >= COORDINATION_LEVEL:
                notify.threshold(members, region)


def _store(
    members: list[Person], level: int, stored: dict, catalogue: Catalogue, ruleset: Ruleset
) -> None:
    pks = [m.pk for m in members]
    CombinedOutcome.objects.bulk_create(
        CombinedOutcome(
            person=member,
            members=pks,
            level=level,
            outcome=stored,
            catalogue_version=catalogue.version,
            ruleset_version=ruleset.version,
        )
        for member in members
    )


def latest(person: Person) -> CombinedOutcome | None:
    return CombinedOutcome.objects.latest_for(person)
