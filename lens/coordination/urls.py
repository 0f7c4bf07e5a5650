"""The zorgcoördinator's pages, at regie/ inside i18n_patterns (lens/urls.py).

Every name here must be in lens.access.routes.ROUTES (tests/registry/test_routes.py).
"""

from django.urls import path

from .views import links, network, picture, relations, worklist

app_name = "coordination"

urlpatterns = [
    path("", worklist.worklist, name="worklist"),
    path("werk/afgehandeld/", worklist.work_done, name="work_done"),
    path("personen/", picture.persons, name="persons"),
    path("personen/<str:pseudonym>/", picture.picture, name="picture"),
    path("personen/<str:pseudonym>/regie/", picture.lead, name="lead"),
    path("personen/<str:pseudonym>/vragen/", picture.ask, name="ask"),
    path("personen/<str:pseudonym>/relaties/nieuw/", relations.relation_new, name="relation_new"),
    path("relaties/<int:relation_id>/beeindigen/", relations.relation_end, name="relation_end"),
    path("koppelingen/", links.links, name="links"),
    path("koppelingen/<int:link_id>/", links.link, name="link"),
    path("koppelingen/<int:link_id>/identiteiten/", links.link_reveal, name="link_reveal"),
    path("netwerk/", network.network, name="network"),
]
