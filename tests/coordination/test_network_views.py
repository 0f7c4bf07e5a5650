"""The zorgcoördinator's network page, and recording and ending relations
(lens.coordination.views.network and .relations).

A suspected recruiter with three young persons, all referred to the zorgcoördinator (so
in their view): one network, three edges with arrows in the drawing and three rows in
the table. A relation with a person outside the view is not shown at all; recording a
relation with such a person is refused as if the pseudonym did not exist.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from lens.access.models import Action
from lens.coordination import actions
from lens.coordination.views import network as views
from lens.coordination.views import relations as relation_views
from lens.data.coordination import PersonRelation, RelationEndReason, RelationKind
from lens.data.registry import Person
from tests.coordination import linkworld
from tests.coordination.linkworld import (
    in_dutch,
    last_log_id,
    log_since,
    url,
)
from tests.registry import conftest as registry
from tests.registry import factories

# Fixtures from elsewhere, bound here so that pytest finds them for this module.
active = registry.active
catalogue_files = registry.catalogue_files
login = registry.login
links_world = linkworld.links_world

pytestmark = pytest.mark.django_db


def referred(world, who: str = "school") -> Person:
    """A person registered at `who`'s organisation and referred to the zorgcoördinator."""
    by = world.actor(who)
    person = factories.person(by)
    actions.refer(by, person, "Zorgen, graag meekijken.")
    return person


class Star:
    def __init__(self, world):
        school = world.actor("school")
        self.recruiter = referred(world)
        self.young = [referred(world) for _ in range(3)]
        self.isolated = referred(world)  # in view, no relation
        self.outside = factories.person(school)  # not referred, level 0: not in view
        self.relations = [
            actions.record_relation(
                school, self.recruiter, self.young[0], RelationKind.SUSPECTED_RECRUITER
            ),
            actions.record_relation(
                school, self.recruiter, self.young[1], RelationKind.SUSPECTED_RECRUITER
            ),
            actions.record_relation(
                world.actor("zc"),
                self.recruiter,
                self.young[2],
                RelationKind.SUSPECTED_RECRUITER,
                "Samen aangetroffen bij het station.",
            ),
        ]
        self.outside_relation = actions.record_relation(
            school, self.recruiter, self.outside, RelationKind.FAMILY
        )

    @property
    def shown(self) -> list[Person]:
        return [self.recruiter, *self.young]


@pytest.fixture
def star(links_world) -> Star:
    return Star(links_world)


@pytest.fixture
def zc(links_world, login):
    return login(links_world.members["zc"])


def svg_parts(html: str) -> list[str]:
    return re.findall(r"<svg.*?</svg>", html, flags=re.S)


# --- the network ---------------------------------------------------------------------------


def test_a_recruiter_with_three_young_persons_is_one_network(zc, star, links_world):
    since = last_log_id()
    response = zc.get(url("coordination:network"))
    assert response.status_code == 200
    html = response.content.decode()
    drawings = svg_parts(html)
    assert len(drawings) == 1
    svg = drawings[0]
    assert svg.count('class="lens-network__edge"') == 3
    assert svg.count("marker-end=") == 3 and "marker-start=" not in svg
    assert svg.count('class="lens-network__node"') == 4
    # Accessible: an image with a title and a description; the level as text.
    assert 'role="img"' in svg
    labelled = re.search(r'aria-labelledby="([^"]+) ([^"]+)"', svg)
    assert labelled
    assert f'<title id="{labelled.group(1)}">' in svg
    assert f'<desc id="{labelled.group(2)}">' in svg
    assert escape(in_dutch(views._level_text, None)) in svg
    for person in star.shown:
        assert person.pseudonym in svg
    # The table alternative: every relation, from -> to, who recorded it.
    rows = re.findall(r'<tr class="utrecht-table__row lens-network__relation">.*?</tr>', html, re.S)
    assert len(rows) == 3
    recruiter_label = escape(in_dutch(lambda: RelationKind.SUSPECTED_RECRUITER.label))
    for row, young in zip(rows, star.young, strict=True):
        assert row.index(star.recruiter.pseudonym) < row.index(young.pseudonym)
        assert recruiter_label in row
    assert escape(links_world.school.name) in rows[0]
    assert escape(in_dutch(lambda: views._recorded_by(star.relations[2]))) in rows[2]
    assert "Samen aangetroffen bij het station." in rows[2]
    # Nothing of the person outside the view, and the isolated person only counted.
    assert star.outside.pseudonym not in html
    assert star.isolated.pseudonym not in html
    assert response.context["isolated"] == 1
    # The recruiter (the node with most relations) is drawn in the centre.
    network = response.context["networks"][0]
    centre = next(n for n in network["nodes"] if star.recruiter in n["members"])
    assert float(centre["x"]) == network["width"] / 2
    # A LIST entry for every record shown, and none for the others.
    logged = log_since(since)
    assert sorted(e.person_id for e in logged) == sorted(p.pk for p in star.shown)
    assert {(e.action, e.purpose) for e in logged} == {(Action.LIST, views.PURPOSE_NETWORK)}


