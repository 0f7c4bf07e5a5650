"""The person's rights under the AVG, at inzageverzoek/ inside i18n_patterns (lens/urls.py).
Every name here must be in lens.access.routes.ROUTES (tests/registry/test_routes.py)."""

from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("<str:pseudonym>/", views.access_request_view, name="access_request"),
]
