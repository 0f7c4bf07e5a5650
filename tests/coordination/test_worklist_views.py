"""The zorgcoördinator's work list (lens.coordination.views.worklist): the region's lines,
need to know on every line (a record below the threshold is not named), the records
shown logged, and marking a line handled (another region's line is a 404).
"""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from lens.access.models import AccessLogEntry, Action
from lens.coordination import combined, notify
from lens.coordination.views import worklist as views
from lens.data.coordination import LinkBasis, LinkState, PersonLink, WorkItem, WorkKind
from tests.registry import factories
from tests.registry import test_list_notices as notices

from .conftest import OTHER_REGION, SOFT

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "nl", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"coordination:{name}", kwargs=kwargs or None)


def last_entry_id() -> int:
    last = AccessLogEntry.objects.order_by("-pk").first()
    return last.pk if last else 0


def new_entries(before: int) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(pk__gt=before).order_by("pk"))


def table_rows(response, caption_id: str) -> list[str]:
    """The body rows of the table whose caption has `caption_id`."""
    body = response.content.decode()
    start = body.index(f'id="{caption_id}"')
    table = body[start : body.index("</table>", start)]
    return re.findall(r'<tr class="utrecht-table__row">(.*?)</tr>', table, re.S)[1:]


def below_threshold_pair(across):
    """Two level-1 records of one person (same BSN) at the school and the youth care: a
    new link for the work list, but combined still below the threshold."""
    bsn = factories.valid_bsn(7)
    first = factories.person(across.actor("school"), bsn=bsn)
    factories.registration(across.actor("school"), first, signals=[SOFT])
    second = factories.person(across.actor("youth_care"), bsn=bsn)
    factories.registration(across.actor("youth_care"), second, signals=[SOFT])
    assert combined.latest(first).level == 1
    return first, second


def test_the_work_list_shows_the_regions_lines_and_logs_the_records_it_names(client, login, across):
    first, second = below_threshold_pair(across)
    login(across.members["zc"])
    before = last_entry_id()
    response = client.get(url("worklist", "en"))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")  # never_cache
    rows = table_rows(response, "open-caption")
    kinds = [html.unescape(re.search(r'scope="row"[^>]*>([^<]+)<', r).group(1)) for r in rows]
    new_link = str(WorkKind.NEW_LINK.label)
    # The person at school, youth care and in Amsterdam: three links, each a line here;
    # the referral; the pair below the threshold.
    assert sorted(kinds) == sorted([new_link] * 4 + [str(WorkKind.REFERRAL.label)])
    picture = url("picture", "en", pseudonym=across.at_school.pseudonym)
    in_view = [r for r in rows if f'href="{picture}"' in r]
    assert len(in_view) == 2  # at_school~at_youth_care and at_school~in_amsterdam
    assert all("2 · Consult" in r for r in in_view)
    referral = next(r for r in rows if str(WorkKind.REFERRAL.label) in r)
    assert across.referred.pseudonym in referral
    # The pair below the threshold: on the list, but not named and not logged.
    body = response.content.decode()
    assert first.pseudonym not in body and second.pseudonym not in body
    below = next(r for r in rows if "a record below the threshold" in r)
    assert "Below the threshold: the organisations keep the lead." in below
    assert "1 · " in below  # its current combined level
    # Records of another region are never named here.
    assert across.in_amsterdam.pseudonym not in body
    logged = {(e.person_id, e.action, e.purpose) for e in new_entries(before)}
    assert logged == {
        (p.pk, Action.LIST, views.PURPOSE_WORKLIST)
        for p in (across.at_school, across.at_youth_care, across.referred)
    }


def test_a_line_about_a_link_names_the_record_in_the_own_region(client, login, across):
    """The link between the record in Amsterdam and one in Midden-Brabant is on both work
    lists; each names its own region's record (here: out of view there, one soft signal)."""
    login(across.members["zc_amsterdam"])
    before = last_entry_id()
    response = client.get(url("worklist", "en"))
    assert response.status_code == 200
    body = response.content.decode()
    rows = table_rows(response, "open-caption")
    assert len(rows) == 2  # the two links of the record in Amsterdam
    assert all("a record below the threshold" in r for r in rows)
    for pseudonym in (across.at_school.pseudonym, across.at_youth_care.pseudonym):
        assert pseudonym not in body
    assert new_entries(before) == []
    # The lines themselves (and so their e-mails) name each region's own record.
    assert {i.person for i in WorkItem.objects.filter(region=OTHER_REGION)} == {across.in_amsterdam}


