"""The two pages that show an identity after asking why (the person page's "Identiteit
tonen" and the case report with the identity) take the purpose form one way:
`lens.web.reveal.reveal_on_post`, in front of the one reveal (lens.access.reveal)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from lens.access.models import AccessLogEntry, Action
from lens.data.registry import Role
from lens.web import reveal as web_reveal

pytestmark = pytest.mark.django_db

REFUSED = "Zeg in woorden waarom: minstens 3 letters of cijfers."


def pages_of(case) -> dict[str, str]:
    with translation.override("nl"):
        return {
            "person": reverse("registry:reveal", kwargs={"pseudonym": case.person.pseudonym}),
            "report": reverse("cases:report", kwargs={"case_id": case.pk}),
        }


@pytest.fixture
def spied(monkeypatch):
    """Every reveal the pages ask for, through the helper's one call."""
    calls: list[tuple[int, str]] = []
    real = web_reveal.reveal_identity

    def spy(actor, person, purpose):
        calls.append((person.pk, purpose))
        return real(actor, person, purpose)

    monkeypatch.setattr(web_reveal, "reveal_identity", spy)
    return calls


def test_both_pages_reveal_through_the_one_helper(world, own_case, login, spied):
    client = login(world.members[Role.PROFESSIONAL])
    page = pages_of(own_case)
    assert client.post(page["person"], {"purpose": "melding aan Veilig Thuis"}).status_code == 200
    response = client.post(page["report"], {"purpose": "dossier Veilig Thuis"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    person = own_case.person.pk
    assert spied == [(person, "melding aan Veilig Thuis"), (person, "dossier Veilig Thuis")]
    reveals = AccessLogEntry.objects.filter(action=Action.REVEAL).values_list("purpose", flat=True)
    assert sorted(reveals) == ["dossier Veilig Thuis", "melding aan Veilig Thuis"]


@pytest.mark.parametrize("where", ["person", "report"])
def test_a_purpose_that_says_nothing_is_refused_alike_on_both_pages(
    world, own_case, login, spied, where
):
    """The form passes "..." (it is not empty); the reveal refuses it, and the page shows
    its reason at the field, as a 400, and reveals nothing."""
    client = login(world.members[Role.PROFESSIONAL])
    response = client.post(pages_of(own_case)[where], {"purpose": "..."})
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert spied == [(own_case.person.pk, "...")]  # asked once, through the helper
    assert not AccessLogEntry.objects.filter(action=Action.REVEAL).exists()


def test_an_empty_purpose_never_reaches_the_reveal(world, own_case, login, spied):
    client = login(world.members[Role.PROFESSIONAL])
    for url in pages_of(own_case).values():
        assert client.post(url, {"purpose": " "}).status_code == 400
    assert spied == []
