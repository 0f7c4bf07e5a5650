"""Every write across organisations, each in one transaction with its access-log record.

As lens.registry.actions: the access policy is checked again inside each function,
input is validated with Dutch messages (ValidationError per field), and if any part
fails nothing is written. By subject: links between records of one person (`links`),
the organisations involved with a person (`involved`: the lead, referrals, information
requests), relations between persons (`relations`) and the work list (`worklist`).
"""

from lens.coordination.actions.common import (
    NOTE_MAX,
    PURPOSE_ANSWER,
    PURPOSE_DECISION,
    PURPOSE_LEAD,
    PURPOSE_REFERRAL,
    PURPOSE_RELATION,
    PURPOSE_RELATION_END,
    PURPOSE_REQUEST,
    PURPOSE_REVEAL_PAIR,
    TEXT_MAX,
)
from lens.coordination.actions.involved import (
    answer_information,
    ask_information,
    assign_lead,
    refer,
)
from lens.coordination.actions.links import (
    after_new_person,
    decide_link,
    decisions_allowed,
    reveal_pair,
)
from lens.coordination.actions.relations import (
    SYMMETRIC_KINDS,
    end_relation,
    lock_pair,
    record_relation,
)
from lens.coordination.actions.worklist import mark_done

__all__ = [
    "NOTE_MAX",
    "PURPOSE_ANSWER",
    "PURPOSE_DECISION",
    "PURPOSE_LEAD",
    "PURPOSE_REFERRAL",
    "PURPOSE_RELATION",
    "PURPOSE_RELATION_END",
    "PURPOSE_REQUEST",
    "PURPOSE_REVEAL_PAIR",
    "SYMMETRIC_KINDS",
    "TEXT_MAX",
    "after_new_person",
    "answer_information",
    "ask_information",
    "assign_lead",
    "decide_link",
    "decisions_allowed",
    "end_relation",
    "lock_pair",
    "mark_done",
    "record_relation",
    "refer",
    "reveal_pair",
]
