"""The zorgcoördinator's persons and combined picture (lens.coordination.views.picture):
need to know (level 2 or referred, own region), every read logged per record, one signal
reported by two organisations counted once and shown as confirmed, naming the lead and
asking an organisation for information.
"""

from __future__ import annotations

import html
import re

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone, translation

from lens.access.models import AccessLogEntry, Action
from lens.catalogue import services
from lens.coordination import actions, combined
from lens.coordination import picture as building
from lens.coordination import urls as coordination_urls
from lens.coordination.views import picture as views
from lens.data.coordination import InformationRequest, LeadAssignment
from lens.data.registry import PersonOutcome, Role
from lens.registry import actions as registry_actions
from tests.registry import factories
from tests.registry import test_list_notices as notices

from .conftest import (
    AMSTERDAM_NOTE,
    OTHER_REGION,
    SCHOOL_NOTE,
    SOFT,
    STRONG,
    YOUTH_CARE_NOTE,
)

pytestmark = pytest.mark.django_db

EMPTY = "\u2013"  # an empty table cell shows a dash


def url(name: str, language: str = "nl", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"coordination:{name}", kwargs=kwargs or None)


def text(response) -> str:
    body = response.content.decode()
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def section(response, heading_id: str) -> str:
    """The HTML of the page's <section> labelled by `heading_id`."""
    body = response.content.decode()
    start = body.index(f'aria-labelledby="{heading_id}"')
    return body[start : body.index("</section>", start)]


def new_entries(before: int) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(pk__gt=before).order_by("pk"))


def last_entry_id() -> int:
    last = AccessLogEntry.objects.order_by("-pk").first()
    return last.pk if last else 0


# --- the combined picture ------------------------------------------------------------------


def test_the_coordinator_sees_the_combined_picture_and_every_record_is_logged(
    client, login, across, catalogue
):
    login(across.members["zc"])
    before = last_entry_id()
    response = client.get(url("picture", pseudonym=across.at_school.pseudonym))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")  # never_cache
    body = html.unescape(response.content.decode())
    # Both organisations of the region, their records, signals and context notes.
    for shown in (
        across.school.name,
        across.youth_care.name,
        across.school.contact_email,
        across.youth_care.contact_phone,
        across.at_school.pseudonym,
        across.at_youth_care.pseudonym,
        SCHOOL_NOTE,
        YOUTH_CARE_NOTE,
        catalogue.signals[STRONG].label.nl,
        catalogue.signals[SOFT].label.nl,
    ):
        assert shown in body, shown
    # The record in another region: its organisation and contact only.
    assert across.amsterdam.name in body and across.amsterdam.contact_email in body
    assert across.in_amsterdam.pseudonym not in body and AMSTERDAM_NOTE not in body
    # A READ per record of the region, with the page's purpose, and nothing else.
    entries = new_entries(before)
    assert [(e.person_id, e.action, e.purpose, e.role) for e in entries] == [
        (across.at_school.pk, Action.READ, "gecombineerd beeld", Role.ZORGCOORDINATOR),
        (across.at_youth_care.pk, Action.READ, "gecombineerd beeld", Role.ZORGCOORDINATOR),
    ]


def test_the_page_reads_the_same_from_any_record_of_the_person(client, login, across):
    login(across.members["zc"])
    response = client.get(url("picture", pseudonym=across.at_youth_care.pseudonym))
    assert response.status_code == 200
    assert SCHOOL_NOTE in response.content.decode()


def test_another_regions_coordinator_gets_not_found(client, login, across):
    login(across.members["zc_amsterdam"])
    before = last_entry_id()
    for pseudonym in (across.at_school.pseudonym, across.referred.pseudonym):
        assert client.get(url("picture", pseudonym=pseudonym)).status_code == 404
        assert client.get(url("ask", pseudonym=pseudonym)).status_code == 404
        response = client.post(url("lead", pseudonym=pseudonym), {"organisation": across.school.pk})
        assert response.status_code == 404
    # Their own region's record is below the threshold there (one soft signal).
    assert client.get(url("picture", pseudonym=across.in_amsterdam.pseudonym)).status_code == 404
    assert new_entries(before) == []
    assert not LeadAssignment.objects.exists()


