"""The public statements, included at the root (i18n): /privacy/ and /toegankelijkheid/,
in English /en/privacy/ and /en/accessibility/.

Every name here must be in lens.access.routes.ROUTES (tests/registry/test_routes.py).
"""

from django.urls import path
from django.utils.translation import pgettext_lazy

from . import statements

app_name = "statements"

urlpatterns = [
    path("privacy/", statements.privacy, name="privacy"),
    path(
        pgettext_lazy("URL path", "accessibility/"), statements.accessibility, name="accessibility"
    ),
]
