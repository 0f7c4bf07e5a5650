"""The workflow under random sequences of actions (hypothesis RuleBasedStateMachine).

Each of 100 runs applies up to 40 transitions, valid and invalid, from random states; after every
step the invariants below must hold: no invalid state is reached, every closed case has a
reason, acute danger is always reachable and leads to a report, and a closed case takes
nothing but a reopening with a reason.
"""

from datetime import timedelta

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from lens.casework.weighing import Answers
from lens.casework.workflow import (
    CLOSE_REASONS,
    CONSULT_ROLES,
    CONVERSATION_WITH,
    EMERGENCY,
    NOT_HELD_REASONS,
    OPEN,
    REFERRAL_ANSWERS,
    REOPEN_REASONS,
    REPORT_GROUND_CODES,
    TRANSITIONS,
    TRIGGERS,
    Case,
    Consultation,
    Conversation,
    Problem,
    State,
    StepData,
    TransitionRefused,
    allowed_transitions,
    apply,
    check_transition,
    replay,
)

from .factories import DAY, HELP_ONLY, VALID

S = State
BAD = "not-a-code"

# Any value of each transition field, valid or not.
ANY_FIELD = {
    "trigger": st.sampled_from(["", *TRIGGERS, BAD]),
    "consultations": st.lists(
        st.builds(
            Consultation,
            role=st.sampled_from([*CONSULT_ROLES, BAD]),
            organisation=st.sampled_from(["", "Veilig Thuis"]),
            consultee=st.sampled_from(["", "a colleague"]),
            anonymous=st.booleans(),
        ),
        max_size=2,
    ).map(tuple),
    "conversation": st.none()
    | st.builds(
        Conversation,
        held_with=st.sampled_from(["", *CONVERSATION_WITH, BAD]),
        not_held_reason=st.sampled_from(["", *NOT_HELD_REASONS]),
    ),
    "answers": st.none() | st.builds(Answers, *[st.booleans()] * 5),
    "lasting_safety": st.none() | st.booleans(),
    "organisation": st.sampled_from(["", "Veilig Thuis Midden-Brabant"]),
    "report_grounds": st.lists(st.sampled_from([*REPORT_GROUND_CODES, BAD]), max_size=2).map(tuple),
    "emergency": st.lists(st.sampled_from([*EMERGENCY, BAD]), max_size=2).map(tuple),
    "referral_answer": st.sampled_from(["", *REFERRAL_ANSWERS, BAD]),
    "reason": st.sampled_from(["", *CLOSE_REASONS, *REOPEN_REASONS, BAD]),
}
# Valid values, varied where the workflow branches on them.
VALID_VARIED = {
    "answers": st.just(HELP_ONLY) | st.builds(Answers, *[st.booleans()] * 5),
    "lasting_safety": st.booleans(),
    "referral_answer": st.sampled_from(REFERRAL_ANSWERS),
    "close": st.sampled_from(CLOSE_REASONS),
    "reopen": st.sampled_from(REOPEN_REASONS),
}

FORWARD = {
    S.NEW: ["open"],
    S.OPENED: ["map_signals"],
    S.SIGNALS_MAPPED: ["consult", "refer"],
    S.CONSULTED: ["converse", "referral_answered"],
    S.CONVERSATION: ["weigh"],
    S.WEIGHED: ["organise_help", "report", "close"],
    S.FOLLOWING_HELP: ["review_help", "close"],
    S.REPORTED: ["organise_help", "close"],
    S.ACUTE: ["report"],
    S.CLOSED: ["reopen"],
}


