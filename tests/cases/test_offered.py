"""What the case page offers is what the step pages and the actions accept (one rule,
lens.casework.workflow.own_problems), through the real URLconf: no "answer of the
zorgcoördinator", no second referral while one is open, and a hand-over list without
the case's own handler."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from lens.cases import referrals
from lens.casework.workflow import TRANSITIONS
from lens.data.cases import Case, Step
from lens.data.registry import Role
from lens.web import submissions
from tests.registry.test_views import url

from .conftest import data, walk

pytestmark = pytest.mark.django_db


def offered_on_page(client, case: Case) -> set[str]:
    body = client.get(url("cases:case", case_id=case.pk)).content.decode()
    prefix = re.escape(url("cases:case", case_id=case.pk))
    return set(re.findall(prefix + r"stap/(\w+)/", body))


def assert_offered_is_accepted(client, case: Case) -> set[str]:
    offered = offered_on_page(client, case)
    for name in sorted(TRANSITIONS):
        if name == "open":
            continue
        path = url("cases:step", case_id=case.pk, transition=name)
        response = client.get(path)
        expected = 200 if name in offered else 302  # 302: back to the case, with why
        assert response.status_code == expected, (name, offered)
        if name not in offered:  # the POST answers as the GET, with the same message
            shown = client.get(response["Location"]).content.decode()
            steps = Step.objects.filter(case=case).count()
            posted = client.post(path, filled(steps), follow=True)
            assert posted.redirect_chain == [(response["Location"], 302)], name
            assert message(posted.content.decode()) == message(shown) != "", name
            assert Step.objects.filter(case=case).count() == steps  # nothing written
    return offered


def filled(steps: int) -> dict[str, str]:
    """A step form as a browser sends it (every step's common fields, `seen` as shown)."""
    return {
        submissions.FORM_FIELD: submissions.new_key(),
        "on": timezone.localdate().isoformat(),
        "done": "Gedaan",
        "seen": str(steps),
    }


def message(page: str) -> str:
    found = re.search(r'class="[^"]*utrecht-alert__message[^"]*"[^>]*>(.*?)<', page, re.S)
    return found.group(1).strip() if found else ""


def test_only_steps_the_case_accepts_are_offered(world, own_case, login):
    client = login(world.members[Role.PROFESSIONAL])
    professional = world.actor(Role.PROFESSIONAL)
    today = timezone.localdate()
    offered = assert_offered_is_accepted(client, own_case)
    assert "referral_answered" not in offered and "refer" in offered  # no referral open
    walk(professional, own_case, "map_signals", on=today)
    referrals.take_step(professional, own_case, "refer", data("refer", on=today))
    offered = assert_offered_is_accepted(client, own_case)
    assert "refer" not in offered and "referral_answered" not in offered  # one is open
    walk(professional, own_case, "acute", on=today)  # a report is due first: no closing
    offered = assert_offered_is_accepted(client, own_case)
    assert "report" in offered and "close" not in offered


def test_the_hand_over_list_leaves_out_the_handler(world, own_case, login):
    from tests.registry import factories

    colleague = factories.membership(Role.PROFESSIONAL, world.own)
    handler = world.members[Role.PROFESSIONAL].user
    client = login(world.members[Role.PROFESSIONAL])
    body = client.get(url("cases:hand_over", case_id=own_case.pk)).content.decode()
    assert f'<option value="{colleague.user_id}"' in body
    assert f'<option value="{handler.pk}"' not in body  # offered: never the handler
    assert f'name="handler" value="{handler.pk}"' in body  # seen: for the stale check
    response = client.post(
        url("cases:hand_over", case_id=own_case.pk),
        {submissions.FORM_FIELD: submissions.new_key(), "to": handler.pk},
    )
    assert response.status_code == 400  # not one of the choices: the same list
    own_case.refresh_from_db()
    assert own_case.assigned_to == handler
