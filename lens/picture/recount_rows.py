"""The rows the local picture is recounted from (lens.picture.recount): the current
registrations of a scope and filters, the stored clusters, and the month of a row.
Split from lens.picture.recount (one query each; no counting here)."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q

from lens.data.coordination import ClusterMember
from lens.data.registry import Registration
from lens.insight.areas import area_region, areas

from .filters import Filters, Scope


def registrations(scope: Scope, filters: Filters, as_of: datetime | None = None):
    """The current registrations in the scope and the filters (a queryset); with `as_of`,
    the registrations as they stood then (Registration.objects.as_of)."""
    codes = [m.code for m in areas().municipalities_in(area_region(scope.region))]
    rows = Registration.objects.current() if as_of is None else Registration.objects.as_of(as_of)
    if scope.municipality:
        rows = rows.filter(municipality_code=scope.municipality)
    else:
        rows = rows.filter(
            Q(municipality_code__in=codes)
            | Q(municipality_code="", organisation__region=scope.region)
        )
    if filters.area.startswith("GM"):
        rows = rows.filter(municipality_code=filters.area)
    elif filters.area:
        rows = rows.filter(wijk_code=filters.area)
    if filters.outside:
        rows = rows.exclude(municipality_code=filters.outside)
    if filters.period.bounds:
        start, end = filters.period.bounds
        rows = rows.filter(observed_on__gte=start, observed_on__lt=end)
    if filters.organisation_type:
        rows = rows.filter(organisation__organisation_type=filters.organisation_type)
    return rows


def clusters(region: str) -> dict[int, int]:
    """Record pk -> cluster id (the smallest pk of its cluster: the stored clusters of
    lens.coordination.clusters, as the maintained cells count them), for the linked
    records of clusters with a record at the region's organisations; one query."""
    here = ClusterMember.objects.filter(person__organisation__region=region)
    return dict(
        ClusterMember.objects.filter(cluster_id__in=here.values("cluster_id")).values_list(
            "person_id", "cluster_id"
        )
    )


def as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value
