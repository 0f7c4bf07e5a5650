"""Who is acting: a user in one of their memberships, or an organisation's API client.

The access policy and the access log both take an Actor, so the web pages and the API
are judged and logged the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lens.data.registry import Role

if TYPE_CHECKING:
    from django.http import HttpRequest

    from lens.data.registry import Membership, Organisation


@dataclass(frozen=True)
class Actor:
    user: Any | None  # django.contrib.auth user; None for an API client
    membership: Membership | None
    ip_address: str | None = None
    user_agent: str = ""
    api_client: Any | None = None  # lens.api.models.ApiClient
    # What is computed once per actor (per request): see `once`.
    _once: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def once[T](self, key: str, build: Callable[[], T]) -> T:
        """`build()` the first time, the same object after (the region scope, which
        every check of a request needs)."""
        if key not in self._once:
            self._once[key] = build()
        return self._once[key]

    @property
    def role(self) -> str:
        if self.api_client is not None:
            return Role.PROFESSIONAL  # an API client acts for its organisation's handlers
        return self.membership.role if self.membership else ""

    @property
    def organisation(self) -> Organisation | None:
        if self.api_client is not None:
            return self.api_client.organisation
        return self.membership.organisation if self.membership else None

    @property
    def organisation_id(self) -> int | None:
        organisation = self.organisation
        return organisation.pk if organisation else None

    @property
    def region(self) -> str:
        if self.membership and self.membership.region:
            return self.membership.region
        organisation = self.organisation
        return organisation.region if organisation else ""

    def author(self):
        """The user a write is attributed to (an API client writes as its service user)."""
        user = self.user or getattr(self.api_client, "user", None)
        if user is None:
            raise ValueError("a write needs a user to attribute it to")
        return user

    @property
    def username(self) -> str:
        if self.api_client is not None:
            return f"api:{self.api_client.name}"
        return self.user.get_username() if self.user else ""


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the server saw it (a proxy must set REMOTE_ADDR right)."""
    return request.META.get("REMOTE_ADDR") or None


def actor_from_request(request: HttpRequest) -> Actor:
    """The acting user and their active membership (set by lens.accounts middleware)."""
    api_client = getattr(request, "api_client", None)
    user = getattr(request, "user", None)
    return Actor(
        user=user if user is not None and user.is_authenticated else None,
        membership=getattr(request, "membership", None),
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
        api_client=api_client,
    )
