"""The blind spots stored beside each outcome (PersonOutcome.blind_spots) are the count of
leefgebieden without information in that outcome, and the person list shows them."""

import re

import pytest

from lens.data import queries
from lens.data.registry import PersonOutcome, Role

from . import factories
from .test_views import url

pytestmark = pytest.mark.django_db


def test_each_stored_outcome_counts_its_life_domains_without_information(world, catalogue):
    actor = world.actor(Role.PROFESSIONAL)
    person = factories.person(actor)
    few = [s.code for s in catalogue.signals.values() if not s.acute][:1]
    many = {}
    for signal in catalogue.signals.values():  # one signal in each leefgebied
        if not signal.acute:
            many.setdefault(signal.life_domains[0], signal.code)
    factories.registration(actor, person, signals=few)
    factories.registration(actor, person, signals=list(many.values()))
    outcomes = list(PersonOutcome.objects.filter(person=person).order_by("pk"))
    counts = [o.blind_spots for o in outcomes]
    assert counts == [queries.blind_spot_count(o) for o in outcomes]
    assert counts[0] > counts[-1], "more leefgebieden seen leaves fewer blind spots"


def test_the_list_shows_the_stored_count(world, login):
    professional = login(world.members[Role.PROFESSIONAL])
    outcome = world.own_person.outcomes.latest()
    PersonOutcome.objects.filter(pk=outcome.pk).update(blind_spots=3)
    assert blind_spot_cell(professional) == "3"
    PersonOutcome.objects.filter(pk=outcome.pk).update(blind_spots=1)
    assert blind_spot_cell(professional) == "1"


def blind_spot_cell(client) -> str:
    page = client.get(url("registry:persons")).content.decode()
    cells = re.findall(r'numeric-data">([^<]*)</td>', page)
    assert len(cells) == 1, "one person in the list"
    return cells[0].strip()
