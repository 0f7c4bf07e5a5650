"""The zorgcoördinator's pages about possible matches (lens.coordination.views.links):
the list, one link with its decision, and both identities side by side.

A possible match: the same made-up child registered at a school as "Janssen" and at
youth care as "Jansen" (same given name and birth date, no BSN). Only the region's
zorgcoördinator sees it; every record shown is logged; a decision is kept, can be
undone, and changes the combined outcome; the names show only on the response to a
reveal with a purpose, logged for both records.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from lens.access.models import AccessLogEntry, Action
from lens.coordination import combined
from lens.coordination.views import link_rows
from lens.coordination.views import links as views
from lens.data import pseudonyms
from lens.data.coordination import (
    LinkBasis,
    LinkDecision,
    LinkDecisionKind,
    LinkState,
    PersonLink,
)
from lens.data.registry import Role
from tests.coordination import linkworld
from tests.coordination.linkworld import (
    BORN,
    OTHER_REGION,
    in_dutch,
    last_log_id,
    log_since,
    pair,
    text,
    url,
)
from tests.registry import conftest as registry
from tests.registry import factories
from tests.registry import test_list_notices as notices

# Fixtures from elsewhere, bound here so that pytest finds them for this module.
active = registry.active
catalogue_files = registry.catalogue_files
login = registry.login
links_world = linkworld.links_world

pytestmark = pytest.mark.django_db

SECRET_NOTE = "Contextnotitie-alleen-voor-de-school"


@pytest.fixture
def candidate(links_world):
    a, b, link = pair(links_world)
    factories.registration(
        links_world.actor("school"), a, signals=["truancy"], context_note=SECRET_NOTE
    )
    # Level 1 at each organisation, level 2 once confirmed: then still the
    # zorgcoördinator's (a link that joins records is theirs only in scope).
    factories.registration(
        links_world.actor("youth_care"), b, signals=["new_expensive_clothes", "many_new_contacts"]
    )
    assert (link.basis, link.state) == (LinkBasis.FUZZY, LinkState.CANDIDATE)
    return a, b, link


@pytest.fixture
def zc(links_world, login):
    return login(links_world.members["zc"])


def counts() -> tuple[int, ...]:
    return (
        LinkDecision.objects.count(),
        AccessLogEntry.objects.count(),
        *PersonLink.objects.order_by("pk").values_list("state", flat=True),
    )


def decide(client, link, decision, note="", shown=None):
    """Send a decision from the link's page; `shown`: the state that page showed (by
    default the link's state now: a page just opened)."""
    if shown is None:
        shown = PersonLink.objects.get(pk=link.pk).state
    data = {"decision": decision, "note": note, "shown": shown}
    return client.post(url("coordination:link", link_id=link.pk), data)


# --- the list --------------------------------------------------------------------------------


def test_the_list_shows_the_candidate_to_the_regions_coordinator(zc, candidate):
    a, b, link = candidate
    since = last_log_id()
    response = zc.get(url("coordination:links"))
    assert response.status_code == 200
    html = response.content.decode()
    assert a.pseudonym in html and b.pseudonym in html
    assert escape(a.organisation.name) in html and escape(b.organisation.name) in html
    assert f"{round(link.score * 100)}%" in html
    assert escape(in_dutch(lambda: link_rows.reason_labels()["family_similar"])) in html
    assert escape(in_dutch(lambda: link_rows.reason_labels()["date_same"])) in html
    assert url("coordination:link", link_id=link.pk) in html
    # No names, no signals, no context.
    for secret in ("Janssen", "Jansen", "Mirthe", SECRET_NOTE):
        assert secret not in html
    logged = log_since(since)
    assert {(e.person_id, e.action, e.object_type, e.object_id) for e in logged} == {
        (a.pk, Action.LIST, "link", str(link.pk)),
        (b.pk, Action.LIST, "link", str(link.pk)),
    }
    assert {e.purpose for e in logged} == {views.PURPOSE_LIST}


def test_another_regions_coordinator_sees_nothing(links_world, login, candidate):
    a, b, link = candidate
    client = login(links_world.members["zc_other"])
    since = last_log_id()
    listed = client.get(url("coordination:links"))
    assert listed.status_code == 200
    assert a.pseudonym not in listed.content.decode()
    assert b.pseudonym not in listed.content.decode()
    assert client.get(url("coordination:link", link_id=link.pk)).status_code == 404
    assert decide(client, link, "confirm").status_code == 404
    reveal = url("coordination:link_reveal", link_id=link.pk)
    assert client.get(reveal).status_code == 404
    assert client.post(reveal, {"purpose": "controle"}).status_code == 404
    assert not log_since(since).exists()
    link.refresh_from_db()
    assert link.state == LinkState.CANDIDATE


