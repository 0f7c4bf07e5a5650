"""The landing page after logging in (settings.LOGIN_REDIRECT_URL).

Professionals and aandachtsfunctionarissen work in the registry, so they go straight to
their organisation's persons; the zorgcoördinator goes to the work list of their region
(lens.coordination). The analist and the beheerder get a page that says what this
application offers them today and what is still to come: no features that do not
exist, and no person data (neither role may see any, see lens.access.policy).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lens.access.routes import protected
from lens.catalogue.services import region_label
from lens.data.registry import Role

# Roles whose work is the registry: their landing page is the list of persons.
REGISTRY_ROLES = frozenset({Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS})


@protected
@never_cache
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    if membership.role in REGISTRY_ROLES:
        return redirect("registry:persons")
    if membership.role == Role.ZORGCOORDINATOR:
        return redirect("coordination:worklist")
    return render(
        request,
        "core/home.html",
        {
            "membership": membership,
            "role": str(membership.role),
            "region": region_label(membership.region, translation.get_language() or "nl"),
        },
    )
