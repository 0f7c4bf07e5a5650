"""The person list and the person page are written partly from parts kept per their
plain inputs (lens_frame's `kept_for` and `same_for_every_request`) and from rows built
in Python (registry_rows.person_rows): every variant of those pages (sort orders,
filters, pages, a page past the end, a refused value, both languages; person pages with
and without a second timeline page) is what rendering every part afresh gives, byte for
byte but the CSRF token and the submission key; and the rows are what format_html, the
escaping of Django's templates, writes for each value."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from lens.data.registry import Role
from lens.registry import views
from lens.registry.templatetags import registry_rows
from lens.web import pages as web_pages
from lens.web import submissions
from lens.web.templatetags import lens_frame
from lens.web.templatetags.lens_format import day, level_badge, pseudonym
from tests.registry import factories

pytestmark = pytest.mark.django_db

ONCE = re.compile(r'name="(csrfmiddlewaretoken|' + submissions.FORM_FIELD + r')" value="[^"]+"')
LIST_QUERIES = (
    "",
    "?sorteer=niveau",
    "?sorteer=pseudoniem&pagina=2",
    "?pagina=2",
    "?pagina=3",
    "?pagina=99",  # past the end: the last page, with a notice (400)
    "?sorteer=onbekend",  # refused: the default, with a notice (400)
    "?recent=3",
    "?recent=12&sorteer=pseudoniem&pagina=2",
    "?niveau=1",
    "?niveau=4",  # nobody: "No persons match these choices."
)


@pytest.fixture
def many(world, monkeypatch):
    """Five persons of the own organisation on pages of two, one with a timeline of three
    registrations on pages of two; the professional's client."""
    monkeypatch.setattr(web_pages, "PAGE_SIZE", 2)
    monkeypatch.setattr(views, "TIMELINE_PAGE_SIZE", 2)
    actor = world.actor(Role.PROFESSIONAL)
    persons = [world.own_person]
    for n in range(4):
        person = factories.person(actor)
        persons.append(person)
        for days in range(n):
            factories.registration(
                actor, person, observed_on=date(2026, 1, 1 + days), context_note="a <b> & 'c'"
            )
    return persons


def fetch(client, paths: list[str]) -> list[tuple[int, str]]:
    return [
        (r.status_code, ONCE.sub("once", r.content.decode()))
        for r in (client.get(path) for path in paths)
    ]


def test_the_pages_are_what_rendering_every_part_afresh_gives(world, login, many, monkeypatch):
    paths, person_pages = [], []
    for language in ("nl", "en"):
        with translation.override(language):
            paths += [reverse("registry:persons") + query for query in LIST_QUERIES]
            for person in many:
                page = reverse("registry:person", kwargs={"pseudonym": person.pseudonym})
                paths += [page, page + "?registraties=2"]
                person_pages.append(page)
    # Two roles in turn (the aandachtsfunctionaris sees more actions on a person's page).
    readers = [(Role.PROFESSIONAL, paths), (Role.AANDACHTSFUNCTIONARIS, person_pages)]

    def read_all() -> list[tuple[int, str]]:
        found = []
        for role, wanted in readers:
            found += fetch(login(world.members[role]), wanted)
        return found

    kept = read_all()
    assert read_all() == kept  # the second time from what was kept
    # 400 where the link asks for what the page does not have: a list page past the end,
    # an unknown sort order, a timeline page 2 of a person with one page (all but the
    # last person, who has three registrations on pages of two).
    refused = ("?pagina=99", "?sorteer=onbekend", "?registraties=2")
    has_page_2 = f"/{many[-1].pseudonym}/"
    statuses = [status for status, _ in kept]
    assert statuses == [
        400 if path.endswith(refused) and has_page_2 not in path else 200
        for path in paths + person_pages
    ]
    first, second = kept[0][1], kept[3][1]  # the list's first and second page
    assert 'rel="next"' in first and 'rel="prev"' in second and first != second
    assert "Pagina 3 van 3" in kept[4][1] and "Page 3 of 3" in kept[len(paths) // 2 + 4][1]

    monkeypatch.setattr(
        lens_frame.SameForEveryRequestNode, "render", lambda self, ctx: self.nodelist.render(ctx)
    )
    monkeypatch.setattr(
        lens_frame.KeptForNode, "render", lambda self, ctx: self.nodelist.render(ctx)
    )
    afresh = read_all()
    for path, (_, got), (_, expected) in zip(paths + person_pages, kept, afresh, strict=True):
        assert got == expected, path


def test_kept_parts_are_kept_by_plain_values_only():
    frozen = lens_frame._frozen
    assert frozen("a&b") != frozen(mark_safe("a&b"))  # a safe text renders otherwise
    assert frozen(1) != frozen(True) != frozen("1")
    assert frozen([{"a": 1}]) == frozen([{"a": 1}]) != frozen([{"a": 2}])
    with pytest.raises(lens_frame._NotPlain):
        frozen(object())
    with pytest.raises(lens_frame._NotPlain):
        frozen(SimpleNamespace(name="x"))


def old_person_rows(rows) -> SafeString:
    """registry_rows.person_rows as it was: a row per format_html call."""
    no_outcome = gettext("no outcome yet")
    return mark_safe(
        "\n        ".join(
            format_html(
                registry_rows.ROW,
                row["url"],
                pseudonym(row["person"].pseudonym),
                row["age_band"],
                level_badge(row["level"], row["level_label"])
                if row["level"] is not None
                else no_outcome,
                day(row["last_observed"]) if row["last_observed"] else registry_rows.DASH,
                row["blind_spots"] if row["blind_spots"] is not None else registry_rows.DASH,
            )
            for row in rows
        )
    )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_rows_are_escaped_as_format_html_escapes_them(language):
    values = ["P-ABCD", "P-<&\"'>", "", mark_safe("<i>safe</i>"), "12-18 jaar", "x & y"]
    rows = []
    for n in range(24):
        rows.append(
            {
                "url": ["/registratie/P-ABCD/", '/r/?a=1&b="2"', mark_safe("/s/&amp;")][n % 3],
                "person": SimpleNamespace(pseudonym=values[n % len(values)]),
                "age_band": [values[(n + 1) % len(values)], 14, None][n % 3],
                "level": [None, 0, 1, 4][n % 4],
                "level_label": ["Label <1> & 'x'", ""][n % 2],
                "last_observed": [None, date(2026, 3, 5), date(2025, 12, 31)][n % 3],
                "blind_spots": [None, 0, 3, "<2>", True][n % 5],
            }
        )
    with translation.override(language):
        assert str(registry_rows.person_rows(rows)) == str(old_person_rows(rows))
        assert registry_rows.person_rows([]) == ""
