"""The zorgcoördinator's work list (lens.coordination.views.worklist): the region's open
lines grouped per person (highest combined level first, then the person waiting
longest), paged by person, need to know on every group (a person below the threshold is
not named), the records shown logged, and marking several lines handled at once (another
region's line marks nothing).
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

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


def text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def groups(response) -> list[tuple[str, list[str]]]:
    """The open groups in page order: (heading text, [line label text, ...]), with each
    line's label tied to its checkbox."""
    body = response.content.decode()
    found = []
    for group in re.findall(r"<fieldset [^>]*lens-work-group[^>]*>(.*?)</fieldset>", body, re.S):
        heading = re.search(r"<h3[^>]*>(.*?)</h3>", group, re.S).group(1)
        boxes = re.findall(r'<input [^>]*type="checkbox" id="(regel-\d+)"', group)
        labels = dict(re.findall(r'<label [^>]*for="(regel-\d+)">(.*?)</label>', group, re.S))
        assert set(boxes) == set(labels), "a checkbox without its label"
        found.append((text(heading), [text(labels[box]) for box in boxes]))
    return found


def group_html(response) -> list[str]:
    body = response.content.decode()
    return re.findall(r"<fieldset [^>]*lens-work-group[^>]*>(.*?)</fieldset>", body, re.S)


def done_rows(response) -> list[str]:
    body = response.content.decode()
    start = body.index('id="done-caption"')
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