def test_the_arrow_points_at_the_young_person_whoever_was_registered_first(zc, links_world):
    young = referred(links_world)
    recruiter = referred(links_world)  # registered later: drawn from the other end
    actions.record_relation(
        links_world.actor("school"), recruiter, young, RelationKind.SUSPECTED_RECRUITER
    )
    svg = svg_parts(zc.get(url("coordination:network")).content.decode())[0]
    assert "marker-start=" in svg and "marker-end=" not in svg
    edge = zc.get(url("coordination:network")).context["networks"][0]["edges"][0]
    assert (edge["arrow_start"], edge["arrow_end"]) == (True, False)


def test_linked_records_are_one_node(zc, star, links_world):
    # The first young person is known at youth care too (the same BSN is not needed: the
    # same names and birth date link them at once).
    from lens.access.crypto import open_identity
    from lens.access.rotation import sealed_of

    young = star.young[0]
    identity = open_identity(sealed_of(young), young.pseudonym.encode())
    at_youth_care = factories.person(
        links_world.actor("youth_care"),
        given_names=identity.given_names,
        family_name=identity.family_name,
        birth_date=identity.birth_date,
    )
    response = zc.get(url("coordination:network"))
    svg = svg_parts(response.content.decode())[0]
    assert svg.count('class="lens-network__node"') == 4
    assert at_youth_care.pseudonym in svg and young.pseudonym in svg


def test_ended_relations_and_other_regions_are_not_shown(zc, star, links_world, login):
    actions.end_relation(
        links_world.actor("zc"), star.relations[0], RelationEndReason.RECORDED_IN_ERROR
    )
    html = zc.get(url("coordination:network")).content.decode()
    svg = svg_parts(html)[0]
    assert svg.count('class="lens-network__edge"') == 2
    assert star.young[0].pseudonym not in html
    other = login(links_world.members["zc_other"])
    since = last_log_id()
    html = other.get(url("coordination:network")).content.decode()
    assert not svg_parts(html)
    for person in [*star.shown, star.outside]:
        assert person.pseudonym not in html
    assert not log_since(since).exists()


def test_no_relations_no_drawing(zc, links_world):
    referred(links_world)
    response = zc.get(url("coordination:network"))
    assert response.status_code == 200
    assert not svg_parts(response.content.decode())
    assert response.context["isolated"] == 1


# --- recording a relation -------------------------------------------------------------------


def test_the_relation_form_reads_the_person(zc, star):
    since = last_log_id()
    response = zc.get(url("coordination:relation_new", pseudonym=star.isolated.pseudonym))
    assert response.status_code == 200
    html = response.content.decode()
    for kind in RelationKind.values:
        assert f'value="{kind}"' in html
    assert 'name="other"' in html and 'name="note"' in html
    assert [(e.person_id, e.action, e.purpose) for e in log_since(since)] == [
        (star.isolated.pk, Action.READ, relation_views.PURPOSE_RELATION_FORM)
    ]


