"""The read model of the analist's local picture (issue 11): distinct persons and signals
per area, period, indicator, leefgebied, organisation type and level, from the current
registrations of the analist's region or municipality. Never a person: only published
values (lens.insight.disclosure) leave this module.

`picture` answers a closed period from what was kept as published (lens.picture.kept),
every other view of area x period x organisation type from the maintained cells
(lens.picture.cells: two queries per view), and the indicator, leefgebied, phenomenon and
rest-of-region filters by counting over the current registrations (lens.picture.recount,
also the oracle the cells are tested against; docs/design/insight.md). `logged_picture` and
`log_query` write the access-log entry of every query.

A "person" is the cluster: the records of one human being at several organisations,
joined by active links and stored by lens.coordination.clusters (ClusterMember),
identified by the smallest record pk in it.
"""

from __future__ import annotations

from django.db import transaction

from lens.access import log
from lens.access.models import Action
from lens.rules.model import Catalogue

from . import cells, kept, pending
from .filters import (  # noqa: F401 (the filters are part of this module's interface)
    Filters,
    Period,
    Scope,
    area_options,
    period_options,
    scope_of,
    shown_years,
)
from .published import LEVELS, Picture  # noqa: F401 (LEVELS: part of the interface)
from .recount import clusters, recounted, registrations  # noqa: F401 (interface)


def picture(scope: Scope, filters: Filters, catalogue: Catalogue) -> Picture:
    """The published picture: from the maintained cells (lens.picture.cells) for every
    view they answer (area, period, organisation type), else counted over the
    registrations (`recounted`): the indicator, leefgebied and phenomenon filters select
    registrations, and the rest of the region ("Wat zie ik nog niet?") leaves one
    municipality out; no cell holds those combinations (docs/design/insight.md). Every
    view of a closed period is the one kept as published (lens.picture.kept), counted over
    the registrations as they stood at the closing."""
    found = kept.kept(scope, filters, lambda at: recounted(scope, filters, catalogue, at))
    if found is not None:
        return found
    if cells.answers(filters):
        pending.catch_up()  # every committed write counted before the cells are read
        return cells.picture(scope, filters, catalogue)
    return recounted(scope, filters, catalogue)


def logged_picture(
    actor,
    scope: Scope,
    filters: Filters,
    catalogue: Catalogue,
    export: str = "",
    query: str = "",
) -> Picture:
    """The picture, with an access-log entry of what the analist asked for (log_query).

    The picture is computed first and the entry written after it in a short transaction of
    its own: the picture reads only counts, and computing it inside the log's write
    transaction held SQLite's write lock for the whole computation (an outside load test
    got "database is locked" on other pages). If the entry cannot be written, the figures
    are not returned."""
    found = picture(scope, filters, catalogue)
    log_query(actor, scope, filters, export=export, query=query)
    return found


def log_query(
    actor,
    scope: Scope,
    filters: Filters,
    *,
    export: str = "",
    query: str = "",
    refused: bool = False,
) -> None:
    """The access-log entry of one query of the picture: no person is read, but a series
    of narrow views is how one would try to find one, so each query leaves its trace (who,
    when, which filters; `query`, the request's own query string, also when a value was
    refused). An export (its format in `export`: the page's downloads and report, `lens
    picture export`) is logged as one; a download `refused` for a filter value the picture
    does not know (nothing left the system) as a read, saying so, with what was asked."""
    asked = " ".join(
        f"{name}={value}"
        for name, value in (
            ("gebied", filters.area or scope.municipality or scope.region),
            ("periode", filters.period.code),
            ("type", filters.organisation_type),
            ("indicator", filters.indicator),
            ("leefgebied", filters.life_domain),
            ("fenomeen", filters.phenomenon),
        )
        if value
    )
    if query:
        asked += f" (gevraagd: {query})"
    if export:
        what = f"lokaal beeld export {export}{' geweigerd' if refused else ''}: "
    else:
        what = "lokaal beeld: "
    with transaction.atomic():
        log.record(
            actor,
            Action.EXPORT if export and not refused else Action.READ,
            object_type="local_picture",
            object_id=(filters.area or scope.municipality or scope.region)[:64],
            purpose=what + asked[:450],
        )