def test_decided_links_follow_the_open_ones_and_old_decisions_drop_off(zc, links_world):
    first = pair(links_world, given="Mirthe")[2]
    open_one = pair(links_world, given="Liselot", family_a="Bakker", family_b="Baker")[2]
    assert decide(zc, first, "reject").status_code == 302
    html = zc.get(url("coordination:links")).content.decode()
    to_decide = html[html.index('id="candidates-title"') : html.index('id="decided-title"')]
    decided = html[html.index('id="decided-title"') : html.index('id="automatic-title"')]
    assert open_one.person_a.pseudonym in to_decide and first.person_a.pseudonym in decided
    assert open_one.person_a.pseudonym not in decided
    assert first.person_a.pseudonym not in to_decide
    # A decision older than 90 days is no longer listed.
    LinkDecision.objects.filter(link=first).update(
        decided_at=timezone.now() - timedelta(days=views.DECIDED_DAYS + 1)
    )
    html = zc.get(url("coordination:links")).content.decode()
    assert first.person_a.pseudonym not in html
    assert open_one.person_a.pseudonym in html


def test_exact_links_are_listed_as_linked_automatically_and_can_be_rejected(zc, links_world):
    a, b, link = pair(links_world, family_a="Verzonnen", family_b="Verzonnen")
    assert (link.basis, link.state) == (LinkBasis.NAME, LinkState.LINKED)
    # Level 2 combined: in the zorgcoördinator's scope (tests/coordination/test_link_scope.py
    # for a link below the threshold).
    factories.registration(links_world.actor("school"), a, signals=["truancy"])
    factories.registration(
        links_world.actor("youth_care"), b, signals=["new_expensive_clothes", "many_new_contacts"]
    )
    html = zc.get(url("coordination:links")).content.decode()
    section = html[html.index('id="automatic-title"') :]
    assert a.pseudonym in section and b.pseudonym in section
    assert escape(in_dutch(lambda: LinkBasis.NAME.label)) in section
    page = zc.get(url("coordination:link", link_id=link.pk)).content.decode()
    assert 'value="reject"' in page and 'value="reopen"' in page
    assert 'value="confirm"' not in page
    assert decide(zc, link, "reject", "Twee verschillende kinderen.").status_code == 302
    link.refresh_from_db()
    assert link.state == LinkState.REJECTED
    html = zc.get(url("coordination:links")).content.decode()
    assert (
        a.pseudonym in html[html.index('id="decided-title"') : html.index('id="automatic-title"')]
    )


# --- one link --------------------------------------------------------------------------------


def test_the_link_page_shows_both_records_and_logs_a_read_of_each(zc, candidate, active):
    catalogue = active[0]
    a, b, link = candidate
    since = last_log_id()
    response = zc.get(url("coordination:link", link_id=link.pk))
    assert response.status_code == 200
    html = response.content.decode()
    page = text(response)
    for record in (a, b):
        assert record.pseudonym in html
        assert escape(record.organisation.name) in html
    assert pseudonyms.age_band(a.birth_year, timezone.localdate()) in page
    assert f"{round(link.score * 100)}%" in html
    assert escape(in_dutch(lambda: link_rows.reason_labels()["family_similar"])) in html
    assert 'value="confirm"' in html and 'value="reject"' in html
    assert 'value="reopen"' not in html  # it is open already
    assert url("coordination:link_reveal", link_id=link.pk) in html
    # Never the signals or the context of either record, nor the names.
    assert SECRET_NOTE not in html
    assert escape(catalogue.signals["truancy"].label.nl) not in html
    for secret in ("Janssen", "Jansen", "Mirthe"):
        assert secret not in html
    logged = log_since(since)
    assert sorted((e.person_id, e.action, e.purpose) for e in logged) == sorted(
        [
            (a.pk, Action.READ, views.PURPOSE_LINK),
            (b.pk, Action.READ, views.PURPOSE_LINK),
        ]
    )
    assert response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_confirming_links_the_records_and_combines_their_outcome(zc, candidate, links_world):
    a, b, link = candidate
    since = last_log_id()
    response = decide(zc, link, "confirm", "Zelfde adres en school bevestigd.")
    assert response.status_code == 302
    assert response["Location"] == url("coordination:links")
    link.refresh_from_db()
    assert link.state == LinkState.LINKED
    decision = LinkDecision.objects.get(link=link)
    assert decision.decision == LinkDecisionKind.CONFIRM
    assert decision.note == "Zelfde adres en school bevestigd."
    assert decision.decided_by == links_world.members["zc"].user
    changes = log_since(since).filter(action=Action.CHANGE)
    assert sorted(e.person_id for e in changes) == sorted([a.pk, b.pk])
    assert {e.object_type for e in changes} == {"link"}
    for record in (a, b):
        assert set(combined.latest(record).members) == {a.pk, b.pk}
    # The message on the list, and the decision in the link's history.
    follow = zc.get(response["Location"])
    assert a.pseudonym in text(follow)
    history = zc.get(url("coordination:link", link_id=link.pk)).content.decode()
    assert "Zelfde adres en school bevestigd." in history
    assert escape(links_world.members["zc"].user.get_username()) in history


