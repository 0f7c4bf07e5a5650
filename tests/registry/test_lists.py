"""lens.web.lists: the choices above a list come from the URL by whitelisted values, and
the page links keep the other choices."""

import re

import pytest
from django.test import RequestFactory

from lens.data.registry import Role
from lens.web import lists

from . import factories
from .test_views import text, url

OPTIONS = [("nieuw", "Nieuwste eerst"), ("niveau", "Hoogste niveau eerst")]


def test_a_control_takes_a_known_value_and_falls_back_on_the_first():
    factory = RequestFactory()
    asked = lists.control(factory.get("/", {"sorteer": "niveau"}), "sorteer", "Sorteer", OPTIONS)
    assert asked.chosen == "niveau" and asked.field_id == "id_sorteer"
    for query in ({}, {"sorteer": "<script>"}, {"sorteer": ""}):
        assert (
            lists.control(factory.get("/", query), "sorteer", "Sorteer", OPTIONS).chosen == "nieuw"
        )


def test_page_of_reads_the_page_number_and_the_shared_size(monkeypatch):
    monkeypatch.setattr("lens.web.pages.PAGE_SIZE", 3)
    factory = RequestFactory()
    rows = list(range(10))
    assert list(lists.page_of(factory.get("/", {"pagina": "2"}), rows).object_list) == [3, 4, 5]
    assert lists.page_of(factory.get("/", {"pagina": "x"}), rows).number == 1
    assert lists.page_of(factory.get("/", {"pagina": "99"}), rows).number == 4
    assert len(lists.page_of(factory.get("/"), rows, size=5).object_list) == 5


@pytest.mark.django_db
def test_the_next_page_link_keeps_the_filter(login, world, monkeypatch):
    professional = login(world.members[Role.PROFESSIONAL])
    monkeypatch.setattr("lens.web.pages.PAGE_SIZE", 1)
    actor = world.actor(Role.PROFESSIONAL)
    for _ in range(2):
        factories.registration(actor, factories.person(actor))
    level = str(world.own_person.outcomes.latest().level)
    page = professional.get(url("registry:persons"), {"niveau": level}).content.decode()
    links = re.findall(r'rel="next" href="([^"]+)"', page)
    assert links and f"niveau={level}" in links[0] and "pagina=2" in links[0]
    assert "Pagina 1 van" in text(professional.get(url("registry:persons"), {"niveau": level}))