def open_ids(region: str = factories.REGION) -> list[int]:
    return list(
        WorkItem.objects.filter(region=region, done_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# --- the list ------------------------------------------------------------------------------


def test_the_lines_are_grouped_per_person_highest_level_first(client, login, across):
    first, second = below_threshold_pair(across)
    login(across.members["zc"])
    before = last_entry_id()
    response = client.get(url("worklist", "en"))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")  # never_cache
    found = groups(response)
    # The person at school and youth care (level 2: three links, each a line naming the
    # own region's record), the pair below the threshold (level 1, one link), the
    # referred person (no signals: no outcome, last).
    assert [heading for heading, _lines in found] == [
        f"{across.at_school.pseudonym} · {across.at_youth_care.pseudonym}",
        "A person below the threshold",
        across.referred.pseudonym,
    ]
    new_link = str(WorkKind.NEW_LINK.label)
    assert [[line.split(" · ")[0] for line in lines] for _h, lines in found] == [
        [new_link] * 3,
        [new_link],
        [str(WorkKind.REFERRAL.label)],
    ]
    blocks = group_html(response)
    assert "2 · Consult" in blocks[0] and "1 · " in blocks[1] and "no outcome yet" in blocks[2]
    assert f'href="{url("picture", "en", pseudonym=across.at_school.pseudonym)}"' in blocks[0]
    assert "Below the threshold: the organisations keep the lead." in blocks[1]
    # The pair below the threshold: on the list, but not named and not logged; nor
    # records of another region.
    body = response.content.decode()
    for hidden in (first, second, across.in_amsterdam):
        assert hidden.pseudonym not in body
    logged = {(e.person_id, e.action, e.purpose) for e in new_entries(before)}
    assert logged == {
        (p.pk, Action.LIST, views.PURPOSE_WORKLIST)
        for p in (across.at_school, across.at_youth_care, across.referred)
    }


def test_at_one_level_the_person_waiting_longest_comes_first(client, login, across):
    """Two persons without an outcome (referred only): the one whose oldest open line is
    older comes first, whatever the order they were added in."""
    later = factories.person(across.actor("school"))
    from lens.coordination import actions

    actions.refer(across.actor("school"), later, "Zorgen over contacten in de wijk.")
    WorkItem.objects.filter(person=later).update(created_at=timezone.now() - timedelta(days=9))
    login(across.members["zc"])
    headings = [heading for heading, _lines in groups(client.get(url("worklist", "en")))]
    assert headings[-2:] == [later.pseudonym, across.referred.pseudonym]
    WorkItem.objects.filter(person=later).update(created_at=timezone.now() + timedelta(days=1))
    headings = [heading for heading, _lines in groups(client.get(url("worklist", "en")))]
    assert headings[-2:] == [across.referred.pseudonym, later.pseudonym]


def test_the_list_is_paged_by_person_and_never_splits_one(client, login, across, monkeypatch):
    monkeypatch.setattr("lens.web.pages.PAGE_SIZE", 1)
    below_threshold_pair(across)
    login(across.members["zc"])
    pages = [groups(client.get(url("worklist", "en") + f"?pagina={n}")) for n in (1, 2, 3)]
    assert [len(page) for page in pages] == [1, 1, 1]
    assert len(pages[0][0][1]) == 3  # the person at two organisations: all three lines
    headings = [page[0][0] for page in pages]
    assert len(set(headings)) == 3
    response = client.get(url("worklist", "en") + "?pagina=2")
    assert 'rel="next"' in response.content.decode() and 'rel="prev"' in response.content.decode()
    # A page logs the records it names, not those of the other pages.
    before = last_entry_id()
    client.get(url("worklist", "en"))
    logged = {e.person_id for e in new_entries(before)}
    assert logged == {across.at_school.pk, across.at_youth_care.pk}


def test_a_line_about_a_link_names_the_record_in_the_own_region(client, login, across):
    """The link between the record in Amsterdam and one in Midden-Brabant is on both work
    lists; each names its own region's record (here: out of view there, one soft signal)."""
    login(across.members["zc_amsterdam"])
    before = last_entry_id()
    response = client.get(url("worklist", "en"))
    assert response.status_code == 200
    body = response.content.decode()
    found = groups(response)
    assert found == [("A person below the threshold", found[0][1])]
    assert len(found[0][1]) == 2  # the two links of the record in Amsterdam
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
    kind = str(WorkKind.CANDIDATE.label)
    block = next(b for b in group_html(response) if kind in b)
    line = next(t for _h, lines in groups(response) for t in lines if kind in t)
    assert line.startswith(f"{kind}: {across.below.pseudonym} and {other.pseudonym} · ")
    assert "A person below the threshold" in block  # the record in the region is out of view
    assert f'href="{url("link", "en", link_id=link.pk)}"' in block
    logged = [(e.person_id, e.object_type) for e in new_entries(before) if e.object_type == "link"]
    assert logged == [(across.below.pk, "link"), (other.pk, "link")]


def test_the_form_has_a_labelled_checkbox_per_line_and_one_button(client, login, across):
    login(across.members["zc"])
    response = client.get(url("worklist"))
    body = response.content.decode()
    start = body.index(f'<form method="post" action="{url("work_done")}"')
    form = body[start : body.index("</form>", start)]
    boxes = re.findall(r'type="checkbox" id="regel-(\d+)" name="regels" value="(\d+)"', form)
    assert sorted(int(value) for _id, value in boxes) == open_ids()
    assert all(box_id == value for box_id, value in boxes)
    assert len(re.findall(r'<label [^>]*for="regel-\d+"', form)) == len(boxes)
    assert form.count('type="submit"') == 1
    button = re.search(r'<button type="submit"[^>]*>([^<]*)</button>', form).group(1)
    assert button == "Markeer als afgehandeld"
    assert "csrfmiddlewaretoken" in form


# --- marking lines handled -----------------------------------------------------------------


def test_marking_several_lines_handled_at_once(client, login, across):
    chosen = open_ids()[:3]
    login(across.members["zc"])
    response = client.post(url("work_done"), {"regels": chosen})
    assert response.status_code == 302
    assert response["Location"] == url("worklist")
    marked = WorkItem.objects.filter(pk__in=chosen)
    assert all(i.done_at is not None and i.done_by == across.members["zc"].user for i in marked)
    assert len(open_ids()) == 1  # the fourth line is still open
    page = client.get(response["Location"])
    assert "3 regels zijn gemarkeerd als afgehandeld." in text(page.content.decode())
    assert len(done_rows(page)) == 3
    # Again, with one more: only that one is marked, and the page says both.
    first_done = {i.pk: i.done_at for i in marked}
    response = client.post(url("work_done"), {"regels": [*chosen, open_ids()[0]]}, follow=True)
    said = text(response.content.decode())
    assert "1 regel is gemarkeerd als afgehandeld." in said
    assert "3 regels waren al afgehandeld." in said
    assert {i.pk: i.done_at for i in WorkItem.objects.filter(pk__in=chosen)} == first_done
    assert open_ids() == []


def test_marking_keeps_the_page_the_form_was_sent_from(client, login, across):
    login(across.members["zc"])
    response = client.post(url("work_done"), {"regels": open_ids()[:1], "pagina": "2"})
    assert response["Location"] == url("worklist") + "?pagina=2"
    response = client.post(url("work_done"), {"regels": open_ids()[:1], "pagina": "//x"})
    assert response["Location"] == url("worklist")


def test_no_line_chosen_is_a_dutch_message_and_marks_nothing(client, login, across):
    login(across.members["zc"])
    response = client.post(url("work_done"), {}, follow=True)
    assert response.status_code == 200
    assert "Kies ten minste één regel." in text(response.content.decode())
    assert len(open_ids()) == 4


@pytest.mark.parametrize(
    "bad", ["other_region", "unknown", "not_a_number", "huge", "arabic_indic_digit"]
)
def test_a_line_not_on_the_list_marks_nothing_and_says_so(client, login, across, bad):
    """One bad id among good ones: a 404 in Dutch, and none of them is marked."""
    foreign = {
        "other_region": str(WorkItem.objects.filter(region=OTHER_REGION).first().pk),
        "unknown": "987654321",
        "not_a_number": "drie",
        "huge": str(2**70),
        "arabic_indic_digit": "\u0663",  # int() reads it as 3; no form offers it
    }[bad]
    own = open_ids()
    login(across.members["zc"])
    response = client.post(url("work_done"), {"regels": [*own[:2], foreign]})
    assert response.status_code == 404
    said = text(response.content.decode())
    assert "Een of meer van de gekozen regels staan niet op uw werklijst." in said
    assert "Er is niets als afgehandeld gemarkeerd." in said
    assert open_ids() == own
    assert not WorkItem.objects.filter(done_at__isnull=False).exists()


def test_marking_handled_takes_a_post_only(client, login, across):
    login(across.members["zc"])
    assert client.get(url("work_done"), {"regels": open_ids()[:1]}).status_code == 405
    assert len(open_ids()) == 4


@pytest.mark.parametrize("who", ["school", "school_af", "analist", "beheerder"])
def test_other_roles_may_not_mark_lines_handled(client, login, across, who):
    own = open_ids()
    login(across.members[who])
    assert client.post(url("work_done"), {"regels": own}).status_code == 403
    assert client.get(url("worklist")).status_code == 403
    assert open_ids() == own


def test_the_zorgcoordinator_of_another_region_marks_nothing_here(client, login, across):
    own = open_ids()
    login(across.members["zc_amsterdam"])
    assert client.post(url("work_done"), {"regels": own[:1]}).status_code == 404
    assert open_ids() == own


def test_an_empty_work_list(client, login, across):
    login(across.members["zc"])
    client.post(url("work_done"), {"regels": open_ids()})
    response = client.get(url("worklist", "en"))
    assert response.status_code == 200
    assert "Nothing to do: there are no open lines on your work list." in response.content.decode()
    assert groups(response) == []


def test_a_page_past_the_end_of_the_work_list_shows_the_last_with_a_notice(client, login, across):
    login(across.members["zc"])
    assert notices.NOTICE not in client.get(url("worklist")).content.decode()
    for query in ({"pagina": "abc"}, {"pagina": "99999"}):
        response = client.get(url("worklist"), query)
        assert response.status_code == 400 and notices.NOTICE in response.content.decode(), query
        assert across.at_school.pseudonym in response.content.decode()
