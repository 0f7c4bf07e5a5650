"""The Django actions under random sequences of steps (hypothesis RuleBasedStateMachine),
against the pure workflow as the model (tests/casework/test_properties.py is the pure
machine; its strategies are reused here).

Each run opens a case for a new person through `actions.open_case` and takes random
steps, valid and invalid, through `actions.take_step`. After every step: the action
agreed with the pure workflow (refused exactly when it refuses, and then stored and
logged nothing); the case's columns are the model's and what `replay` of the stored
steps gives; every closed case has a close reason; each stored step has one access-log
entry; a person never has two open cases in the organisation.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from lens.access.models import AccessLogEntry
from lens.cases import actions, records
from lens.casework.workflow import (
    CLOSE_REASONS,
    TRANSITIONS,
    State,
    StepData,
    allowed_transitions,
    apply,
    check_transition,
    own_problems,
)
from lens.casework.workflow import Case as Flow
from lens.data.cases import Case, Step
from lens.data.registry import Role
from tests.casework.factories import VALID
from tests.casework.test_properties import ANY_FIELD, FORWARD, VALID_VARIED
from tests.registry import factories

from .conftest import DAY, data

pytestmark = pytest.mark.django_db


class StoredCaseMachine(RuleBasedStateMachine):
    actor = None  # set by the test: a professional of the own organisation

    @initialize()
    def open(self):
        self.person = factories.person(self.actor)
        self.case = actions.open_case(self.actor, self.person, data("open", DAY))
        self.by = str(self.actor.author().pk)
        self.flow = apply(Flow(), "open", StepData(on=DAY, by=self.by, done="x", **VALID["open"]))

    def last_day(self):
        return self.case.steps.order_by("-number").values_list("on", flat=True).first()

    def logged(self) -> int:
        return AccessLogEntry.objects.filter(
            object_type="case", object_id=str(self.case.pk)
        ).count()

    def attempt(self, name: str, step: StepData) -> None:
        step = StepData(**{**step.__dict__, "by": self.by})
        problems = (
            own_problems(self.flow, name) or check_transition(self.flow, name, step)
            if name in TRANSITIONS
            else ["x"]
        )
        if step.on > timezone.localdate():
            problems = ["in_future"]  # the action's own rule (actions.as_given)
        before = (self.case.steps.count(), self.logged())
        if name == "open" or problems:
            with pytest.raises(ValidationError):
                actions.take_step(self.actor, self.case, name, step)
            assert (self.case.steps.count(), self.logged()) == before
            return
        actions.take_step(self.actor, self.case, name, step)
        self.flow = apply(self.flow, name, step)
        assert (self.case.steps.count(), self.logged()) == (before[0] + 1, before[1] + 1)

    @rule(
        name=st.sampled_from(sorted(TRANSITIONS)),
        days=st.integers(-1, 8),
        fields=st.fixed_dictionaries({}, optional=ANY_FIELD),
        due=st.none() | st.integers(-1, 30),
    )
    def any_step(self, name, days, fields, due):
        on = self.last_day() + timedelta(days)
        next_due = None if due is None else on + timedelta(due)
        self.attempt(name, StepData(on=on, by=self.by, done="x", next_due=next_due, **fields))

    @rule(data=st.data(), days=st.integers(0, 8))
    def valid_step(self, data, days):
        self.valid(data, days, [n for n in allowed_transitions(self.flow.state) if n != "open"])

    @rule(data=st.data(), days=st.integers(0, 8))
    def forward_step(self, data, days):
        self.valid(data, days, FORWARD[self.flow.state])

    def valid(self, data, days, names):
        name = data.draw(st.sampled_from(names))
        fields = dict(VALID[name])
        for field in fields:
            if field in VALID_VARIED:
                fields[field] = data.draw(VALID_VARIED[field])
        if name in ("close", "reopen"):
            fields["reason"] = data.draw(VALID_VARIED[name])
        on = self.last_day() + timedelta(days)
        self.attempt(name, StepData(on=on, by=self.by, done="x", **fields))

    @invariant()
    def columns_are_the_model_and_the_replay_of_the_stored_steps(self):
        self.case.refresh_from_db()
        replayed = records.flow_of(records.stored_steps(self.case))
        for flow in (self.flow, replayed):
            assert (self.case.state, self.case.next_action, self.case.next_due) == (
                flow.state,
                flow.next_action,
                flow.next_due,
            )
            assert self.case.close_reason == flow.close_reason

    @invariant()
    def closed_cases_have_a_reason(self):
        if self.case.state == State.CLOSED:
            assert self.case.close_reason in CLOSE_REASONS

    @invariant()
    def one_log_entry_per_step_and_one_open_case(self):
        assert Step.objects.filter(case=self.case).count() == self.logged()
        assert Case.objects.filter(person=self.person).exclude(state="closed").count() <= 1


def test_the_django_actions_follow_the_pure_workflow(world):
    StoredCaseMachine.actor = world.actor(Role.PROFESSIONAL)
    run_state_machine_as_test(
        StoredCaseMachine,
        settings=settings(
            max_examples=20,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
