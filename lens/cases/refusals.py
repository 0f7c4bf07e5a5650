"""The page for a colleague who may read a case but not act on it (the access policy's
`NotTheHandler`: only the case's handler or the aandachtsfunctionaris takes its steps,
hands it over, marks a late answer read or opens the report with the identity). Still a
403, but one that says why, who handles the case, and how to get it handed over, with a
link back to the case (which they may read). Nothing of the case is read or logged here
beyond its number and its handler's name."""

from __future__ import annotations

from functools import wraps

from django.http import HttpRequest, HttpResponse

from lens.access.policy import NotTheHandler
from lens.web import pages


def explains_not_the_handler(view):
    """Turn the policy's NotTheHandler into the explaining 403 page."""

    @wraps(view)
    def explained(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotTheHandler as refusal:
            return pages.render(
                request, "cases/not_handler.html", {"case": refusal.case}, status=403
            )

    return explained