def test_a_record_below_the_threshold_and_not_referred_is_not_found(client, login, across):
    assert combined.latest(across.below).level == 1
    login(across.members["zc"])
    before = last_entry_id()
    for pseudonym in (across.below.pseudonym, "P-ZZZZ", "niet-een-pseudoniem"):
        assert client.get(url("picture", pseudonym=pseudonym)).status_code == 404
        assert client.get(url("ask", pseudonym=pseudonym)).status_code == 404
        assert client.post(url("ask", pseudonym=pseudonym), {}).status_code == 404
        assert client.post(url("lead", pseudonym=pseudonym), {}).status_code == 404
    assert new_entries(before) == []


def test_a_referred_person_is_visible_at_level_0(client, login, across):
    assert combined.latest(across.referred) is None  # no signals registered at all
    login(across.members["zc"])
    response = client.get(url("picture", pseudonym=across.referred.pseudonym))
    assert response.status_code == 200
    assert "Niveau 0 van 4" in text(response)
    assert "Geen signalen" in text(response)  # the level's label in the catalogue
    assert across.referred.pseudonym in response.content.decode()
    assert SCHOOL_NOTE not in response.content.decode()  # another person's data


COORDINATION_ROUTES = [p.name for p in coordination_urls.urlpatterns if isinstance(p, URLPattern)]


def route_kwargs(name: str, across) -> dict:
    pattern = str(next(p for p in coordination_urls.urlpatterns if p.name == name).pattern)
    kwargs = {}
    if "<str:pseudonym>" in pattern:
        kwargs["pseudonym"] = across.at_school.pseudonym
    for key in ("item_id", "relation_id", "link_id"):
        if f"<int:{key}>" in pattern:
            kwargs[key] = 1
    return kwargs


@pytest.mark.parametrize("who", ["school", "school_af", "analist", "beheerder"])
def test_other_roles_are_refused_every_coordination_page(client, login, across, who):
    login(across.members[who])
    before = last_entry_id()
    problems = []
    for name in COORDINATION_ROUTES:
        address = url(name, **route_kwargs(name, across))
        for method in ("get", "post"):
            status = getattr(client, method)(address).status_code
            if status != 403:
                problems.append(f"{method.upper()} {address}: {status}")
    assert not problems, "\n".join(problems)
    assert new_entries(before) == []


def test_anonymous_visitors_are_sent_to_the_login(client, across):
    response = client.get(url("picture", pseudonym=across.at_school.pseudonym))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- one signal from two organisations ---------------------------------------------------


def test_a_signal_reported_by_two_organisations_counts_once_and_shows_as_confirmed(
    client, login, across, catalogue
):
    own = PersonOutcome.objects.filter(person=across.at_school).latest()
    together = combined.latest(across.at_school)
    # The youth care's report of the same strong signal adds nothing to the level or the
    # value: 4 (strong) + 1 (soft) = 5, level 2; counted twice it would be 9, level 3.
    assert together.level == own.level == 2
    shown = factories.combined_document(across.at_school)
    assert shown["values"]["total"] == factories.document(own)["values"]["total"] == 5
    assert sorted(together.members) == sorted([across.at_school.pk, across.at_youth_care.pk])

    login(across.members["zc"])
    response = client.get(url("picture", "en", pseudonym=across.at_school.pseudonym))
    assert response.status_code == 200
    signals = section(response, "signals")
    rows = re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", signals, re.S)
    by_label = {
        html.unescape(re.search(r'scope="row"[^>]*>([^<]+)<', r).group(1)): r for r in rows[1:]
    }
    strong = by_label[catalogue.signals[STRONG].label.en]
    assert "confirmed by 2 organisations" in strong
    assert across.school.name in strong and across.youth_care.name in strong
    soft = by_label[catalogue.signals[SOFT].label.en]
    assert "confirmed" not in soft and across.youth_care.name not in soft
    assert len(rows) == 3  # the header and one row per signal, not per report
    assert "Level 2 of 4" in text(response)


# --- the matrix, the blind spots, the timeline -------------------------------------------


