"""The "lokaal beeld" as a PDF report (issue 11, section 4): the page's tables, trend
chart, blind spots and method for the page's filters, from the page's own logged
selector (an export in the access log), read back with pdftotext, pdfinfo and pdftoppm.
Analist only; bad filters 400 with a Dutch message; never a person in it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from lens.access.models import AccessLogEntry
from lens.data.registry import Person, Role
from lens.web import pdf, throttle
from tests import pdf_reading

from . import factories

DONGEN, GOIRLE, TILBURG = "GM0766", "GM0785", "GM0855"
FAMILY_NAME = "Zwartvoetje"


@pytest.fixture
def data(world):
    """12 persons in Dongen (a number) and 3 in Goirle (shown as "<10"); one of Goirle's
    has a family name that must never show."""
    actor = world.actor(Role.PROFESSIONAL)
    for municipality, persons in ((DONGEN, 12), (GOIRLE, 3)):
        for i in range(persons):
            extra = {"family_name": FAMILY_NAME} if municipality == GOIRLE and i == 0 else {}
            person = factories.person(actor, **extra)
            factories.registration(
                actor, person, municipality_code=municipality, phenomena=["fraud"]
            )
    return world


def report_url(**query) -> str:
    with translation.override("nl"):
        base = reverse("picture:report")
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_report_holds_the_pages_tables_with_the_suppression(data, login, tmp_path):
    before = AccessLogEntry.objects.count()
    response = login(data.members[Role.ANALIST]).get(report_url())
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    path = pdf_reading.write(response.content, tmp_path)
    found = pdf_reading.text(path)
    assert "Lokaal beeld: Midden-Brabant" in found
    for heading in (
        "Filters van dit rapport",
        "Methode",
        "Personen per periode",  # the trend chart's title and its table
        "Personen per gebied en periode",
        "Personen per indicator",
        "Personen per leefgebied",
        "Personen per soort organisatie",
        "Personen per adviesniveau",
        "Welke signalen komen samen voor?",
    ):
        assert heading in found, heading
    assert "Goirle <10" in found  # the 3 persons of Goirle, suppressed as on the page
    assert "Dongen 0" not in found and "Dongen <10" not in found
    assert "staan er als" in found and "<10" in found  # the method
    assert 1 <= pdf_reading.pages(path) <= 6
    assert pdf_reading.page_size_mm(path) == (210, 297)
    assert pdf_reading.inked_share(path) > 0.02
    assert pdf_reading.info(path)["Tagged"] == "yes"  # PDF/UA-1
    # No person: no pseudonym, no name of any person behind the figures.
    for person in Person.objects.all():
        assert person.pseudonym not in found
    assert FAMILY_NAME not in found
    # Logged as an export, as the CSV and XLSX downloads are; no person in the entry.
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert AccessLogEntry.objects.count() == before + 1
    assert entry.action == "export" and entry.object_type == "local_picture"
    assert entry.person_id is None and "export pdf" in entry.purpose


def test_the_page_the_report_and_the_csv_say_the_same_method(data, login, tmp_path):
    """One method text (lens.picture.tables.SUPPRESSION) on the page, in the PDF and as the
    CSV's note, in plain Dutch: numbers of 10 and more are rounded to tens, so they can
    differ by up to 9, not by 2 (outside probe, December 2026)."""
    import csv
    import html
    import io
    import re

    client = login(data.members[Role.ANALIST])
    with translation.override("nl"):
        page = client.get(reverse("picture:overview"))
        download = client.get(reverse("picture:download", kwargs={"format": "csv"}))
    assert page.status_code == 200 and download.status_code == 200
    note = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))[-1][0]
    assert "tot 9 afwijken" in note and "afgerond op tientallen" in note
    for jargon in ("tot 2", "secundaire", "cell-key", "onderdrukking"):
        assert jargon not in note, jargon
    shown = re.search(r'<p[^>]*id="method"[^>]*>(.*?)</p>', page.content.decode(), re.S)
    assert shown and note in html.unescape(shown.group(1))
    found = pdf_reading.text(pdf_reading.write(client.get(report_url()).content, tmp_path))
    flat = " ".join(found.split())
    assert "".join(note.split()) in "".join(flat.split())  # pdftotext breaks "docs/ design"
    assert "tot 2" not in flat


def test_level_shares_are_rounded_to_five_percent_on_page_and_pdf(data, login, tmp_path):
    """A share of numbers rounded to tens is itself rough: "Aandeel (ongeveer)", to the
    nearest 5 percent, on the page and in the PDF alike ("22%" suggested a precision the
    figures do not have; outside probe, December 2026)."""
    import re

    client = login(data.members[Role.ANALIST])
    with translation.override("nl"):
        page = client.get(reverse("picture:overview")).content.decode()
    found = pdf_reading.text(pdf_reading.write(client.get(report_url()).content, tmp_path))
    for text in (page, found):
        assert "Aandeel (ongeveer)" in text
        shares = [int(p) for p in re.findall(r"(\d+)%", text)]
        assert shares and all(p % 5 == 0 for p in shares), shares


def test_a_municipality_report_has_its_blind_spots(data, login, tmp_path):
    response = login(data.members[Role.ANALIST]).get(report_url(gebied=DONGEN))
    found = pdf_reading.text(pdf_reading.write(response.content, tmp_path))
    assert "Wat zie ik nog niet?" in found
    assert "Goirle" not in found.split("Personen per gebied en periode")[1].split("Totaal")[0]


def test_a_municipality_analist_gets_only_their_municipality(data, login, tmp_path):
    member = factories.membership(Role.ANALIST, municipality=TILBURG)
    response = login(member).get(report_url())
    found = pdf_reading.text(pdf_reading.write(response.content, tmp_path))
    assert "Dongen" not in found and "Goirle" not in found


def test_the_page_links_the_report_with_its_filters(data, login):
    with translation.override("nl"):
        page = reverse("picture:overview")
    html = login(data.members[Role.ANALIST]).get(page + "?type=school").content.decode()
    assert f'href="{report_url()}?type=school"' in html
    assert "Rapport downloaden als PDF" in html


@pytest.mark.parametrize("query", [{"gebied": "GM9999"}, {"periode": "2026-13"}])
def test_a_bad_filter_is_refused_in_dutch(data, login, query):
    before = AccessLogEntry.objects.count()
    response = login(data.members[Role.ANALIST]).get(report_url(**query))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Deze filterwaarde kennen we niet" in body and next(iter(query.values())) in body
    # Nothing exported, but the refused query is logged, as the page logs one
    # (tests/registry/test_picture_refused.py).
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert AccessLogEntry.objects.count() == before + 1
    assert entry.action == "read" and "export pdf geweigerd" in entry.purpose


@pytest.mark.parametrize(
    "role", [Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS, Role.ZORGCOORDINATOR, Role.BEHEERDER]
)
def test_other_roles_get_403(data, login, role):
    assert login(data.members[role]).get(report_url()).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(data, client):
    response = client.get(report_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_renderer_fetches_only_the_projects_static_files():
    fetcher = pdf.StaticOnly()
    css = fetcher.fetch(pdf.STATIC_BASE + pdf.STYLESHEET)
    assert b"@page" in css.read()
    for url in (
        "http://example.com/x.png",
        "https://lens.example.nl/static/css/pdf.css",
        "file:///etc/passwd",
        pdf.STATIC_BASE + "../lens/settings.py",
        pdf.STATIC_BASE + "css/missing.css",
    ):
        with pytest.raises(pdf.NotServed):
            fetcher.fetch(url)


def test_the_renderer_logs_only_its_warnings():
    """WeasyPrint logs every layout step (and fontTools every font) at INFO: on the
    command line that was four lines before a one-line error (tests/core/test_cli.py)."""
    import logging

    for name in ("weasyprint", "weasyprint.progress", "fontTools.ttLib.woff2"):
        assert not logging.getLogger(name).isEnabledFor(logging.INFO), name
        assert logging.getLogger(name).isEnabledFor(logging.WARNING), name


def test_a_users_reports_have_a_budget(data, login):
    """The probe: each report takes 2-3 s of CPU, without a limit. Past the user's budget
    (PAGE_THROTTLE_RATES["picture_report"]) 429 with Retry-After and a Dutch page; nothing
    made or logged."""
    analist = login(data.members[Role.ANALIST])
    rate = settings.PAGE_THROTTLE_RATES["picture_report"]
    who = str(data.members[Role.ANALIST].user.pk)
    for _attempt in range(2):  # once more when a new window began in between
        for _ in range(int(rate.split("/")[0])):  # the budget spent
            throttle.spend("picture_report", who, rate)
        before = AccessLogEntry.objects.count()
        response = analist.get(report_url())
        if response.status_code == 429:
            break
    assert response.status_code == 429 and 1 <= int(response["Retry-After"]) <= 60
    assert "probeer het opnieuw" in response.content.decode()
    assert AccessLogEntry.objects.count() == before