def test_recording_a_relation(zc, star, links_world):
    since = last_log_id()
    response = zc.post(
        url("coordination:relation_new", pseudonym=star.isolated.pseudonym),
        {"other": star.young[1].pseudonym.lower(), "kind": "same_address", "note": "Zelfde adres."},
    )
    assert response.status_code == 302
    assert response["Location"] == url("coordination:picture", pseudonym=star.isolated.pseudonym)
    relation = PersonRelation.objects.get(person_a=star.isolated)
    assert relation.person_b == star.young[1]
    assert relation.kind == RelationKind.SAME_ADDRESS and relation.note == "Zelfde adres."
    assert relation.recorded_by == links_world.members["zc"].user
    assert relation.recorded_by_organisation is None
    logged = log_since(since)
    assert sorted(e.person_id for e in logged) == sorted([star.isolated.pk, star.young[1].pk])
    assert {e.action for e in logged} == {Action.CHANGE}
    # Now in the network, which is one of five persons.
    network = zc.get(url("coordination:network")).context["networks"][0]
    assert network["persons"] == 5


def test_recording_the_same_relation_again_is_refused(zc, star):
    target = url("coordination:relation_new", pseudonym=star.isolated.pseudonym)
    data = {"other": star.young[1].pseudonym, "kind": "same_address", "note": "Zelfde adres."}
    assert zc.post(target, data).status_code == 302
    before = (PersonRelation.objects.count(), last_log_id())
    for _ in range(2):
        again = zc.post(target, data)
        assert again.status_code == 400
        assert "Deze relatie is al vastgelegd." in again.content.decode()
    # The same relation seen from the other record.
    back = url("coordination:relation_new", pseudonym=star.young[1].pseudonym)
    other_way = zc.post(back, {"other": star.isolated.pseudonym, "kind": "same_address"})
    assert other_way.status_code == 400
    assert (PersonRelation.objects.count(), last_log_id()) == before


def other_error(response) -> str:
    html = response.content.decode()
    found = re.search(r'<p class="[^"]*" id="id_other_error">(.*?)</p>', html, re.S)
    assert found, "no error at the field"
    return found.group(1).strip()


def test_a_person_outside_the_view_is_refused_as_unknown(zc, star):
    target = url("coordination:relation_new", pseudonym=star.recruiter.pseudonym)
    before = (PersonRelation.objects.count(), last_log_id())
    outside = zc.post(target, {"other": star.outside.pseudonym, "kind": "family"})
    assert outside.status_code == 400
    unknown = zc.post(target, {"other": "P-ZZZZ", "kind": "family"})
    assert unknown.status_code == 400
    malformed = zc.post(target, {"other": "iemand", "kind": "family"})
    assert malformed.status_code == 400
    # The same answer whether the pseudonym exists elsewhere or not at all.
    assert other_error(outside) == other_error(unknown) == other_error(malformed)
    assert 'id="error-summary"' in outside.content.decode()
    assert (PersonRelation.objects.count(), last_log_id()) == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"other": "", "kind": "family"}, "other"),
        ({"other": "SELF", "kind": "family"}, "other"),
        ({"other": "YOUNG", "kind": ""}, "kind"),
        ({"other": "YOUNG", "kind": "enemy"}, "kind"),
        ({"other": "YOUNG", "kind": "family", "note": "x" * 501}, "note"),
    ],
)
def test_bad_input_is_a_400_and_writes_nothing(zc, star, data, field):
    names = {"SELF": star.recruiter.pseudonym, "YOUNG": star.young[0].pseudonym}
    data = {key: names.get(value, value) for key, value in data.items()}
    before = (PersonRelation.objects.count(), last_log_id())
    response = zc.post(url("coordination:relation_new", pseudonym=star.recruiter.pseudonym), data)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert (PersonRelation.objects.count(), last_log_id()) == before


def test_recording_for_a_person_outside_the_view_is_a_404(zc, star):
    target = url("coordination:relation_new", pseudonym=star.outside.pseudonym)
    since = last_log_id()
    assert zc.get(target).status_code == 404
    data = {"other": star.recruiter.pseudonym, "kind": "family"}
    assert zc.post(target, data).status_code == 404
    assert not log_since(since).exists()


