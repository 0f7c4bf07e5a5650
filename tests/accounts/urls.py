"""URLs for the accounts tests: the accounts pages as lens/urls.py includes them, the
signal check (base.html links to it), the landing page after login (lens.core) and
stand-ins for the registry's pages behind it (the main menu links to two of them)."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import include, path

from lens.accounts.decorators import membership_required


@membership_required
def protected(request):
    membership = request.membership
    return HttpResponse(f"protected page for {membership.role} {membership.pk}")


urlpatterns = i18n_patterns(
    path("", include("lens.check.urls")),
    path("accounts/", include("lens.accounts.urls")),
    path("welkom/", include("lens.core.urls")),
    path(
        "persons/",
        include(
            (
                [
                    path("", protected, name="persons"),
                    path("new/", protected, name="register"),
                ],
                "registry",
            )
        ),
    ),
    prefix_default_language=False,
)
