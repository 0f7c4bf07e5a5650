"""The beheerder's pages. Included at beheer/ (i18n).

Every name here must be in lens.access.routes.ROUTES (tests/registry/test_routes.py).
"""

from django.urls import path

from . import beheer

app_name = "beheer"

urlpatterns = [
    path("audit/", beheer.audit, name="audit"),
]
