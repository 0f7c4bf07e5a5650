"""The check's answers taken into a new registration (issue 12 §3): a logged-in user who
may register sees a button on the check's outcome page that posts the signals answered
yes and the risk factors to the new-registration form, which opens prefilled; nothing is
written until the form is registered as usual. Anonymous visitors and the other roles
get no button, and a direct POST is refused as lens.access.routes says. The codes go
through the registry's own rules (retired codes mapped, unknown ones and the check-only
question refused with a Dutch message)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lens.check.forms import signal_field_name
from lens.data.registry import Role
from tests.check.conftest import elements, inputs
from tests.login import log_in

from .factories import counts
from .test_views import soft, text, url

pytestmark = pytest.mark.django_db

OUTCOME = "/uitkomst/"
DANGER = "direct_danger_now"
BUTTON = "Neem deze signalen over in een nieuwe registratie"
MAY_REGISTER = [Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS]


def check_answers(catalogue) -> tuple[dict, list[str], list[str]]:
    """Answers to the check: three signals yes, one no, one unknown, the danger question
    yes, two risk factors. Returns the post and the signals and risk factors to take over."""
    yes = soft(catalogue, 3)
    no, unknown = soft(catalogue, 5)[3:]
    # Two boxes the check asks (the age gives "young age", the check has no box for it).
    risks = [code for code in catalogue.risk_factors if code != "young_age"][:2]
    data = {signal_field_name(c): "yes" for c in [*yes, DANGER]}
    data |= {signal_field_name(no): "no", signal_field_name(unknown): "unknown"}
    data |= {"risk_factors": risks, "audience": "professional"}
    return data, yes, risks


def transfer_form(html: str) -> tuple[str, list[dict[str, str]]]:
    """The action and the inputs of the outcome page's form that takes the answers over."""
    start = html.index('<section class="lens-stack lens-no-print lens-transfer"')
    part = html[start : html.index("</section>", start)]
    ((_tag, form),) = elements(part, "form")
    return form["action"], inputs(part)


def ticked(html: str, name: str) -> list[str]:
    return [
        a["value"]
        for a in inputs(html)
        if a.get("type") == "checkbox" and a.get("name") == name and "checked" in a
    ]


def writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in q["sql"]
    ]


@pytest.mark.parametrize("role", MAY_REGISTER)
def test_who_may_register_takes_the_answers_into_a_prefilled_form(world, catalogue, role):
    member = world.members[role]
    client = Client(enforce_csrf_checks=True)  # the page's token, as a browser sends it
    log_in(client, member.user, member)
    data, yes, risks = check_answers(catalogue)
    before = counts()
    with CaptureQueriesContext(connection) as queries:
        page = client.post(OUTCOME, data)
    assert page.status_code == 200
    html = page.content.decode()
    assert BUTTON in html
    action, posted = transfer_form(html)
    assert action == url("registry:register") and "?" not in action  # codes in the body only
    fields = [(i["name"], i.get("value", "")) for i in posted if i.get("type") == "hidden"]
    assert [v for n, v in fields if n == "signals"] == yes  # not no, unknown or danger now
    assert [v for n, v in fields if n == "risk_factors"] == risks
    # the form as the browser sends it (with the CSRF token of the page)
    form = client.post(action, _body(fields))
    assert form.status_code == 200
    shown = form.content.decode()
    assert ticked(shown, "signals") == yes
    assert ticked(shown, "risk_factors") == risks
    assert 'name="given_names"' in shown and 'value="' not in _field(shown, "given_names")
    assert "Fout" not in text(form)  # no error summary
    assert counts() == before  # nothing registered, nothing logged
    assert writes(queries) == []
    # no signal to take over (the danger question is not one): no button
    danger_only = client.post(OUTCOME, {signal_field_name(DANGER): "yes"}).content.decode()
    assert BUTTON not in danger_only


