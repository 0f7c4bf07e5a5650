"""The policy's helpers per object kind (lens.access.policy_work, policy_requests,
policy_relations): 403 for a role that may not, 404 for another region's or
organisation's object, and marking several work-list lines at once."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from lens.access import policy
from lens.coordination import actions
from lens.data.coordination import InformationRequest, WorkItem

pytestmark = pytest.mark.django_db


def test_several_lines_are_marked_at_once_and_another_regions_line_marks_none(across):
    zc = across.actor("zc")
    own = list(WorkItem.objects.filter(region=zc.region, done_at__isnull=True))
    other = WorkItem.objects.exclude(region=zc.region).first()
    assert len(own) >= 2 and other is not None
    with pytest.raises(Http404):
        actions.mark_done(zc, [own[0].pk, other.pk])
    assert not WorkItem.objects.filter(pk=own[0].pk, done_at__isnull=False).exists()
    marked = actions.mark_done(zc, [item.pk for item in own[:2]])
    assert {item.pk for item in marked} == {own[0].pk, own[1].pk}
    assert (
        WorkItem.objects.filter(pk__in=[own[0].pk, own[1].pk], done_at__isnull=False).count() == 2
    )
    assert actions.mark_done(zc, [own[0].pk]) == []  # handled already: nothing new
    with pytest.raises(PermissionDenied):
        actions.mark_done(across.actor("school"), [own[2 if len(own) > 2 else 0].pk])


def test_an_information_request_is_read_only_by_the_asked_organisations_answerer(across):
    asked = actions.ask_information(
        across.actor("zc"), across.at_school, across.school, "Hoe gaat het op school?"
    )
    assert policy.get_request_for(across.actor("school_af"), asked.pk, purpose="t").pk == asked.pk
    with pytest.raises(Http404):
        policy.find_request_for(across.actor("youth_care_af"), asked.pk)
    with pytest.raises(PermissionDenied):
        policy.find_request_for(across.actor("school"), asked.pk)
    with pytest.raises(PermissionDenied):
        policy.find_request_for(across.actor("zc"), asked.pk)


def test_a_question_of_invisible_characters_is_no_question(across):
    for question in ("\u200b\u200b\u200b\u200b", "?", "x"):
        with pytest.raises(ValidationError):
            actions.ask_information(across.actor("zc"), across.at_school, across.school, question)
    assert not InformationRequest.objects.exists()
    asked = actions.ask_information(
        across.actor("zc"), across.at_school, across.school, "Hoe\u200b gaat het?\nEn thuis?"
    )
    assert asked.question == "Hoe gaat het?\nEn thuis?"
    answered = actions.answer_information(across.actor("school_af"), asked, "Ja")
    assert answered.answer == "Ja"
