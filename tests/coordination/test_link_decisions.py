"""A decision on a possible match is applied only to the link the page showed
(lens.coordination.actions.decide_link): the form carries the state the page showed, the
action locks the link and refuses (400, a Dutch message, nothing stored) when the state
is another by now; a decided link changes only through "reopen".

The parallel case (four decisions sent at the same moment, real threads) runs on
PostgreSQL only (tests/concurrency.py says why); on SQLite the same decisions one after
the other show the rule.
"""

from __future__ import annotations

import re
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from lens.access.models import AccessLogEntry
from lens.coordination import actions
from lens.data.coordination import LinkDecision, LinkState, PersonLink
from tests.concurrency import at_once, log_emptied_afterwards, on_postgresql  # noqa: F401
from tests.coordination import linkworld
from tests.coordination.linkworld import pair, text, url
from tests.registry import conftest as registry
from tests.registry import factories

active = registry.active
catalogue_files = registry.catalogue_files
login = registry.login
links_world = linkworld.links_world

CHANGED = "Deze koppeling is intussen gewijzigd"
DECIDED = "Over deze koppeling is al beslist: heropen haar eerst"


def stored() -> tuple[int, int, list[str]]:
    return (
        LinkDecision.objects.count(),
        AccessLogEntry.objects.count(),
        list(PersonLink.objects.order_by("pk").values_list("state", flat=True)),
    )


def post(client, link, decision, shown):
    data = {"decision": decision, "note": ""}
    if shown is not None:
        data["shown"] = shown
    return client.post(url("coordination:link", link_id=link.pk), data)


def in_view(world, **names):
    """A pair the region's zorgcoördinator sees: level 1 at each organisation, level 2
    together (as tests/coordination/test_links_views.py)."""
    a, b, link = pair(world, **names)
    factories.registration(world.actor("school"), a, signals=["truancy"])
    factories.registration(
        world.actor("youth_care"), b, signals=["new_expensive_clothes", "many_new_contacts"]
    )
    return a, b, link


def shown_on(page) -> str:
    (value,) = re.findall(r'<input type="hidden" name="shown" value="([a-z]+)">', page)
    return value


@pytest.fixture
def zc(links_world, login):
    return login(links_world.members["zc"])


@pytest.mark.django_db
def test_four_decisions_from_one_stale_page_store_one(zc, links_world):
    _a, _b, link = in_view(links_world)
    page = zc.get(url("coordination:link", link_id=link.pk)).content.decode()
    assert shown_on(page) == LinkState.CANDIDATE
    assert post(zc, link, "confirm", LinkState.CANDIDATE).status_code == 302
    after_first = stored()
    for decision in ("reject", "confirm", "reject"):
        response = post(zc, link, decision, LinkState.CANDIDATE)
        assert response.status_code == 400
        assert CHANGED in text(response) and "Gekoppeld" in text(response)
        assert stored() == after_first
    link.refresh_from_db()
    assert link.state == LinkState.LINKED
    assert list(link.decisions.values_list("decision", flat=True)) == ["confirm"]


@pytest.mark.django_db
def test_a_rejected_match_is_not_confirmed_from_a_page_that_showed_a_candidate(zc, links_world):
    _a, _b, link = in_view(links_world)
    page = zc.get(url("coordination:link", link_id=link.pk)).content.decode()
    actions.decide_link(links_world.actor("zc"), link, "reject")  # in another tab
    before = stored()
    response = post(zc, link, "confirm", shown_on(page))
    assert response.status_code == 400
    assert CHANGED in text(response)
    assert stored() == before
    # The page shown again is the link as it is now: only a reopen, and the new state.
    html = response.content.decode()
    assert shown_on(html) == LinkState.REJECTED
    assert 'value="reopen"' in html and 'value="confirm"' not in html


@pytest.mark.django_db
def test_a_decided_link_changes_only_through_a_reopen(zc, links_world):
    _a, _b, link = in_view(links_world)
    assert post(zc, link, "reject", LinkState.CANDIDATE).status_code == 302
    page = zc.get(url("coordination:link", link_id=link.pk)).content.decode()
    assert 'value="reopen"' in page
    assert 'value="confirm"' not in page and 'value="reject"' not in page
    before = stored()
    # A page that shows the state as it is, but a decision it did not offer.
    response = post(zc, link, "confirm", LinkState.REJECTED)
    assert response.status_code == 400
    assert DECIDED in text(response) and 'id="id_decision_error"' in response.content.decode()
    assert stored() == before
    assert post(zc, link, "reopen", LinkState.REJECTED).status_code == 302
    assert post(zc, link, "confirm", LinkState.CANDIDATE).status_code == 302
    link.refresh_from_db()
    assert link.state == LinkState.LINKED
    with translation.override("nl"), pytest.raises(ValidationError, match="heropen haar eerst"):
        actions.decide_link(links_world.actor("zc"), link, "reject")


