"""The region's need-to-know scope, contributed to the access policy (lens.access.scopes):
the records of the organisations in the region whose latest combined level is at least
COORDINATION_LEVEL, or in a cluster with a record an organisation referred."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lens.coordination import clusters
from lens.coordination.combined import COORDINATION_LEVEL
from lens.data.coordination import CombinedOutcome, Referral
from lens.data.registry import Person


class RegionScope:
    def persons(self, region: str) -> QuerySet[Person]:
        in_region = Person.objects.filter(organisation__region=region)
        # One query with the rest: the clusters of the referred records, a recursive CTE.
        referred = clusters.reach(
            Referral.objects.filter(person__organisation__region=region).values("person_id")
        )
        return in_region.annotate(
            combined_level=CombinedOutcome.objects.latest_value("level")
        ).filter(Q(combined_level__gte=COORDINATION_LEVEL) | Q(pk__in=referred))

    def cluster_of(self, person: Person, *, region: str) -> list[Person]:
        return clusters.cluster_of(person, region=region)
