"""The zorgcoördinator's open work-list lines grouped per person, sorted and paged in SQL.

A group is one person across organisations: the lines whose record (`WorkItem.person`,
always a record of the line's own region) has the same stored cluster id
(`lens.data.coordination.cluster_key`). The groups are sorted by the person's combined
level in the region (the stored `CombinedOutcome`, highest first; a person without an
outcome last), then by the age of the group's oldest open line (oldest first), then by
cluster id so that the order is total and a page never repeats or skips a group.

**Paging is by person groups, not by lines**: a page holds `PAGE_SIZE` persons with all
their open lines, so that one person's lines are never split across two pages and the
group heading (pseudonym, level) appears once. A person rarely has more than a handful
of open lines (one per link, referral, answer or threshold), so a page stays short.

The lines come from the access policy (`policy.work_items_for`) and are never widened
here; this module reads no person data beyond the ids and levels it sorts on, and logs
nothing: the page logs what it shows (`policy.log_work_lines`). A page costs three
queries whatever its size: the count of groups, the page's cluster ids and levels, and
the page's lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.db.models import F, Max, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from lens.coordination.paged_groups import PagedGroups
from lens.data.coordination import CombinedOutcome, WorkItem, cluster_key
from lens.data.registry import Membership


@dataclass
class WorkGroup:
    """One person's open lines (oldest first), with the person's combined level in the
    region (None without a stored outcome) and when the oldest open line was added."""

    key: int
    level: int | None
    oldest: datetime
    items: list[WorkItem] = field(default_factory=list)


def _level() -> Subquery:
    """The stored combined level of the line's cluster in the line's region."""
    key = Coalesce(
        OuterRef("person__cluster__cluster_id"),
        OuterRef("person_id"),
        output_field=models.BigIntegerField(),
    )
    outcome = CombinedOutcome.objects.filter(cluster_id=key, region=OuterRef("region"))
    return Subquery(outcome.values("level")[:1])


class WorkGroups(PagedGroups):
    """The open lines of `items` (a queryset of `policy.work_items_for`) grouped per
    person, for django's Paginator: `count()` and a slice of `WorkGroup`s. The lines of
    a group have their record (with organisation), link (with its records and their
    organisations) loaded."""

    def __init__(self, items: QuerySet[WorkItem]):
        self.items = items.filter(done_at__isnull=True).annotate(
            key=cluster_key("person__"), lvl=_level()
        )

    def _groups(self) -> QuerySet:
        return (
            self.items.order_by().values("key").annotate(level=Max("lvl"), oldest=Min("created_at"))
        )

    def _slice(self, start: int, stop: int) -> list:
        rows = self._groups().order_by(F("level").desc(nulls_last=True), "oldest", "key")
        groups = {
            row["key"]: WorkGroup(key=row["key"], level=row["level"], oldest=row["oldest"])
            for row in rows[start:stop]
        }
        lines = (
            self.items.filter(key__in=list(groups))
            .select_related(
                "person__organisation",
                "link__person_a__organisation",
                "link__person_b__organisation",
            )
            .order_by("created_at", "pk")
        )
        for item in lines:
            groups[item.key].items.append(item)
        return list(groups.values())


def handled_here(items: list[WorkItem], region: str) -> set[int]:
    """The lines of `items` handled by someone working in `region` (their membership's
    region, or their organisation's). A line about a link between two regions is closed
    by the deciding region's zorgcoördinator: the other region is told that, not who
    (one query whatever the number of lines)."""
    users = {item.done_by_id for item in items if item.done_by_id}
    here = set(
        Membership.objects.filter(user_id__in=users, is_active=True)
        .filter(models.Q(region=region) | models.Q(region="", organisation__region=region))
        .values_list("user_id", flat=True)
    )
    return {item.pk for item in items if item.done_by_id in here}