def test_decisions_are_reversible(zc, candidate):
    a, _b, link = candidate
    assert decide(zc, link, "confirm").status_code == 302
    assert decide(zc, link, "reopen").status_code == 302
    link.refresh_from_db()
    assert link.state == LinkState.CANDIDATE
    assert combined.latest(a).members == [a.pk]  # apart again
    assert decide(zc, link, "reject", "Ander kind.").status_code == 302
    link.refresh_from_db()
    assert link.state == LinkState.REJECTED
    # A decided link changes only through a reopen (tests/coordination/test_link_decisions.py).
    page = zc.get(url("coordination:link", link_id=link.pk)).content.decode()
    assert 'value="reopen"' in page
    assert 'value="confirm"' not in page and 'value="reject"' not in page
    assert decide(zc, link, "confirm").status_code == 400
    assert decide(zc, link, "reopen").status_code == 302
    assert decide(zc, link, "confirm").status_code == 302
    link.refresh_from_db()
    assert link.state == LinkState.LINKED
    assert list(
        LinkDecision.objects.filter(link=link).order_by("pk").values_list("decision", flat=True)
    ) == ["confirm", "reopen", "reject", "reopen", "confirm"]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"decision": ""},
        {"decision": "bogus"},
        {"decision": "reopen"},  # the link is open already: not a choice
        {"decision": "confirm", "note": "x" * 501},
    ],
)
def test_an_invalid_decision_is_a_400_and_writes_nothing(zc, candidate, data):
    a, _b, link = candidate
    before = counts()
    response = zc.post(url("coordination:link", link_id=link.pk), {"shown": "candidate", **data})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert 'id="id_decision_error"' in html or 'id="id_note_error"' in html
    assert counts() == before
    # A 400 read nothing for this response: no organisation, no age band.
    assert escape(a.organisation.name) not in html


def test_a_decision_on_a_link_changed_meanwhile_is_a_400(zc, candidate, links_world):
    from lens.coordination import actions

    _a, _b, link = candidate
    page = zc.get(url("coordination:link", link_id=link.pk))
    assert 'value="confirm"' in page.content.decode()
    actions.decide_link(links_world.actor("zc"), link, "confirm")  # in another tab
    before = counts()
    response = decide(zc, link, "confirm", shown="candidate")
    assert response.status_code == 400
    assert counts() == before


# --- both identities ---------------------------------------------------------------------------