# --- ending a relation ----------------------------------------------------------------------


def test_ending_a_relation_asks_why(zc, star):
    relation = star.relations[1]
    target = url("coordination:relation_end", relation_id=relation.pk)
    # The form reads the relation: a READ on both its records.
    since = last_log_id()
    form = zc.get(target)
    assert form.status_code == 200
    html = form.content.decode()
    assert star.recruiter.pseudonym in html and star.young[1].pseudonym in html
    for reason in RelationEndReason:
        assert f'value="{reason.value}"' in html
    logged = log_since(since)
    assert {e.person_id for e in logged} == {star.recruiter.pk, star.young[1].pk}
    assert {(e.action, e.object_type, e.purpose) for e in logged} == {
        (Action.READ, "relation", relation_views.PURPOSE_RELATION_END_FORM)
    }
    # No reason, an unknown one, or "another reason" without a text: 400, nothing ended.
    for data in ({}, {"reason": "bored"}, {"reason": RelationEndReason.OTHER, "note": " "}):
        since = last_log_id()
        refused = zc.post(target, data)
        assert refused.status_code == 400, data
        assert star.recruiter.pseudonym not in refused.content.decode()  # no read logged
        assert not log_since(since).exists()
    relation.refresh_from_db()
    assert relation.ended_at is None
    response = zc.post(target, {"reason": RelationEndReason.OTHER, "note": "Verhuisd naar elders."})
    assert response.status_code == 302
    assert response["Location"] == url("coordination:network")
    relation.refresh_from_db()
    assert relation.ended_at is not None
    assert (relation.end_reason, relation.end_note) == ("other", "Verhuisd naar elders.")
    # Ending it again changes nothing and says so.
    ended_at = relation.ended_at
    again = zc.post(target, {"reason": RelationEndReason.RECORDED_IN_ERROR})
    assert again.status_code == 400
    relation.refresh_from_db()
    assert (relation.ended_at, relation.end_reason) == (ended_at, "other")


def test_the_network_links_to_the_end_form(zc, star):
    html = zc.get(url("coordination:network")).content.decode()
    for relation in star.relations:
        assert url("coordination:relation_end", relation_id=relation.pk) in html


def test_ending_a_relation_outside_the_view_is_a_404(zc, star):
    since = last_log_id()
    for relation_id in (star.outside_relation.pk, 987654):
        target = url("coordination:relation_end", relation_id=relation_id)
        assert zc.get(target).status_code == 404
        data = {"reason": RelationEndReason.RECORDED_IN_ERROR}
        assert zc.post(target, data).status_code == 404
    star.outside_relation.refresh_from_db()
    assert star.outside_relation.ended_at is None
    assert not log_since(since).exists()


# --- who may -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["school", "af", "analist", "beheerder"])
def test_other_roles_are_refused(links_world, login, star, who):
    client = login(links_world.members[who])
    since = last_log_id()
    assert client.get(url("coordination:network")).status_code == 403
    form = url("coordination:relation_new", pseudonym=star.recruiter.pseudonym)
    assert client.get(form).status_code == 403
    data = {"other": star.isolated.pseudonym, "kind": "family"}
    assert client.post(form, data).status_code == 403
    end = url("coordination:relation_end", relation_id=star.relations[0].pk)
    assert client.get(end).status_code == 403
    assert client.post(end, {"reason": RelationEndReason.RECORDED_IN_ERROR}).status_code == 403
    assert not log_since(since).exists()
    assert PersonRelation.objects.filter(ended_at__isnull=True).count() == 4


def test_anonymous_goes_to_the_login_page(client, star):
    login_url = reverse(settings.LOGIN_URL)
    for response in (
        client.get(url("coordination:network")),
        client.get(url("coordination:relation_new", pseudonym=star.recruiter.pseudonym)),
        client.get(url("coordination:relation_end", relation_id=star.relations[0].pk)),
        client.post(url("coordination:relation_end", relation_id=star.relations[0].pk)),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(login_url)
