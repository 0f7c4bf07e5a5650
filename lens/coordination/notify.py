"""The zorgcoördinator's work list, and the e-mail that tells them something is on it.

The e-mail holds no person data, not even a pseudonym (a line may be about a record
below the zorgcoördinator's threshold, whose pseudonym the work list itself hides): only
what kind of line it is and the combined level. It links to the work list, where reading
is checked against need to know and logged.

A line closes itself when the decision it asks for is made (`close_for_link`,
`close_for_lead`, called by lens.coordination.actions in the decision's transaction). An
answered information request asks for reading, not for a decision: that line is marked
handled by hand.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone

from lens.coordination import clusters
from lens.coordination.bulk_sql import insert_rows
from lens.data.coordination import (
    CombinedOutcome,
    InformationRequest,
    PersonLink,
    Referral,
    WorkItem,
    WorkKind,
)
from lens.data.registry import Person, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)

SUBJECT = "Uitbuitingslens: nieuw op uw werklijst"
BODY = (
    "Er staat iets nieuw op de werklijst van de zorgcoördinator voor uw regio:\n\n"
    "{kind}{level}\n\n"
    "Bekijk het in Uitbuitingslens: {url}\n\n"
    "Deze e-mail bevat bewust geen gegevens over de persoon."
)
KIND_TEXT = {
    WorkKind.NEW_LINK: "ook bekend bij een andere organisatie",
    WorkKind.CANDIDATE: "mogelijk dezelfde persoon, te beoordelen",
    WorkKind.REFERRAL: "doorverwezen door een organisatie",
    WorkKind.ANSWER: "antwoord op een informatieverzoek",
    WorkKind.THRESHOLD: "gecombineerd niveau 2 of hoger bereikt",
}


def new_link(link: PersonLink) -> None:
    for region in _regions(link.person_a, link.person_b):
        _add(region, WorkKind.NEW_LINK, _in_region(link, region), link=link)


def candidate(link: PersonLink) -> None:
    for region in _regions(link.person_a, link.person_b):
        _add(region, WorkKind.CANDIDATE, _in_region(link, region), link=link)


def reopened(link: PersonLink) -> None:
    """A decided link was reopened: it is a possible match to decide again, so it goes
    back on the work list (a candidate line per region), unless a line about the link is
    still open there."""
    for region in _regions(link.person_a, link.person_b):
        open_lines = WorkItem.objects.filter(
            region=region, link=link, kind__in=LINK_KINDS, done_at__isnull=True
        )
        if not open_lines.exists():
            _add(region, WorkKind.CANDIDATE, _in_region(link, region), link=link)


def candidates(links: list[tuple[int, int, int]], region_of: dict[int, str]) -> None:
    """The batch run's new candidates (lens.coordination.batch), as (link pk, person_a
    pk, person_b pk) with each person's region, on the work lists: the lines in bulk, in
    the caller's transaction, and after the commit one e-mail per region that counts them
    (a run that finds a thousand candidates sends no thousand e-mails)."""
    rows = []
    for link, a, b in links:
        for region in sorted({region_of[a], region_of[b]}):
            record = a if region_of[a] == region else b  # each region's line names its own
            rows.append((region, record, link))
    if not rows:
        return
    _insert_items(WorkKind.CANDIDATE, rows)
    for region, count in sorted(Counter(region for region, _p, _l in rows).items()):
        transaction.on_commit(
            lambda region=region, count=count: send_count(region, WorkKind.CANDIDATE, count)
        )


def _insert_items(kind: str, rows: list[tuple[str, int, int]]) -> None:
    """Work-list lines (region, person pk, link pk) in multi-row INSERTs."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    insert_rows(
        WorkItem,
        ("region", "kind", "person", "link", "created_at"),
        [(region, WorkKind(kind).value, person, link, now) for region, person, link in rows],
    )


def referral(referral: Referral) -> None:
    person = referral.person
    _add(person.organisation.region, WorkKind.REFERRAL, person)


def answered(request: InformationRequest) -> None:
    person = request.person
    _add(person.organisation.region, WorkKind.ANSWER, person)


