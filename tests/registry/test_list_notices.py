"""A list link with a value the list does not know (a sort order or filter value that is
not an option, a page number that is not a number, a page past the last) shows the
list's default with a Dutch notice saying so and answers 400, as the API does: never
silently (a shared link that looks filtered but is not).
Through the real URLconf, in Dutch; the persons are synthetic."""

from __future__ import annotations

import html
import re

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext, ngettext

from lens.access import policy
from lens.access.models import Action
from lens.data.registry import Role
from lens.web import lists

from . import factories
from .test_views import url

pytestmark = pytest.mark.django_db

NOTICE = 'class="utrecht-alert utrecht-alert--warning lens-alert lens-list-notice"'
FIRST_PAGE = "The page number in the link is not a page of this list; it shows the first page."


def dutch(message: str, **values) -> str:
    with translation.override("nl"):
        text = gettext(message)
    return text % values if values else text


def control_notice(label: str, default: str) -> str:
    with translation.override("nl"):
        return gettext(
            "The link asks for a choice under “%(label)s” that this list does not have; "
            "it shows “%(default)s” instead."
        ) % {"label": gettext(label), "default": gettext(default)}


def last_page_notice(last: int) -> str:
    with translation.override("nl"):
        return ngettext(
            "This list has only %(last)s page; it is shown.",
            "This list has only %(last)s pages; it shows the last one.",
            last,
        ) % {"last": last}


def text(response) -> str:
    body = response.content.decode()
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def shown(response) -> list[str]:
    return re.findall(r'href="/registratie/(P-[0-9A-Z]+)/"', response.content.decode())


@pytest.fixture
def professional(world, login):
    return login(world.members[Role.PROFESSIONAL])


# --- lens.web.lists ---------------------------------------------------------------------------


def test_a_control_says_when_it_was_asked_for_a_value_it_does_not_have():
    factory = RequestFactory()
    options = [("nieuwste", "Nieuwste eerst"), ("niveau", "Hoogste niveau eerst")]
    for query, refused in (
        ({"sorteer": "bogus"}, True),
        ({"sorteer": "niveau"}, False),
        ({"sorteer": ""}, False),  # asks for nothing
        ({}, False),
    ):
        made = lists.control(factory.get("/", query), "sorteer", "Sorteer op", options)
        assert made.refused is refused, query
        assert bool(made.notice) is refused
    refused = lists.control(factory.get("/", {"sorteer": "<b>"}), "sorteer", "Sorteer", options)
    assert refused.chosen == "nieuwste" and "Nieuwste eerst" in refused.notice
    assert "<b>" not in refused.notice  # the value asked for is never repeated


@pytest.mark.parametrize(
    ("asked", "number", "notice"),
    [
        (None, 1, ""),
        ("2", 2, ""),
        ("abc", 1, "first"),
        ("0", 1, "first"),
        ("-3", 1, "first"),
        ("1.5", 1, "first"),
        ("4", 4, ""),
        ("5", 4, "last"),
        ("99999", 4, "last"),
        ("9" * 5000, 1, "first"),  # more digits than int() reads
        ("\u0663", 1, "first"),  # an Arabic-Indic 3: int() reads it, no link offers it
    ],
)
def test_page_of_falls_back_with_a_notice(asked, number, notice):
    rows = list(range(10))
    request = RequestFactory().get("/", {} if asked is None else {"pagina": asked})
    page = lists.page_of(request, rows, size=3)
    assert page.number == number
    assert_notice(page, notice)


def assert_notice(page, notice: str) -> None:
    if notice == "first":
        assert page.notice == gettext(FIRST_PAGE)
    elif notice == "last":
        assert "4" in page.notice and lists.notices(page=page) == [page.notice]
    else:
        assert page.notice == "" and lists.notices(page=page) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("asked", "number", "notice", "queries"),
    [
        (None, 1, "", 1),
        ("2", 2, "", 1),
        ("abc", 1, "first", 1),
        ("4", 4, "", 1),  # the last page, one row
        ("5", 4, "last", 3),  # no rows: counted on its own, then the last page
    ],
)
def test_page_of_counts_with_the_rows_in_one_query(
    asked, number, notice, queries, django_user_model, django_assert_num_queries
):
    django_user_model.objects.bulk_create(
        django_user_model(username=f"lijst-{n:02d}") for n in range(10)
    )
    rows = django_user_model.objects.order_by("username")
    request = RequestFactory().get("/", {} if asked is None else {"pagina": asked})
    with django_assert_num_queries(queries):
        page = lists.page_of(request, rows, size=3, count_with_rows=True)
        shown = [user.username for user in page.object_list]
    assert (page.number, page.paginator.count, page.paginator.num_pages) == (number, 10, 4)
    assert shown == [f"lijst-{n:02d}" for n in range(10)][(number - 1) * 3 : number * 3]
    assert_notice(page, notice)