def _body(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    body: dict[str, list[str]] = {}
    for name, value in fields:
        body.setdefault(name, []).append(value)
    return body


def _field(html: str, name: str) -> str:
    start = html.index(f'name="{name}"')
    return html[html.rindex("<input", 0, start) : html.index(">", start)]


def test_the_prefilled_form_registers_as_usual(world, login, catalogue):
    client = login(world.members[Role.PROFESSIONAL])
    _data, yes, _risks = check_answers(catalogue)
    form = client.post(url("registry:register"), {"from_check": "1", "signals": yes})
    assert form.status_code == 200 and ticked(form.content.decode(), "signals") == yes
    key = next(i["value"] for i in inputs(form.content.decode()) if i["name"] == "submission_key")
    before = counts()
    done = client.post(
        url("registry:register"),
        {
            "submission_key": key,
            "given_names": "Synthetische",
            "family_name": "Proefdraai",
            "birth_date": "2010-03-04",
            "signals": yes,
            "observed_on": "2025-01-02",
            "how_learned": "seen_myself",
        },
    )
    assert done.status_code == 302
    assert counts()[:2] == (before[0] + 1, before[1] + 1)


def test_only_who_may_register_gets_the_button_and_the_form(world, catalogue):
    """Anonymous visitors and the roles that may not open the new-registration form
    (lens.access.routes) see no button, and their direct POST is refused (anonymous: to
    the login page; another role: 403); the anonymous check reads no session and writes
    nothing."""
    data, yes, _risks = check_answers(catalogue)
    before = counts()
    anonymous = Client()
    with CaptureQueriesContext(connection) as queries:
        page = anonymous.post(OUTCOME, data)
    html = page.content.decode()
    assert BUTTON not in html and "csrfmiddlewaretoken" not in html
    assert not page.cookies and not anonymous.cookies  # no session, no CSRF cookie
    assert writes(queries) == [] and not [q for q in queries if "django_session" in q["sql"]]
    refused = anonymous.post(url("registry:register"), {"from_check": "1", "signals": yes})
    assert refused.status_code == 302 and "/login/" in refused["Location"]
    assert "signals" not in refused["Location"]  # the codes not put in a URL
    shown, answered = set(), {}
    for role, member in world.members.items():
        client = Client()
        log_in(client, member.user, member)
        if BUTTON in client.post(OUTCOME, data).content.decode():
            shown.add(role)
        response = client.post(url("registry:register"), {"from_check": "1", "signals": yes})
        answered[role] = response.status_code
    assert shown == set(MAY_REGISTER)
    assert answered == {role: 200 if role in MAY_REGISTER else 403 for role in world.members}
    assert counts() == before


def test_retired_unknown_and_check_only_codes(world, login, catalogue):
    """A retired code is ticked as what replaced it (a signal, or a risk factor); an
    unknown code and the danger question are not ticked but named, in Dutch (400)."""
    client = login(world.members[Role.PROFESSIONAL])
    current = soft(catalogue, 1)
    before = counts()
    response = client.post(
        url("registry:register"),
        {
            "from_check": "1",
            "signals": [*current, "lots_of_cash", "possibly_minor", "bestaat_niet", DANGER],
            "risk_factors": ["ook_niet"],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert ticked(html, "signals") == [
        c for c in catalogue.signals if c in {*current, "unexplained_money_or_possessions"}
    ]
    assert ticked(html, "risk_factors") == ["young_age"]
    page = text(response)
    assert "Deze signalen staan niet in de catalogus: bestaat_niet." in page
    assert "is een vraag over dit moment, geen waarneming om vast te leggen" in page
    assert "Deze risicofactoren staan niet in de catalogus: ook_niet." in page
    assert counts() == before


@pytest.mark.parametrize(
    "post",
    [
        {"from_check": "1"},
        {"from_check": "1", "signals": ["x" * 5000]},
        {"from_check": "1", "signals": [""], "risk_factors": ["\x00"]},
    ],
)
def test_odd_posts_never_give_a_server_error(world, login, catalogue, post):
    client = login(world.members[Role.PROFESSIONAL])
    before = counts()
    response = client.post(url("registry:register"), post)
    assert response.status_code == 400
    assert "Vul de voornamen in" not in text(response)  # the form is not registered yet
    assert counts() == before


@pytest.mark.parametrize(("age", "young"), [("under_16", True), ("16_17", True), ("older", False)])
def test_the_age_takes_over_as_the_risk_factor_young_age(world, catalogue, age, young):
    """The check asks the age instead of the box "young age" (under 18 gives it): the
    registration takes it over as that risk factor, beside the ticked ones."""
    member = world.members[Role.PROFESSIONAL]
    client = Client()
    log_in(client, member.user, member)
    data, _yes, risks = check_answers(catalogue)
    html = client.post(OUTCOME, data | {"age": age}).content.decode()
    _action, posted = transfer_form(html)
    taken = [i["value"] for i in posted if i.get("name") == "risk_factors"]
    wanted = {*risks, "young_age"} if young else set(risks)
    assert taken == [code for code in catalogue.risk_factors if code in wanted]