def threshold(members: list[Person], region: str) -> None:
    """The combined level of a cluster reached the zorgcoördinator's threshold; not again
    while an earlier line about the same cluster is still open."""
    open_items = WorkItem.objects.filter(
        region=region, person__in=members, done_at__isnull=True
    ).exclude(kind=WorkKind.CANDIDATE)
    if not open_items.exists():
        _add(region, WorkKind.THRESHOLD, members[0])


# --- lines that close themselves --------------------------------------------------------------
# A line asks for a decision; the action that makes it closes the line in its own
# transaction, with who and when (as marking it handled by hand).

# What naming the lead decides: who takes up a person referred, newly known at two
# organisations, or whose combined level reached 2.
LEAD_KINDS = (WorkKind.REFERRAL, WorkKind.NEW_LINK, WorkKind.THRESHOLD)
# What a decision on a link (confirm, reject) settles: whether its two records are one
# person. In every region with a line about the link: the decision is made once, by the
# deciding region (lens.access.policy.deciding_region).
LINK_KINDS = (WorkKind.CANDIDATE, WorkKind.NEW_LINK)


def close_for_link(link: PersonLink, by: AbstractBaseUser, when: datetime) -> int:
    """Close the open lines about `link`; returns how many."""
    lines = WorkItem.objects.filter(link=link, kind__in=LINK_KINDS, done_at__isnull=True)
    return lines.update(done_at=when, done_by=by)


def close_for_lead(members: list[Person], region: str, by: AbstractBaseUser, when: datetime) -> int:
    """Close the open lines of `region` about the records `members` (a person's records
    in the region) that naming the lead answers; returns how many."""
    lines = WorkItem.objects.filter(
        region=region, person__in=members, kind__in=LEAD_KINDS, done_at__isnull=True
    )
    return lines.update(done_at=when, done_by=by)


def _regions(*persons: Person) -> list[str]:
    return sorted({p.organisation.region for p in persons})


def _in_region(link: PersonLink, region: str) -> Person:
    """The record of the link in `region`: each region's line (and e-mail) names its own
    record, never a pseudonym of another region."""
    if link.person_a.organisation.region == region:
        return link.person_a
    return link.person_b


def _add(region: str, kind: str, person: Person, *, link: PersonLink | None = None) -> WorkItem:
    item = WorkItem.objects.create(region=region, kind=kind, person=person, link=link)
    # After the commit: the level then includes the signals registered in the same
    # transaction (a new record is linked before its first signals are saved).
    transaction.on_commit(lambda: send_notice(item))
    return item


def send_notice(item: WorkItem) -> None:
    """E-mail the region's zorgcoördinatoren that `item` is on their work list."""
    recipients = coordinator_emails(item.region)
    if not recipients:
        return
    outcome = CombinedOutcome.objects.latest_for(clusters.cluster_id(item.person), item.region)
    level = f" (gecombineerd niveau {outcome.level})" if outcome is not None else ""
    body = BODY.format(
        kind=KIND_TEXT[WorkKind(item.kind)].capitalize(),
        level=level,
        url=f"{settings.SITE_URL.rstrip('/')}/regie/",
    )
    _send(body, recipients)


def send_count(region: str, kind: str, count: int) -> None:
    """E-mail the region's zorgcoördinatoren that `count` lines of `kind` are new on
    their work list (no level: the lines are about different persons)."""
    recipients = coordinator_emails(region)
    if not recipients:
        return
    body = BODY.format(
        kind=f"{KIND_TEXT[WorkKind(kind)].capitalize()}: {count}",
        level="",
        url=f"{settings.SITE_URL.rstrip('/')}/regie/",
    )
    _send(body, recipients)


def _send(body: str, recipients: list[str]) -> None:
    """Send after the commit; a mail server that is down must not undo the work item (it
    is on the work list either way), so the failure is logged, not raised."""
    try:
        send_mail(SUBJECT, body, None, recipients)
    except Exception:  # SMTP errors, DNS, refused connections, ...
        logger.exception("work-list e-mail to %d recipient(s) not sent", len(recipients))


def coordinator_emails(region: str) -> list[str]:
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role=Role.ZORGCOORDINATOR,
            memberships__region=region,
            memberships__is_active=True,
        )
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))
