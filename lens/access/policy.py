"""THE access policy: every read of person data goes through this module.

Two questions, asked in this order (healthchecks' `_get_check_for_user` style):

1. May this role ever do this action? If not: 403 (PermissionDenied). The answer does
   not depend on the person asked for, so it leaks nothing about who exists.
2. Is the person in the actor's scope? If not (another organisation's person, or no such
   pseudonym at all): 404 (Http404). Never 403 here: a 403 would tell that the person
   exists somewhere.

Only then is the access written to the access log, in the same transaction as the
read, so that a failed log write means no data is returned.

Two scopes:

- Organisation: professionals and aandachtsfunctionarissen see the records of their own
  organisation (PERSON_ACTIONS, `may`, `get_person`, ...). Of another organisation's
  record of the same person they see only that it exists, the organisation and its
  contact ("ook betrokken", lens.coordination.clusters), never its content.
- Region (need to know): the zorgcoördinator sees the records of the organisations in
  their region whose combined level is 2 or higher, or whose person an organisation
  referred to them (a scope coordination contributes, lens.access.scopes;
  COORDINATION_ACTIONS, `may_coordinate`, `get_coordinated`, ...), and
  the links with a record in their region: possible matches and rejected links to decide
  on, links that join records only in that scope; of a link's record in another region
  only that it exists; a link across regions is decided by the region of its first
  record (`visible_links`, `get_link_for`).

Each object kind has its module, re-exported here so that callers ask this one module:
persons and the two scopes (policy_persons), meldcode cases (policy_cases), links
(policy_links), relations (policy_relations), information requests (policy_requests) and
the zorgcoördinator's work list (policy_work). For each kind: a `find_..._for` helper
without a log entry for writes (the action logs them), and for a list the queryset in
scope plus a `log_...` that records what a page shows in one bulk write. Every read that
is served goes through policy_reads: `read_logged` finds through the policy, builds what
is served and writes the log entries in one transaction (no log entry, no data); its
`get_..._for(actor, ..., build=...)` helpers do that for one object kind each, and
`read_shown` for the rows of a list page. No view scopes a queryset, opens the read's
transaction or writes an access-log entry itself.

Analist and beheerder never see person data. An organisation's API client acts as a
professional of its organisation (lens.access.actor).
"""

# ruff: noqa: F401 - the re-exports are this module's interface
from __future__ import annotations

from lens.access.policy_cases import (
    NotTheHandler,
    cases_for,
    find_case_for,
    find_case_to_reveal,
    find_case_to_work_on,
    log_cases,
    may_act_for_person,
    may_reveal_case,
    may_work_on,
)
from lens.access.policy_links import (
    LinkAccess,
    deciding_region,
    find_link_for,
    link_access,
    log_links,
    visible_links,
)
from lens.access.policy_persons import (
    COORDINATION_ACTIONS,
    PERSON_ACTIONS,
    check,
    check_coordination,
    coordinated_persons,
    coordination_roles_for,
    find_coordinated,
    find_person,
    find_person_by_id,
    in_coordination_scope,
    in_organisation,
    in_scope,
    listed_organisation,
    log_coordinated_list,
    log_list,
    may,
    may_coordinate,
    roles_for,
    visible_persons,
)
from lens.access.policy_reads import (
    Read,
    get_case_for,
    get_case_to_work_on,
    get_coordinated,
    get_link_for,
    get_person,
    get_person_by_id,
    get_relation_for,
    get_request_for,
    read_logged,
    read_shown,
    relations_shown,
)
from lens.access.policy_relations import (
    RelationSeen,
    coordinated_relations,
    find_relation_for,
    relations_of,
)
from lens.access.policy_requests import (
    REQUEST_ANSWERERS,
    find_request_for,
    log_requests,
    may_answer_requests,
    requests_for,
)
from lens.access.policy_work import (
    WorkLines,
    find_work_items_for,
    log_work_lines,
    work_items_for,
)
