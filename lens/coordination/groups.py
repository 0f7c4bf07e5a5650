"""The zorgcoördinator's persons: the records in their scope grouped per person (records
joined by active links among them), newest signal first, counted and paged in SQL.

The scope comes from the access policy (`policy.coordinated_persons`) and is never
widened: it is the first CTE of every query here, and groups only join records in it.
A page costs three queries whatever its size or the size of the scope: the count, the
page's group ids, and the page's records.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import F, OuterRef, QuerySet, Subquery

from lens.coordination import clusters
from lens.data.coordination import CombinedOutcome
from lens.data.registry import Person, Registration


def with_last_observed(persons: QuerySet[Person]) -> QuerySet[Person]:
    """Annotate the date of the last signal that counts (of the record's organisation)."""
    last = (
        Registration.objects.current()
        .filter(person=OuterRef("pk"), organisation=OuterRef("organisation"))
        .order_by("-observed_on")
    )
    return persons.annotate(last_observed=Subquery(last.values("observed_on")[:1]))


class ScopeGroups(Sequence):
    """The groups of `scope` (a queryset of `policy.coordinated_persons`, annotated with
    `combined_level`), at `level` when given, for django's Paginator: `count()` and a
    slice of groups, each a list of its records (oldest first) with `combined_level`,
    `last_observed` and `combined_outcome_id`, their organisation loaded."""

    def __init__(self, scope: QuerySet[Person], level: int | None = None):
        self.scope = scope
        self.level = level
        self._count: int | None = None

    def _with(self) -> tuple[str, list[Any]]:
        rows = with_last_observed(self.scope).annotate(g_id=F("pk"), g_pseudonym=F("pseudonym"))
        scope_sql, scope_params = (
            rows.order_by()
            .values("combined_level", "last_observed", "g_id", "g_pseudonym")
            .query.sql_with_params()
        )
        edges, edge_params = clusters.linked_edges_sql()
        having, having_params = "", []
        if self.level is not None:
            having, having_params = "HAVING MAX(s.lvl) = %s", [self.level]
        sql = (
            f"WITH RECURSIVE scope(lvl, last, id, pseudonym) AS ({scope_sql}), "
            f"edge(a, b) AS ({edges}), "
            # Every record reaches itself and, through links, the records of the scope.
            "reach(origin, id) AS (SELECT id, id FROM scope UNION "
            "SELECT reach.origin, edge.b FROM reach JOIN edge ON edge.a = reach.id "
            "JOIN scope ON scope.id = edge.b), "
            "grp(id, root) AS (SELECT origin, MIN(id) FROM reach GROUP BY origin), "
            "grouped(root, lvl, last, pseudonym) AS ("
            "SELECT grp.root, MAX(s.lvl), MAX(s.last), r.pseudonym FROM grp "
            "JOIN scope s ON s.id = grp.id JOIN scope r ON r.id = grp.root "
            f"GROUP BY grp.root, r.pseudonym {having})"
        )
        return sql, [*scope_params, *edge_params, *having_params]

    def count(self) -> int:
        if self._count is None:
            sql, params = self._with()
            with connection.cursor() as cursor:
                cursor.execute(f"{sql} SELECT COUNT(*) FROM grouped", params)
                self._count = cursor.fetchone()[0]
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):  # type: ignore[override]
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start = index.start or 0
        stop = self.count() if index.stop is None else index.stop
        if stop <= start:
            return []
        sql, params = self._with()
        # Newest signal first; persons without any signal (referred only) last.
        order = "(page.last IS NULL), page.last DESC, page.pseudonym"
        with connection.cursor() as cursor:
            cursor.execute(
                f"{sql}, page AS (SELECT * FROM grouped ORDER BY (last IS NULL), last DESC, "
                "pseudonym LIMIT %s OFFSET %s) "
                f"SELECT grp.id, grp.root FROM page JOIN grp ON grp.root = page.root "
                f"ORDER BY {order}, grp.id",
                [*params, stop - start, start],
            )
            pairs = cursor.fetchall()
        records = {
            p.pk: p
            for p in with_last_observed(self.scope)
            .filter(pk__in=[pk for pk, _root in pairs])
            .annotate(combined_outcome_id=CombinedOutcome.objects.latest_value("pk"))
            .select_related("organisation")
        }
        groups: dict[int, list[Person]] = {}
        for pk, root in pairs:
            groups.setdefault(root, []).append(records[pk])
        return list(groups.values())