def test_a_possible_match_shows_its_pair_and_leads_to_the_decision(client, login, across):
    other = factories.person(across.actor("youth_care"))  # out of view too
    link = PersonLink.objects.create(
        person_a=across.below,
        person_b=other,
        basis=LinkBasis.FUZZY,
        state=LinkState.CANDIDATE,
        score=0.91,
    )
    notify.candidate(link)
    login(across.members["zc"])
    before = last_entry_id()
    response = client.get(url("worklist", "en"))
    line = next(r for r in table_rows(response, "open-caption") if "possible match of" in r)
    pair = f"possible match of {across.below.pseudonym} and {other.pseudonym}"
    assert pair in line
    assert "a record below the threshold" in line  # the record in the region is out of view
    assert f'href="{url("link", "en", link_id=link.pk)}"' in line
    logged = [(e.person_id, e.object_type) for e in new_entries(before) if e.object_type == "link"]
    assert logged == [(across.below.pk, "link"), (other.pk, "link")]


def test_marking_a_line_handled(client, login, across):
    item = WorkItem.objects.filter(region=factories.REGION, kind=WorkKind.REFERRAL).get()
    login(across.members["zc"])
    response = client.post(url("work_done", item_id=item.pk))
    assert response.status_code == 302
    assert response["Location"] == url("worklist")
    item.refresh_from_db()
    assert item.done_at is not None and item.done_by == across.members["zc"].user
    page = client.get(url("worklist", "en"))
    done = table_rows(page, "done-caption")
    assert len(done) == 1 and across.referred.pseudonym in done[0]
    assert across.members["zc"].user.get_username() in done[0]
    assert not any(across.referred.pseudonym in r for r in table_rows(page, "open-caption"))
    # Again: nothing changes, and the page says so.
    first_done = item.done_at
    client.post(url("work_done", item_id=item.pk))
    item.refresh_from_db()
    assert item.done_at == first_done


def test_another_regions_line_is_not_found(client, login, across):
    item = WorkItem.objects.filter(region=OTHER_REGION).first()
    assert item is not None
    login(across.members["zc"])
    assert client.post(url("work_done", item_id=item.pk)).status_code == 404
    assert client.post(url("work_done", item_id=999999)).status_code == 404
    item.refresh_from_db()
    assert item.done_at is None


def test_marking_handled_takes_a_post_only(client, login, across):
    item = WorkItem.objects.filter(region=factories.REGION).first()
    login(across.members["zc"])
    assert client.get(url("work_done", item_id=item.pk)).status_code == 405
    item.refresh_from_db()
    assert item.done_at is None


@pytest.mark.parametrize("who", ["school", "school_af", "analist", "beheerder"])
def test_other_roles_may_not_mark_lines_handled(client, login, across, who):
    item = WorkItem.objects.filter(region=factories.REGION).first()
    login(across.members[who])
    assert client.post(url("work_done", item_id=item.pk)).status_code == 403
    assert client.get(url("worklist")).status_code == 403
    item.refresh_from_db()
    assert item.done_at is None


def test_an_empty_work_list(client, login, across):
    login(across.members["zc"])
    for item in WorkItem.objects.filter(region=factories.REGION):
        client.post(url("work_done", item_id=item.pk))
    response = client.get(url("worklist", "en"))
    assert response.status_code == 200
    assert "Nothing to do: there are no open lines on your work list." in response.content.decode()


def test_the_work_list_says_it_has_no_pages_sort_orders_or_filters(client, login, across):
    login(across.members["zc"])
    plain = client.get(url("worklist")).content.decode()
    assert notices.NOTICE not in plain
    said = notices.dutch(
        "This list has no pages, sort orders or filters; it ignores those choices in "
        "the link and shows all of its lines."
    )
    for query in ({"pagina": "abc"}, {"pagina": "99999"}, {"sorteer": "bogus"}, {"niveau": "9"}):
        response = client.get(url("worklist"), query)
        assert response.status_code == 200 and said in notices.text(response), query
        assert across.at_school.pseudonym in response.content.decode()  # every line
    assert notices.NOTICE not in client.get(url("worklist"), {"pagina": ""}).content.decode()
