"""URLs: the anonymous signal check in Dutch at / and in English at /en/.

The language lives in the URL (i18n_patterns without a prefix for Dutch), so the site
needs no language cookie and a link always opens in the language it was shared in.
"""

import logging

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from lens.access import crypto, matchkeys
from lens.access import log as access_log
from lens.catalogue import services

log = logging.getLogger(__name__)


# csrf_exempt: the probes change nothing, and a POST deserves "405 method not allowed"
# rather than the CSRF middleware's 403.
@csrf_exempt
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe for load balancers and monitoring: the process answers requests."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@csrf_exempt
@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness probe: the keys are configured, the database answers and an active
    catalogue and ruleset are loaded, so the pages can work (200 "ready"); else 503 with
    the reason (which key is missing goes to the server log only). One query, no
    person data, the same for everyone. Rendered from a template through the whole
    middleware stack, it is also the baseline of scripts/bench_pages.py: the least a page
    of this application costs."""
    try:
        # The identity master key, the match key and the access-log key (no query).
        crypto.current_key_id()
        matchkeys.keyed("readiness", "probe")
        access_log.signing_key()
        ready = services.is_loaded()
        reason = "" if ready else "no catalogue loaded (lens catalogue load)"
    except ImproperlyConfigured:
        log.exception("Readiness probe: a key is missing or wrong.")
        ready, reason = False, "keys missing or invalid (README, Configuration)"
    except DatabaseError:
        log.exception("Readiness probe: the database does not answer.")
        ready, reason = False, "database unavailable"
    return render(
        request,
        "readyz.txt",
        {"ready": ready, "reason": reason},
        content_type="text/plain; charset=utf-8",
        status=200 if ready else 503,
    )


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    # The API speaks JSON with English field names; it has no language prefix.
    path("api/v1/", include("lens.api.urls")),
    *i18n_patterns(
        path("accounts/", include("lens.accounts.urls")),
        path("registratie/", include("lens.registry.urls")),
        path("casussen/", include("lens.cases.urls")),
        path("inzageverzoek/", include("lens.retention.urls")),
        path("regie/", include("lens.coordination.urls")),
        path("lokaal-beeld/", include("lens.picture.urls")),
        path("welkom/", include("lens.core.urls")),
        path("beheer/", include("lens.core.beheer_urls")),
        # The privacy and accessibility statements, linked from every page's footer.
        path("", include("lens.core.statement_urls")),
        path("", include("lens.check.urls")),
        prefix_default_language=False,
    ),
]
