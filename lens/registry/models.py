"""The registry's models are defined in the data-model layer (lens.data.registry, below
the access policy); Django finds them through this module. Import them from there."""

from lens.data.registry import (  # noqa: F401
    InformedNotice,
    Membership,
    Organisation,
    OutcomeRun,
    Person,
    PersonOutcome,
    Registration,
    Submission,
    Withdrawal,
)
