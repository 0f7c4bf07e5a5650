"""The landing page after logging in. Included at welkom/ (i18n): /welkom/, /en/welkom/.

Every name here must be in lens.access.routes.ROUTES (tests/registry/test_routes.py).
"""

from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
]
