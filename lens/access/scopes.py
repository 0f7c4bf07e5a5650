"""Scopes that domain apps contribute to the one access policy.

The policy (lens.access.policy) decides who may do what with which record. Which records
lie in a region's need-to-know scope depends on coordination's clusters and combined
outcomes, and those build on the policy. So coordination contributes that scope here
when Django starts (lens.coordination.apps) instead of being imported by the policy; an
app to come (casework) contributes its own the same way. Without a contributed scope the
policy refuses: no scope means no records, never all of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from lens.data.registry import Person


class RegionScope(Protocol):
    def persons(self, region: str) -> QuerySet[Person]:
        """The records a zorgcoördinator of `region` may see (their need to know)."""
        ...

    def cluster_of(self, person: Person, *, region: str) -> list[Person]:
        """`person` and the records of `region` linked to it (the combined picture)."""
        ...


_region_scope: RegionScope | None = None


def contribute_region_scope(scope: RegionScope) -> None:
    global _region_scope
    _region_scope = scope


def region_scope() -> RegionScope:
    if _region_scope is None:
        raise ImproperlyConfigured(
            "No region scope contributed: lens.coordination must be in INSTALLED_APPS."
        )
    return _region_scope
