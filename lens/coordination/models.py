"""Coordination's models are defined in the data-model layer (lens.data.coordination,
below the access policy); Django finds them through this module. Import them from
there."""

from lens.data.coordination import (  # noqa: F401
    ClusterMember,
    CombinedOutcome,
    InformationRequest,
    LeadAssignment,
    LinkDecision,
    PersonLink,
    PersonRelation,
    Referral,
    WorkItem,
)