class CaseMachine(RuleBasedStateMachine):
    @initialize()
    def start(self):
        self.case = Case()

    def last_day(self):
        return self.case.history[-1][1].on if self.case.history else DAY

    def attempt(self, name: str, data: StepData) -> None:
        before = self.case
        problems = check_transition(before, name, data)
        if problems:
            with pytest.raises(TransitionRefused) as refused:
                apply(before, name, data)
            assert refused.value.problems == problems
            return
        self.case = apply(before, name, data)
        assert self.case.history == (*before.history, (name, data))
        target = TRANSITIONS[name].target
        assert self.case.state is (target or before.state)

    @rule(
        name=st.sampled_from(sorted(TRANSITIONS)),
        days=st.integers(-1, 8),
        by=st.sampled_from(["user-1", ""]),
        fields=st.fixed_dictionaries({}, optional=ANY_FIELD),
        due=st.none() | st.integers(-1, 30),
    )
    def any_step(self, name, days, by, fields, due):
        on = self.last_day() + timedelta(days)
        next_due = None if due is None else on + timedelta(due)
        data = StepData(on=on, by=by, done="x", next_due=next_due, **fields)
        self.attempt(name, data)

    @rule(data=st.data(), days=st.integers(0, 8))
    def valid_step(self, data, days):
        self.valid(data, days, allowed_transitions(self.case.state))

    @rule(data=st.data(), days=st.integers(0, 8))
    def forward_step(self, data, days):
        """The meldcode's own order, so that random runs reach its later steps."""
        self.valid(data, days, FORWARD[self.case.state])

    def valid(self, data, days, names):
        name = data.draw(st.sampled_from(names))
        fields = dict(VALID[name])
        for field in fields:
            if field in VALID_VARIED:
                fields[field] = data.draw(VALID_VARIED[field])
        if name in ("close", "reopen"):
            fields["reason"] = data.draw(VALID_VARIED[name])
        step = StepData(on=self.last_day() + timedelta(days), by="user-1", done="x", **fields)
        self.attempt(name, step)

    @invariant()
    def state_is_valid(self):
        assert self.case.state in State
        assert (self.case.state is S.NEW) == (not self.case.history)
        days = [data.on for _, data in self.case.history]
        assert days == sorted(days)

    @invariant()
    def closed_cases_have_a_reason_and_open_ones_none(self):
        if self.case.state is S.CLOSED:
            assert self.case.close_reason in CLOSE_REASONS
            assert not self.case.report_required
            assert self.case.next_due is None
        else:
            assert self.case.close_reason == ""

    @invariant()
    def open_cases_have_a_next_action(self):
        if self.case.state in OPEN:
            assert self.case.next_action and self.case.next_due is not None
            # what the pages show as "next" can always be taken from this state
            assert self.case.next_action in allowed_transitions(self.case.state)

    @invariant()
    def acute_is_always_reachable_and_leads_to_a_report(self):
        if self.case.state not in OPEN:
            return
        acute = StepData(on=self.last_day(), by="user-1", done="called 112", **VALID["acute"])
        assert check_transition(self.case, "acute", acute) == []
        after = apply(self.case, "acute", acute)
        assert after.report_required and after.next_action == "report"
        for name in allowed_transitions(after.state):
            assert TRANSITIONS[name].target in (None, S.ACUTE, S.REPORTED), name
        report = StepData(on=self.last_day(), by="u", done="reported", **VALID["report"])
        assert apply(after, "report", report).state is S.REPORTED

    @invariant()
    def acute_cases_must_report_and_a_due_report_is_the_next_action(self):
        if self.case.state is S.ACUTE:
            assert self.case.report_required
        if self.case.report_required:
            assert self.case.next_action == "report"

    @invariant()
    def closed_cases_only_reopen(self):
        if self.case.state is not S.CLOSED:
            return
        for name in TRANSITIONS:
            data = StepData(on=self.last_day(), by="u", done="x", **VALID[name])
            found = check_transition(self.case, name, data)
            if name == "reopen":
                assert found == []
                no_reason = StepData(on=self.last_day(), by="u", done="x")
                assert Problem("reason", "required") in check_transition(self.case, name, no_reason)
            else:
                assert found == [Problem("", "not_allowed_in_state")]

    @invariant()
    def the_case_is_its_history(self):
        assert replay(self.case.history) == self.case


CaseMachine.TestCase.settings = settings(max_examples=100, stateful_step_count=40, deadline=None)
test_case_workflow = CaseMachine.TestCase
