"""The analist's local picture, at lokaal-beeld/ inside i18n_patterns (lens/urls.py).

Every name here must be in lens.access.routes.ROUTES (tests/registry/test_routes.py).
"""

from django.urls import path

from . import views

app_name = "picture"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("download.<str:format>", views.download, name="download"),
    path("rapport.pdf", views.report, name="report"),
]
