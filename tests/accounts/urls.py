"""URLs for the accounts tests: the accounts pages as lens/urls.py includes them, the
signal check (base.html links to it) and a stand-in for the page behind the login."""

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
    path("persons/", include(([path("", protected, name="persons")], "registry"))),
    prefix_default_language=False,
)