def test_the_matrix_names_the_organisations_per_area_of_life_and_indicator(
    client, login, across, catalogue
):
    login(across.members["zc"])
    response = client.get(url("picture", "en", pseudonym=across.at_school.pseudonym))
    matrix = section(response, "matrix")
    assert "<caption" in matrix and '<th scope="col"' in matrix and '<th scope="row"' in matrix
    rows = re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", matrix, re.S)
    header = [html.unescape(h) for h in re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', rows[0])]
    table = {}
    for row in rows[1:]:
        label = html.unescape(re.search(r'<th scope="row"[^>]*>([^<]+)</th>', row).group(1))
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        table[label] = dict(zip(header[1:], cells, strict=True))
    domain = {code: d.label.en for code, d in catalogue.life_domains.items()}
    indicator = {code: i.label.en for code, i in catalogue.indicators.items()}
    assert header[1:] == list(indicator.values())  # a column per indicator, in order
    assert set(table) == set(domain.values())  # a row per leefgebied
    both = ", ".join(sorted([across.school.name, across.youth_care.name]))  # by name
    # STRONG: indicators finances and coercion/control, leefgebieden wonen & financiën and
    # werk & sociaal; SOFT (school only): school/work in zingeving & leren.
    assert table[domain["wonen_financien"]][indicator["finances"]] == both
    assert table[domain["werk_sociaal"]][indicator["coercion_control"]] == both
    assert table[domain["zingeving_leren"]][indicator["school_work"]] == across.school.name
    assert table[domain["gezondheid"]][indicator["finances"]] == EMPTY
    assert table[domain["zingeving_leren"]][indicator["finances"]] == EMPTY


def test_blind_spots_name_the_organisations_of_the_region_that_could_see_them(
    client, login, across, catalogue
):
    gp = factories.organisation(
        "Synthetische Huisartsenpraktijk", organisation_type="general_practitioner"
    )
    far_gp = factories.organisation(
        "Synthetische Huisarts Amsterdam",
        organisation_type="general_practitioner",
        region=OTHER_REGION,
    )
    login(across.members["zc"])
    response = client.get(url("picture", "en", pseudonym=across.at_school.pseudonym))
    blind = section(response, "blind")
    items = re.findall(r'<li class="lens-blind__item">(.*?)</ul>\s*</li>', blind, re.S)

    def spot(label: str) -> str:
        return next(i for i in items if f'<p class="lens-blind__label">{label}</p>' in i)

    health = spot(html.escape(catalogue.life_domains["gezondheid"].label.en))
    assert gp.name in health and gp.contact_email in health and gp.contact_name in health
    assert far_gp.name not in blind  # another region's organisations are not offered
    # An involved organisation of a kind that may see a blind spot: ask it.
    behaviour = spot(catalogue.indicators["behaviour"].label.en)
    ask = url("ask", "en", pseudonym=across.at_school.pseudonym)
    assert f'href="{ask}?organisatie={across.youth_care.pk}"' in behaviour
    assert f"?organisatie={gp.pk}" not in blind  # not involved: its contact only


def test_the_timeline_has_every_registration_of_the_region_newest_first(client, login, across):
    registry_actions.withdraw_registration(
        across.actor("youth_care"), across.youth_care_registration, "Verkeerde datum genoteerd."
    )
    again = factories.registration(
        across.actor("youth_care"),
        across.at_youth_care,
        signals=[STRONG],
        context_note="Opnieuw-geregistreerd-met-goede-datum",
        observed_on=timezone.localdate(),
    )
    login(across.members["zc"])
    response = client.get(url("picture", "en", pseudonym=across.at_school.pseudonym))
    assert response.status_code == 200
    timeline = section(response, "timeline")
    headings = re.findall(r'<h3 class="utrecht-heading-3" id="registration-(\d+)">', timeline)
    assert headings[0] == str(again.pk)  # newest observation first
    assert sorted(headings) == sorted(
        str(r.pk) for r in (again, across.youth_care_registration, across.school_registration)
    )
    assert "Verkeerde datum genoteerd." in timeline and "withdrawn" in timeline
    assert across.youth_care.name in timeline and across.school.name in timeline
    assert AMSTERDAM_NOTE not in response.content.decode()


def test_an_earlier_version_shows_its_risk_factors_as_on_the_person_page(client, login, across):
    """The earlier versions are the person page's own rows (one include): with their risk
    factors, which the combined picture showed only for the newest version."""
    catalogue, _ruleset = services.active()
    risk = next(iter(catalogue.risk_factors.values()))
    school = across.actor("school")
    with_risk = registry_actions.correct_registration(
        school, across.school_registration, risk_factors=[risk.code]
    )
    registry_actions.correct_registration(school, with_risk, risk_factors=[])
    login(across.members["zc"])
    response = client.get(url("picture", pseudonym=across.at_school.pseudonym))
    earlier = section(response, "timeline").split('<details class="lens-details">', 1)[1]
    earlier = earlier.split("</details>", 1)[0]
    assert "Versie 2" in earlier and risk.label.nl in html.unescape(earlier)


def test_relations_show_ends_out_of_view_without_their_pseudonym(client, login, across):
    school = across.actor("school")
    actions.record_relation(school, across.at_school, across.below, "family", "Broer of zus.")
    actions.record_relation(school, across.referred, across.at_school, "suspected_recruiter")
    login(across.members["zc"])
    before = last_entry_id()
    response = client.get(url("picture", "en", pseudonym=across.at_school.pseudonym))
    relations = section(response, "relations")
    assert "a person outside your view" in relations
    assert across.below.pseudonym not in response.content.decode()
    picture_of_referred = url("picture", "en", pseudonym=across.referred.pseudonym)
    assert f'href="{picture_of_referred}"' in relations
    assert "Suspected recruiter of" in relations and "Broer of zus." in relations
    # The referred record is shown by pseudonym: a LIST entry; the other end is not shown.
    listed = [(e.person_id, e.action) for e in new_entries(before) if e.action == Action.LIST]
    assert listed == [(across.referred.pk, Action.LIST)]
    new = url("relation_new", "en", pseudonym=across.at_school.pseudonym)
    assert f'href="{new}"' in relations


# --- naming the lead ---------------------------------------------------------------------


def test_naming_the_lead_is_saved_and_logged(client, login, across):
    login(across.members["zc"])
    before = last_entry_id()
    response = client.post(
        url("lead", pseudonym=across.at_school.pseudonym),
        {"organisation": str(across.youth_care.pk)},
    )
    assert response.status_code == 302
    assert response["Location"] == url("picture", pseudonym=across.at_school.pseudonym)
    assignment = LeadAssignment.objects.get()
    assert assignment.person == across.at_youth_care  # the youth care's own record
    assert assignment.assigned_by == across.members["zc"].user
    assert [(e.person_id, e.action, e.purpose) for e in new_entries(before)] == [
        (across.at_youth_care.pk, Action.CHANGE, actions.PURPOSE_LEAD)
    ]
    page = client.get(response["Location"])
    with translation.override("nl"):
        message = translation.gettext("%(organisation)s now has the lead.")
    assert message % {"organisation": across.youth_care.name} in text(page)
    page = client.get(url("picture", "en", pseudonym=across.at_school.pseudonym))
    assert f"{across.youth_care.name} has the lead." in text(page)
    involved = section(page, "involved")
    assert f'value="{across.youth_care.pk}" checked' in involved
    # The persons list names the lead too.
    persons = client.get(url("persons", "en"))
    assert across.youth_care.name in persons.content.decode()


@pytest.mark.parametrize("posted", ["not-a-number", "", "amsterdam", "999999"])
def test_a_bad_choice_of_lead_is_a_400_in_dutch_and_writes_nothing(client, login, across, posted):
    if posted == "amsterdam":
        posted = str(across.amsterdam.pk)  # involved, but in another region
    login(across.members["zc"])
    before = last_entry_id()
    response = client.post(
        url("lead", pseudonym=across.at_school.pseudonym), {"organisation": posted}
    )
    assert response.status_code == 400
    assert "Kies een van de mogelijkheden." in text(response)
    assert 'id="error-summary"' in response.content.decode()
    assert not LeadAssignment.objects.exists()
    # Showing the picture again is a read of it (logged); nothing was changed.
    entries = new_entries(before)
    assert {(e.action, e.purpose) for e in entries} == {(Action.READ, views.PURPOSE_PICTURE)}


def test_the_lead_page_only_takes_a_post(client, login, across):
    login(across.members["zc"])
    response = client.get(url("lead", pseudonym=across.at_school.pseudonym))
    assert response.status_code == 405


# --- asking for information --------------------------------------------------------------


def test_the_question_form_is_a_logged_read(client, login, across):
    login(across.members["zc"])
    before = last_entry_id()
    address = url("ask", pseudonym=across.at_school.pseudonym)
    response = client.get(f"{address}?organisatie={across.youth_care.pk}")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<option value="{across.youth_care.pk}" selected>' in body
    assert f'<option value="{across.school.pk}">' in body
    assert across.amsterdam.name not in body
    assert [(e.person_id, e.action, e.purpose) for e in new_entries(before)] == [
        (across.at_school.pk, Action.READ, "formulier: informatieverzoek"),
        (across.at_youth_care.pk, Action.READ, "formulier: informatieverzoek"),
    ]


def test_asking_an_organisation_creates_a_request_and_logs_it(client, login, across):
    login(across.members["zc"])
    before = last_entry_id()
    response = client.post(
        url("ask", pseudonym=across.at_school.pseudonym),
        {"organisation": str(across.youth_care.pk), "question": "  Sinds wanneer is er schuld?  "},
    )
    assert response.status_code == 302
    assert response["Location"] == url("picture", pseudonym=across.at_school.pseudonym)
    request = InformationRequest.objects.get()
    assert request.person == across.at_youth_care
    assert request.question == "Sinds wanneer is er schuld?"
    assert request.asked_by == across.members["zc"].user
    assert [(e.person_id, e.action, e.purpose) for e in new_entries(before)] == [
        (across.at_youth_care.pk, Action.CREATE, actions.PURPOSE_REQUEST)
    ]
    page = client.get(url("picture", "en", pseudonym=across.at_school.pseudonym))
    requests = section(page, "requests")
    assert "Sinds wanneer is er schuld?" in requests and "not answered yet" in requests
    # Answered by the youth care's aandachtsfunctionaris: on the picture with its answer.
    actions.answer_information(
        across.actor("youth_care_af"), request, "Sinds de zomer, volgens de moeder."
    )
    page = client.get(url("picture", "en", pseudonym=across.at_school.pseudonym))
    requests = section(page, "requests")
    assert "Sinds de zomer, volgens de moeder." in requests
    assert f"by {across.youth_care.name}" in requests


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"organisation": "", "question": "Een vraag."}, "Choose the organisation to ask."),
        ({"organisation": "amsterdam", "question": "Een vraag."}, "Kies een van de mogelijkheden."),
        ({"organisation": "youth_care", "question": "   "}, "Write your question."),
        ({"organisation": "youth_care", "question": "x" * 2001}, "Houd dit binnen 2000 tekens."),
    ],
)
def test_a_bad_question_is_a_400_and_writes_nothing(client, login, across, posted, message):
    posted = dict(posted)
    if posted["organisation"] in ("amsterdam", "youth_care"):
        posted["organisation"] = str(getattr(across, posted["organisation"]).pk)
    login(across.members["zc"])
    before = last_entry_id()
    response = client.post(url("ask", pseudonym=across.at_school.pseudonym), posted)
    assert response.status_code == 400
    with translation.override("nl"):
        expected = translation.gettext(message)
    assert expected in text(response)
    assert not InformationRequest.objects.exists()
    assert new_entries(before) == []  # a refused POST reads nothing and writes nothing


