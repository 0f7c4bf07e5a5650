"""The registry pages. Included at registratie/ inside i18n_patterns (lens/urls.py), so
Dutch at /registratie/... and English at /en/registratie/...; the paths stay Dutch in
both languages (they are not translated: a pseudonym's URL reads the same to everyone).

Every name here must be in lens.access.routes.ROUTES (tests/registry/test_routes.py).
"""

from django.urls import path

from . import views, views_across, views_search

app_name = "registry"

urlpatterns = [
    path("", views.persons, name="persons"),
    path("nieuw/", views.register, name="register"),
    # Before "<str:pseudonym>/": "verzoeken" and "zoeken" are not pseudonyms.
    path("zoeken/", views_search.search_persons, name="search"),
    path("verzoeken/", views_across.requests, name="requests"),
    path("verzoeken/<int:request_id>/", views_across.request, name="request"),
    path("<str:pseudonym>/", views.person, name="person"),
    path("<str:pseudonym>/signalen/", views.register_more, name="register_more"),
    path(
        "<str:pseudonym>/registraties/<int:registration_id>/corrigeren/",
        views.correct,
        name="correct",
    ),
    path(
        "<str:pseudonym>/registraties/<int:registration_id>/intrekken/",
        views.withdraw,
        name="withdraw",
    ),
    path("<str:pseudonym>/informeren/", views.informed, name="informed"),
    path("<str:pseudonym>/kenmerk/", views_search.reference, name="reference"),
    path("<str:pseudonym>/identiteit/", views.reveal, name="reveal"),
    path("<str:pseudonym>/ingezien/", views.access_log, name="access_log"),
    path("<str:pseudonym>/ingezien.csv", views.access_log_csv, name="access_log_csv"),
    path("<str:pseudonym>/zorgcoordinator/", views_across.refer, name="refer"),
    path("<str:pseudonym>/relaties/nieuw/", views_across.relation_new, name="relation_new"),
    path(
        "<str:pseudonym>/relaties/<int:relation_id>/beeindigen/",
        views_across.relation_end,
        name="relation_end",
    ),
]