@pytest.mark.django_db
def test_page_of_counts_an_empty_list_with_the_rows(django_user_model):
    page = lists.page_of(
        RequestFactory().get("/"), django_user_model.objects.none(), count_with_rows=True
    )
    assert (page.number, page.paginator.count, list(page.object_list)) == (1, 0, [])


# --- own persons (/registratie/) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "label", "default"),
    [
        ({"sorteer": "bogus"}, "Sort by", "Newest signal first"),
        ({"niveau": "9"}, "Show level", "All levels"),
        ({"recent": "7"}, "Last signal", "Any time"),
    ],
)
def test_the_persons_list_names_a_choice_it_does_not_have(
    professional, world, query, label, default
):
    response = professional.get(url("registry:persons"), query)
    assert response.status_code == 400
    assert NOTICE in response.content.decode()
    assert control_notice(label, default) in text(response)
    assert shown(response) == shown(professional.get(url("registry:persons")))  # the default


def test_the_persons_list_without_bad_values_has_no_notice(professional, world):
    level = str(world.own_person.outcomes.latest().level)
    for query in ({}, {"sorteer": "pseudoniem", "niveau": level, "recent": "3", "pagina": "1"}):
        assert NOTICE not in professional.get(url("registry:persons"), query).content.decode()


def test_the_persons_list_pages_abc_and_past_the_end(professional, world, monkeypatch):
    monkeypatch.setattr("lens.web.pages.PAGE_SIZE", 1)
    actor = world.actor(Role.PROFESSIONAL)
    factories.registration(actor, factories.person(actor))  # two persons: two pages
    first = shown(professional.get(url("registry:persons")))
    last = shown(professional.get(url("registry:persons"), {"pagina": "2"}))
    not_a_number = professional.get(url("registry:persons"), {"pagina": "abc"})
    assert not_a_number.status_code == 400
    assert dutch(FIRST_PAGE) in text(not_a_number) and shown(not_a_number) == first
    beyond = professional.get(url("registry:persons"), {"pagina": "99999"})
    assert beyond.status_code == 400
    assert last_page_notice(2) in text(beyond) and shown(beyond) == last
    assert "Pagina 2 van 2" in text(beyond)


def test_two_bad_values_give_two_notices(professional, world):
    response = professional.get(url("registry:persons"), {"sorteer": "x", "pagina": "x"})
    page = text(response)
    assert control_notice("Sort by", "Newest signal first") in page and dutch(FIRST_PAGE) in page


# --- the access log (?handeling=) and the information requests ----------------------------------


def test_the_access_log_names_an_action_it_does_not_have(world, login):
    aandacht = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    policy.get_person(world.actor(Role.PROFESSIONAL), world.own_person.pseudonym, purpose="test")
    page = url("registry:access_log", pseudonym=world.own_person.pseudonym)
    response = aandacht.get(page, {"handeling": "bogus"})
    assert response.status_code == 400
    assert control_notice("Action", "All actions") in text(response)
    rows = text(response).split("Wanneer", 1)[1]
    assert "geregistreerd" in rows and "bekeken" in rows  # every action: the default
    beyond = aandacht.get(page, {"handeling": Action.READ, "pagina": "99999"})
    assert beyond.status_code == 400 and last_page_notice(1) in text(beyond)
    assert NOTICE not in aandacht.get(page, {"handeling": Action.READ}).content.decode()


def test_the_requests_list_names_a_page_it_does_not_have(world, login):
    aandacht = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    for asked, notice in (("99999", last_page_notice(1)), ("abc", dutch(FIRST_PAGE))):
        response = aandacht.get(url("registry:requests"), {"pagina": asked})
        assert response.status_code == 400 and notice in text(response)
    assert NOTICE not in aandacht.get(url("registry:requests")).content.decode()