# --- the persons in scope ----------------------------------------------------------------


def test_the_persons_list_has_one_row_per_person_and_logs_every_record(client, login, across):
    login(across.members["zc"])
    before = last_entry_id()
    response = client.get(url("persons", "en"))
    assert response.status_code == 200
    body = response.content.decode()
    rows = re.findall(r'<tr class="utrecht-table__row">(.*?)</tr>', body, re.S)[1:]
    assert len(rows) == 2  # the person known at two organisations, and the referred one
    cluster = next(r for r in rows if across.at_school.pseudonym in r)
    assert across.at_youth_care.pseudonym in cluster
    assert across.school.name in cluster and across.youth_care.name in cluster
    assert "2 · Consult" in cluster
    assert across.referred.pseudonym in body
    assert across.below.pseudonym not in body and across.in_amsterdam.pseudonym not in body
    listed = sorted((e.person_id, e.action, e.purpose) for e in new_entries(before))
    assert listed == sorted(
        (p.pk, Action.LIST, views.PURPOSE_LIST)
        for p in (across.at_school, across.at_youth_care, across.referred)
    )
    # The level filter.
    filtered = client.get(url("persons", "en") + "?niveau=2").content.decode()
    assert across.at_school.pseudonym in filtered and across.referred.pseudonym not in filtered
    unknown = client.get(url("persons") + "?niveau=9")  # not a level: all levels, said so
    assert unknown.status_code == 400
    assert notices.control_notice("Show level", "All levels") in notices.text(unknown)
    assert across.referred.pseudonym in unknown.content.decode()
    assert notices.NOTICE not in client.get(url("persons") + "?niveau=2").content.decode()


