"""The region's need-to-know scope, contributed to the access policy (lens.access.scopes):
the records of the organisations in the region whose cluster's combined level in the
region is at least COORDINATION_LEVEL, or whose cluster holds a record an organisation of
the region referred. One query, on the stored cluster id (ClusterMember) and the one
stored combined outcome per cluster and region: no walk over the links."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lens.coordination import clusters
from lens.coordination.combined import COORDINATION_LEVEL
from lens.data.coordination import CombinedOutcome, Referral, cluster_key
from lens.data.registry import Person


class RegionScope:
    def persons(self, region: str) -> QuerySet[Person]:
        """Annotated with `cluster_key` and `combined_level` (for the lists)."""
        high = CombinedOutcome.objects.filter(region=region, level__gte=COORDINATION_LEVEL)
        referred = (
            Referral.objects.filter(person__organisation__region=region)
            .annotate(key=cluster_key("person__"))
            .values("key")
        )
        return (
            Person.objects.filter(organisation__region=region)
            .annotate(
                cluster_key=cluster_key(),
                combined_level=CombinedOutcome.objects.latest_value("level"),
            )
            .filter(Q(cluster_key__in=high.values("cluster_id")) | Q(cluster_key__in=referred))
        )

    def cluster_of(self, person: Person, *, region: str) -> list[Person]:
        return clusters.cluster_of(person, region=region)
