"""Every write of registry data, each in one transaction with its access-log record.

Views and the API call these functions; they never save registry models themselves.
Each function checks the access policy again (so no caller can skip it), validates its
input against the active catalogue (raising ValidationError with Dutch messages per
field), writes, records the write in the access log and recomputes the person's
outcome, all inside one `transaction.atomic()`: if any part fails, nothing is written.

History is append-only: a correction is a new Registration version, a withdrawal is a
Withdrawal record with a reason, a new outcome is a new PersonOutcome row.
"""

from lens.registry.actions.observations import CORRECTABLE, Observed, observed_codes
from lens.registry.actions.outcomes import recompute_outcome
from lens.registry.actions.persons import (
    ASK,
    DIFFERENT,
    NAME_MATCH_CHOICES,
    SAME,
    NewRegistration,
    PossiblySamePerson,
    check_identity,
    prefixed,
    register_new,
    register_person,
    reveal_identity,
)
from lens.registry.actions.registrations import (
    PURPOSE_INFORMED,
    PURPOSE_SIGNALS,
    correct_registration,
    correctable_values,
    record_informed,
    register_signals,
    withdraw_registration,
)

__all__ = [
    "ASK",
    "CORRECTABLE",
    "DIFFERENT",
    "NAME_MATCH_CHOICES",
    "PURPOSE_INFORMED",
    "PURPOSE_SIGNALS",
    "SAME",
    "NewRegistration",
    "Observed",
    "PossiblySamePerson",
    "check_identity",
    "correct_registration",
    "correctable_values",
    "observed_codes",
    "prefixed",
    "recompute_outcome",
    "record_informed",
    "register_new",
    "register_person",
    "register_signals",
    "reveal_identity",
    "withdraw_registration",
]
