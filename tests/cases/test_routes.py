"""Every case route x every role x (own organisation, other organisation, anonymous):
the expected status, and no response shows the other organisation's case or person. A
colleague (a professional of the own organisation who does not handle the own case)
reads it but may not act on it: its steps, hand-over, late answers and the report with
the identity are 403 (need to know: lens.access.policy_cases)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from lens.access import routes
from lens.cases import urls as case_urls
from tests import pdf_reading
from tests.registry.conftest import OTHER_NOTE, OTHER_ORG_NAME, ROLES
from tests.registry.test_routes import named_routes

ANONYMOUS = "anonymous"
CASE_PATTERNS = dict(named_routes(case_urls.urlpatterns, "cases:"))
CASE_ROUTES = sorted(CASE_PATTERNS)
OBJECT_ROUTES = [n for n in CASE_ROUTES if CASE_PATTERNS[n].pattern.converters]
POST_ROUTES = {
    "cases:open",
    "cases:step",
    "cases:hand_over",
    "cases:referral_answer",
    "cases:report",
    "cases:late_read",
}
POST_ONLY = {"cases:late_read"}  # a button on the work list: a GET is 405
COLLEAGUE = "colleague"
WHO = [*(str(r) for r in ROLES), COLLEAGUE, ANONYMOUS]
# What only the case's handler or the aandachtsfunctionaris may do (policy.may_work_on);
# "post": only the POST (the report: a GET is the pseudonymous one, a POST the identity).
HANDLER_ONLY = {
    "cases:step": {"get", "post"},
    "cases:hand_over": {"get", "post"},
    "cases:late_read": {"post"},
    "cases:report": {"post"},
}
# A POST without data that has nothing to do: back to a page, no error (the own case has
# no unread late answer: "already read").
NOTHING_TO_DO = {"cases:late_read": "cases:work_list"}
OTHER_DONE = "Stap-van-de-andere-organisatie"


def expected_status(name: str, who: str, target: str, method: str) -> int:
    permission = routes.ROUTES[name]
    if who == ANONYMOUS:
        return 302
    role = "professional" if who == COLLEAGUE else who
    if role not in permission.roles:
        return 403
    if method == "post" and name not in POST_ROUTES:
        return 405
    if method == "get" and name in POST_ONLY:
        return 405
    if target == "other":
        return 404
    if who == COLLEAGUE and method in HANDLER_ONLY.get(name, ()):
        return 403
    if method == "post" and name in NOTHING_TO_DO:
        return 302
    return 400 if method == "post" else 200


def url_for(world, cases, name: str, target: str) -> str:
    pattern = str(CASE_PATTERNS[name].pattern)
    kwargs = {}
    if "pseudonym" in pattern:
        # Opening: the own person has an open case already (GET redirects to it), so the
        # own target is a second own person without one.
        kwargs["pseudonym"] = (cases["fresh"] if target == "own" else world.other_person).pseudonym
    if "case_id" in pattern:
        kwargs["case_id"] = cases[target].pk
    if "link_id" in pattern:
        # The zorgcoördinator's answer: the own case's referral waits for it; the other
        # is a referral from another region's organisation (not in scope: 404; one in
        # scope that was answered already goes back to the list, test_referral_answers).
        kwargs["link_id"] = cases[f"{target}_referral"].pk
    if "transition" in pattern:
        kwargs["transition"] = "map_signals"  # allowed after opening
    with translation.override("nl"):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def cases(world, own_case, other_case):
    from lens.cases import actions
    from tests.registry import factories

    from .conftest import data

    actions.take_step(
        factories.actor(world.other_professional),
        other_case,
        "map_signals",
        data("map_signals", done=OTHER_DONE),
    )
    fresh = factories.person(world.actor("professional"))
    from lens.cases import referrals

    own_step = referrals.take_step(world.actor("professional"), own_case, "refer", data("refer"))
    other_step = referrals.take_step(
        factories.actor(world.other_professional), other_case, "refer", data("refer")
    )
    from lens.data.cases import CaseReferral

    elsewhere = factories.actor(
        factories.membership("professional", factories.organisation(region="elders"))
    )
    far_case = actions.open_case(elsewhere, factories.person(elsewhere), data("open"))
    far_step = referrals.take_step(elsewhere, far_case, "refer", data("refer"))
    other_referral = CaseReferral.objects.get(step=far_step)
    answered = CaseReferral.objects.get(step=other_step)  # not on the list any more
    referrals.answer(world.actor("zorgcoordinator"), answered.pk, "advice_given", "")
    return {
        "own": own_case,
        "other": other_case,
        "fresh": fresh,
        "own_referral": CaseReferral.objects.get(step=own_step),
        "other_referral": other_referral,
    }


def url_to_case(cases) -> str:
    with translation.override("nl"):
        return reverse("cases:case", kwargs={"case_id": cases["own"].pk})


def readable(response, folder) -> str:
    """The response as its reader sees it: a PDF (the case's documents) by its text."""
    if response.get("Content-Type") == "application/pdf":
        return pdf_reading.text(pdf_reading.write(response.content, folder))
    return response.content.decode()


def test_every_case_route_is_declared_and_protected():
    for name in CASE_ROUTES:
        assert name in routes.ROUTES, name
        assert getattr(CASE_PATTERNS[name].callback, "permission_protected", False), name


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", CASE_ROUTES)
def test_route_matrix(client, world, cases, login, name, who, tmp_path):
    if who == COLLEAGUE:
        from tests.registry import factories

        login(factories.membership("professional", world.own))
    elif who != ANONYMOUS:
        login(world.members[who])
    secrets = (OTHER_NOTE, OTHER_ORG_NAME, OTHER_DONE, world.other_person.pseudonym)
    problems = []
    for target in ["own", "other"] if name in OBJECT_ROUTES else ["none"]:
        url = url_for(world, cases, name, target)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            expected = expected_status(name, who, target, method)
            where = f"{method.upper()} {url} ({target})"
            if response.status_code != expected:
                problems.append(f"{where}: {response.status_code}, expected {expected}")
            if who == COLLEAGUE and expected == 403 and method in HANDLER_ONLY.get(name, ()):
                body = response.content.decode()
                if "Alleen de behandelaar" not in body or url_to_case(cases) not in body:
                    problems.append(f"{where}: a bare 403, not why and the way back")
            allowed = [reverse(settings.LOGIN_URL)]
            if name in NOTHING_TO_DO:
                with translation.override("nl"):
                    allowed.append(reverse(NOTHING_TO_DO[name]))
            if response.status_code == 302 and not response["Location"].startswith(tuple(allowed)):
                problems.append(f"{where}: redirects to {response['Location']}")
            body = readable(response, tmp_path)
            for secret in secrets:
                if secret in body:
                    problems.append(f"{where}: shows {secret!r} to {who}")
    assert not problems, "\n".join(problems)
