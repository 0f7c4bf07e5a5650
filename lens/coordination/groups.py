"""The zorgcoördinator's persons: the records in their scope grouped per person (by the
stored cluster id, lens.coordination.clusters), newest signal first, counted and paged in
SQL.

The scope comes from the access policy (`policy.coordinated_persons`) and is never
widened: every query here filters it, and a group holds only records in it. A page costs
three queries whatever its size or the size of the scope: the count, the page's cluster
ids, and the page's records.
"""

from __future__ import annotations

from django.db.models import F, Max, Min, OuterRef, QuerySet, Subquery

from lens.coordination.paged_groups import PagedGroups
from lens.data.coordination import CombinedOutcome, cluster_key
from lens.data.registry import Person, Registration


def with_last_observed(persons: QuerySet[Person]) -> QuerySet[Person]:
    """Annotate the date of the last signal that counts (of the record's organisation)."""
    last = (
        Registration.objects.current()
        .filter(person=OuterRef("pk"), organisation=OuterRef("organisation"))
        .order_by("-observed_on")
    )
    return persons.annotate(last_observed=Subquery(last.values("observed_on")[:1]))


class ScopeGroups(PagedGroups):
    """The groups of `scope` (a queryset of `policy.coordinated_persons`), at `level`
    when given, for django's Paginator: `count()` and a slice of groups, each a list of
    its records (oldest first) with `combined_level`, `last_observed` and
    `combined_outcome_id`, their organisation loaded."""

    def __init__(self, scope: QuerySet[Person], level: int | None = None):
        annotations = scope.query.annotations
        if "cluster_key" not in annotations:
            scope = scope.annotate(cluster_key=cluster_key())
        if "combined_level" not in annotations:
            scope = scope.annotate(combined_level=CombinedOutcome.objects.latest_value("level"))
        self.scope = scope
        self.level = level

    def _groups(self) -> QuerySet:
        grouped = (
            with_last_observed(self.scope)
            .order_by()
            .values("cluster_key")
            .annotate(
                lvl=Max("combined_level"),
                last=Max("last_observed"),
                first_pseudonym=Min("pseudonym"),
            )
        )
        if self.level is not None:
            grouped = grouped.filter(lvl=self.level)
        return grouped

    def _slice(self, start: int, stop: int) -> list:
        # Newest signal first; persons without any signal (referred only) last.
        keys = list(
            self._groups()
            .order_by(F("last").desc(nulls_last=True), "first_pseudonym", "cluster_key")
            .values_list("cluster_key", flat=True)[start:stop]
        )
        groups: dict[int, list[Person]] = {key: [] for key in keys}
        records = (
            with_last_observed(self.scope)
            .filter(cluster_key__in=keys)
            .annotate(combined_outcome_id=CombinedOutcome.objects.latest_value("pk"))
            .select_related("organisation")
            .order_by("pk")
        )
        for record in records:
            groups[record.cluster_key].append(record)
        return list(groups.values())