def test_the_reveal_form_asks_for_a_purpose(zc, candidate):
    _a, _b, link = candidate
    response = zc.get(url("coordination:link_reveal", link_id=link.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="purpose"' in html
    for secret in ("Janssen", "Jansen", "Mirthe"):
        assert secret not in html
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "purpose", ["", "   ", "x" * 501, ".", "\u200b\u200b", "\u200b.\u2060-\u00ad", "a\u200bb"]
)
def test_revealing_without_a_purpose_is_a_400_and_logs_nothing(zc, candidate, purpose):
    _a, _b, link = candidate
    since = last_log_id()
    response = zc.post(url("coordination:link_reveal", link_id=link.pk), {"purpose": purpose})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_purpose_error"' in html and 'id="error-summary"' in html
    if purpose in (".", "a\u200bb"):
        assert "Zeg in woorden waarom: minstens 3 letters of cijfers." in text(response)
    for secret in ("Janssen", "Jansen", "Mirthe"):
        assert secret not in html
    assert not log_since(since).exists()


def test_revealing_with_a_purpose_shows_both_identities_once_and_logs_both(links_world, zc):
    bsn = factories.valid_bsn(42)
    a, b, link = pair(links_world, bsn_a=bsn)
    assert link.state == LinkState.CANDIDATE
    since = last_log_id()
    purpose = "Nagaan of beide registraties hetzelfde kind betreffen."
    response = zc.post(url("coordination:link_reveal", link_id=link.pk), {"purpose": purpose})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    for shown in ("Janssen", "Jansen", "Mirthe", a.pseudonym, b.pseudonym):
        assert shown in html
    assert "17 juni 2011" in text(response)
    # The BSN only masked: the last three digits.
    assert bsn not in html
    assert link_rows.masked_bsn(bsn) in html and link_rows.masked_bsn(bsn).endswith(bsn[-3:])
    logged = log_since(since)
    assert sorted((e.person_id, e.action, e.object_type, e.purpose) for e in logged) == sorted(
        [
            (a.pk, Action.REVEAL, "identity", purpose),
            (b.pk, Action.REVEAL, "identity", purpose),
        ]
    )
    # Once: opening the page again shows the form, not the names.
    again = zc.get(url("coordination:link_reveal", link_id=link.pk)).content.decode()
    assert "Janssen" not in again


def test_masked_bsn():
    assert link_rows.masked_bsn("") == ""
    assert link_rows.masked_bsn("123456782") == "••••••782"


# --- who may -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["school", "af", "analist", "beheerder"])
def test_other_roles_are_refused(links_world, login, candidate, who):
    _a, _b, link = candidate
    client = login(links_world.members[who])
    since = last_log_id()
    for name in ("coordination:link", "coordination:link_reveal"):
        assert client.get(url(name, link_id=link.pk)).status_code == 403
        assert client.post(url(name, link_id=link.pk), {"decision": "confirm"}).status_code == 403
    assert client.get(url("coordination:links")).status_code == 403
    assert not log_since(since).exists()
    link.refresh_from_db()
    assert link.state == LinkState.CANDIDATE


def test_anonymous_goes_to_the_login_page(client, candidate):
    _a, _b, link = candidate
    login_url = reverse(settings.LOGIN_URL)
    for target in (
        url("coordination:links"),
        url("coordination:link", link_id=link.pk),
        url("coordination:link_reveal", link_id=link.pk),
    ):
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(login_url)
    assert client.post(url("coordination:link", link_id=link.pk), {"decision": "confirm"})[
        "Location"
    ].startswith(login_url)


def test_unknown_link_is_a_404(zc):
    assert zc.get(url("coordination:link", link_id=987654)).status_code == 404
    assert zc.get(url("coordination:link_reveal", link_id=987654)).status_code == 404


def test_a_pair_wholly_in_another_region_is_not_the_regions(links_world, zc, login):
    there = factories.organisation(
        "Synthetische Jeugdzorg Elders",
        organisation_type="youth_care",
        region=OTHER_REGION,
        municipality="Amsterdam",
    )
    by_there = factories.actor(factories.membership(Role.PROFESSIONAL, there))
    a = factories.person(
        links_world.actor("elsewhere"), given_names="Noor", family_name="Janssen", birth_date=BORN
    )
    b = factories.person(by_there, given_names="Noor", family_name="Jansen", birth_date=BORN)
    link = PersonLink.objects.get(person_a=a, person_b=b)
    assert link.state == LinkState.CANDIDATE
    html = zc.get(url("coordination:links")).content.decode()
    assert a.pseudonym not in html and b.pseudonym not in html
    assert zc.get(url("coordination:link", link_id=link.pk)).status_code == 404
    theirs = login(links_world.members["zc_other"])
    html = theirs.get(url("coordination:links")).content.decode()
    assert a.pseudonym in html and b.pseudonym in html


def test_log_links_refuses_links_outside_the_region(links_world, candidate):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from lens.access import policy

    _a, _b, link = candidate
    since = last_log_id()
    with pytest.raises(Http404):
        policy.log_links(links_world.actor("zc_other"), [link], purpose="test")
    with pytest.raises(PermissionDenied):
        policy.log_links(links_world.actor("school"), [link], purpose="test")
    assert not log_since(since).exists()
    policy.log_links(links_world.actor("zc"), [link], purpose="test")
    assert log_since(since).count() == 2


def test_the_list_names_a_page_it_does_not_have(zc, candidate):
    a, _b, _link = candidate
    for asked, notice in (
        ("99", notices.last_page_notice(1)),
        ("x", notices.dutch(notices.FIRST_PAGE)),
    ):
        response = zc.get(url("coordination:links"), {"pagina": asked})
        assert response.status_code == 400 and notice in notices.text(response)
        assert a.pseudonym in response.content.decode()  # the one page, shown
    assert notices.NOTICE not in zc.get(url("coordination:links")).content.decode()
