"""URLs: the anonymous signal check in Dutch at / and in English at /en/.

The language lives in the URL (i18n_patterns without a prefix for Dutch), so the site
needs no language cookie and a link always opens in the language it was shared in.
"""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe for load balancers and monitoring: the process answers requests."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The API speaks JSON with English field names; it has no language prefix.
    path("api/v1/", include("lens.api.urls")),
    *i18n_patterns(
        path("accounts/", include("lens.accounts.urls")),
        path("registratie/", include("lens.registry.urls")),
        path("regie/", include("lens.coordination.urls")),
        path("welkom/", include("lens.core.urls")),
        path("beheer/", include("lens.core.beheer_urls")),
        path("", include("lens.check.urls")),
        prefix_default_language=False,
    ),
]
