"""Every transition's form, through the pages: a case walked from opening to closing
with every kind of step, each form's fields turned into the workflow's data."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lens.cases import records
from lens.data.cases import Case
from lens.data.registry import Role
from lens.web import submissions
from tests.registry.test_views import text, url

pytestmark = pytest.mark.django_db

YES = dict.fromkeys(("suspicion", "unsafety", "can_help", "accepted", "lasting"), "yes")

# (transition, its own fields, the state after it)
WALK = [
    ("map_signals", {}, "signals_mapped"),
    ("refer", {"organisation": "Zorgcoördinator Synthetisch"}, "signals_mapped"),
    (
        "consult",
        {
            "role_1": "colleague",
            "consultee_1": "Mentor",
            "role_2": "police_avim",
            "organisation_2": "Politie Synthetisch",
            "anonymous_2": "on",
        },
        "consulted",
    ),
    ("referral_answered", {"answer": "advice_given"}, "consulted"),
    ("converse", {"not_held_reason": "unsafe"}, "conversation"),
    ("weigh", YES, "weighed"),
    (
        "report",
        {
            "organisation": "Veilig Thuis Synthetisch",
            "report_grounds": ["acute_or_structural_unsafety", "own_judgement"],
        },
        "reported",
    ),
    ("organise_help", {}, "following_help"),
    ("review_help", {"lasting_safety": "yes"}, "following_help"),
    ("close", {"reason": "help_organised"}, "closed"),
    ("reopen", {"reason": "new_signals"}, "opened"),
    ("acute", {"emergency": ["called_112", "police_engaged"]}, "acute"),
]


def test_every_transition_through_its_form(world, login):
    client = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    today = timezone.localdate().isoformat()

    def post(path, **fields):
        key = submissions.new_key()
        return client.post(path, {submissions.FORM_FIELD: key, "on": today, **fields})

    response = post(
        url("cases:open", pseudonym=world.own_person.pseudonym) + "?voorstel=1",
        trigger="proposed",
        done="Geopend",
    )
    assert response.status_code == 302, text(response)
    case = Case.objects.get()
    for transition, fields, state in WALK:
        if transition == "referral_answered":  # the zorgcoördinator's answer, not a form here
            coordinator = login(world.members[Role.ZORGCOORDINATOR])
            [link] = case.referrals.all()
            answer_url = url("cases:referral_answer", link_id=link.pk)
            assert coordinator.post(answer_url, fields).status_code == 302
            login(world.members[Role.AANDACHTSFUNCTIONARIS])
            case.refresh_from_db()
            assert case.state == state, transition
            continue
        step_url = url("cases:step", case_id=case.pk, transition=transition)
        assert client.get(step_url).status_code == 200, transition
        response = post(step_url, done=f"Gedaan: {transition}", **fields)
        assert response.status_code == 302, (transition, text(response))
        case.refresh_from_db()
        assert case.state == state, transition
    steps = records.stored_steps(case)
    # ?voorstel=1 and a posted trigger do not count: the person's own level is 1.
    assert steps[0].fields == {"trigger": "by_hand"}
    consult = next(s for s in steps if s.transition == "consult")
    rows = [(c.role, c.organisation, c.consultee, c.anonymous) for c in consult.consultations.all()]
    assert rows == [
        ("colleague", "", "Mentor", False),
        ("police_avim", "Politie Synthetisch", "", True),
    ]
    weigh = next(s for s in steps if s.transition == "weigh")
    assert weigh.fields["answers"] == dict.fromkeys(YES, True)
    page = text(client.get(url("cases:case", case_id=case.pk)))
    assert "Acuut gevaar" in page and "Melden bij Veilig Thuis" in page
    assert "Politie Synthetisch" in page and "anoniem" in page
    assert "Niet gevoerd: niet veilig" in page


def test_a_step_the_state_does_not_allow_goes_back_to_the_case(world, login, own_case):
    client = login(world.members[Role.PROFESSIONAL])
    response = client.get(url("cases:step", case_id=own_case.pk, transition="weigh"))
    assert response.status_code == 302
    assert response["Location"] == url("cases:case", case_id=own_case.pk)
    assert client.get(url("cases:step", case_id=own_case.pk, transition="nope")).status_code == 404
    assert client.get(url("cases:step", case_id=own_case.pk, transition="open")).status_code == 404