def test_the_persons_list_of_another_region_is_empty(client, login, across):
    login(across.members["zc_amsterdam"])
    before = last_entry_id()
    response = client.get(url("persons", "en"))
    assert response.status_code == 200
    assert across.in_amsterdam.pseudonym not in response.content.decode()
    assert "There is nobody in your view yet" in text(response)
    assert new_entries(before) == []


# --- the presentation functions, without a database ------------------------------------------


def test_reporters_name_each_organisation_once_per_signal():
    found = building.reporters([("A", [STRONG, SOFT]), ("B", [STRONG]), ("A", [STRONG])])
    assert found == {STRONG: ["A", "B"], SOFT: ["A"]}


def test_matrix_and_blind_spots_from_plain_data(catalogue_files):
    from datetime import date

    from lens.rules.engine import assess
    from lens.rules.model import AssessmentInput, Observation

    catalogue, ruleset = catalogue_files.catalogue, catalogue_files.ruleset
    by_signal = {STRONG: ["A", "B"], SOFT: ["A"]}
    table = building.matrix(catalogue, by_signal, "en")
    assert table["columns"] == [i.label.en for i in catalogue.indicators.values()]
    assert [r["label"] for r in table["rows"]] == [
        d.label.en for d in sorted(catalogue.life_domains.values(), key=lambda d: d.order)
    ]
    finances = list(catalogue.indicators).index("finances")
    housing_label = catalogue.life_domains["wonen_financien"].label.en
    housing = next(r for r in table["rows"] if r["label"] == housing_label)
    assert housing["cells"][finances] == ["A", "B"]

    today = date(2026, 11, 1)
    data = AssessmentInput(
        signals=(
            Observation(STRONG, "school", today),
            Observation(STRONG, "youth_care", today),
            Observation(SOFT, "school", today),
        )
    )
    result = assess(catalogue, ruleset, data, today=today)
    rows = building.signal_rows(catalogue, result, by_signal, "en")
    assert [(r["code"], r["confirmations"]) for r in rows] == [(STRONG, 2), (SOFT, 0)]
    spots = building.blind_spot_rows(
        catalogue, result, {"general_practitioner": ["GP"], "school": ["A"]}, {"A"}, "en"
    )
    health = next(s for s in spots["life_domain"] if s["code"] == "gezondheid")
    assert health["organisations"] == [{"organisation": "GP", "involved": False}]
    behaviour = next(s for s in spots["indicator"] if s["code"] == "behaviour")
    assert {"organisation": "A", "involved": True} in behaviour["organisations"]
    assert not any(s["code"] == "finances" for s in spots["indicator"])  # seen: no blind spot


def test_the_persons_list_names_a_page_it_does_not_have(client, login, across):
    login(across.members["zc"])
    for asked, notice in (
        ("abc", notices.dutch(notices.FIRST_PAGE)),
        ("99", notices.last_page_notice(1)),
    ):
        response = client.get(url("persons"), {"pagina": asked})
        assert response.status_code == 400 and notice in notices.text(response)
        assert across.at_school.pseudonym in response.content.decode()
