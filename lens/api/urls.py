"""The REST API, version 1. Included by lens/urls.py at api/v1/ (outside i18n_patterns:
the API has one language and no language prefix)."""

from django.urls import path, re_path

from lens.api import views
from lens.api.errors import not_found_view

app_name = "api"

urlpatterns = [
    path("persons", views.PersonsView.as_view(), name="persons"),
    path("persons/<str:pseudonym>", views.PersonView.as_view(), name="person"),
    path(
        "persons/<str:pseudonym>/registrations",
        views.RegistrationsView.as_view(),
        name="registrations",
    ),
    path(
        "persons/<str:pseudonym>/registrations/<int:registration_id>/corrections",
        views.CorrectionView.as_view(),
        name="correction",
    ),
    path(
        "persons/<str:pseudonym>/registrations/<int:registration_id>/withdrawal",
        views.WithdrawalView.as_view(),
        name="withdrawal",
    ),
    path("persons/<str:pseudonym>/informed", views.InformedView.as_view(), name="informed"),
    path("persons/<str:pseudonym>/reveal", views.RevealView.as_view(), name="reveal"),
    path("persons/<str:pseudonym>/case/report", views.CaseReportView.as_view(), name="case_report"),
    path("assess", views.AssessView.as_view(), name="assess"),
    # Last: any other path under the API gets a JSON 404, not the site's HTML page.
    re_path(r"^.*$", not_found_view),
]