@pytest.mark.django_db
def test_a_link_made_automatically_may_be_rejected_directly(links_world):
    _a, _b, link = in_view(links_world, family_b="Janssen")
    assert link.state == LinkState.LINKED and not link.decisions.exists()
    assert actions.decisions_allowed(link) == ("reject", "reopen")
    actions.decide_link(links_world.actor("zc"), link, "reject", shown=LinkState.LINKED)
    link.refresh_from_db()
    assert link.state == LinkState.REJECTED
    assert actions.decisions_allowed(link) == ("reopen",)


@pytest.mark.parametrize("shown", [None, "", "bogus"])
@pytest.mark.django_db
def test_a_form_without_the_state_shown_decides_nothing(zc, links_world, shown):
    _a, _b, link = in_view(links_world)
    before = stored()
    response = post(zc, link, "confirm", shown)
    assert response.status_code == 400
    assert "Het formulier zei niet wat de pagina toonde" in text(response)
    assert stored() == before


# --- at the same moment ------------------------------------------------------------------------


def _decide(actor, link_pk: int, decision: str, *, hold: float):
    """The action, holding the transaction a moment longer (the others start meanwhile)."""
    with transaction.atomic():
        made = actions.decide_link(
            actor, PersonLink(pk=link_pk), decision, shown=LinkState.CANDIDATE
        )
        time.sleep(hold)
    return made


@on_postgresql
@pytest.mark.usefixtures("log_emptied_afterwards")
def test_four_decisions_at_once_store_one(links_world):
    _a, _b, link = in_view(links_world)
    zc = links_world.actor("zc")
    results = at_once(
        *(
            lambda decision=decision: _decide(zc, link.pk, decision, hold=0.2)
            for decision in ("confirm", "reject", "confirm", "reject")
        )
    )
    made = [r for r in results if isinstance(r, LinkDecision)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert (len(made), len(refused)) == (1, 3), results
    assert all(CHANGED in " ".join(error.messages) for error in refused)
    link.refresh_from_db()
    assert LinkDecision.objects.filter(link=link).count() == 1
    assert link.state == {"confirm": "linked", "reject": "rejected"}[made[0].decision]


@pytest.mark.django_db
@pytest.mark.parametrize("decided", ["reject", "confirm"])
def test_a_reopened_link_is_a_line_on_the_work_list_again(zc, links_world, decided):
    from lens.data.coordination import WorkItem, WorkKind

    _a, _b, link = in_view(links_world)
    coordinator = links_world.actor("zc")
    actions.decide_link(coordinator, link, decided, shown=LinkState.CANDIDATE)
    lines = WorkItem.objects.filter(link=link)
    assert lines.exists() and not lines.filter(done_at__isnull=True).exists()  # closed
    before = lines.count()
    actions.decide_link(coordinator, link, "reopen")
    [line] = lines.filter(done_at__isnull=True)
    assert (line.kind, line.region) == (WorkKind.CANDIDATE, links_world.school.region)
    assert lines.count() == before + 1
    # On the zorgcoördinator's work list page, and closed again by the next decision.
    assert (
        url("coordination:link", link_id=link.pk)
        in zc.get(url("coordination:worklist")).content.decode()
    )
    actions.decide_link(coordinator, link, "reject" if decided == "confirm" else "confirm")
    assert not lines.filter(done_at__isnull=True).exists()


@pytest.mark.django_db
def test_reopening_adds_no_second_line_while_one_is_open(links_world):
    from lens.data.coordination import WorkItem

    _a, _b, link = in_view(links_world, family_b="Janssen")  # linked automatically
    open_lines = WorkItem.objects.filter(link=link, done_at__isnull=True)
    assert open_lines.count() == 1  # "also known at another organisation", not decided
    actions.decide_link(links_world.actor("zc"), link, "reopen")
    assert open_lines.count() == 1
