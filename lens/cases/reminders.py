"""The daily e-mail of "Mijn werkvoorraad": how many of your cases are due or overdue.

One e-mail per handler (professional or aandachtsfunctionaris with an active membership
in the case's organisation and an e-mail address) who has open cases whose next action
is due today or earlier. The e-mail holds counts only, never person data (no pseudonym,
no name, no step text): it links to the work list, where reading is checked and logged.
Counting the cases reads no person data, so it writes no access-log entry.

The aandachtsfunctionaris also gets the organisation's counts (who is stuck is on the
work list's "all cases" view).

Scheduled once a day: `lens cases remind --enqueue` from cron puts the task
`send_reminders` on the queue for the worker (`lens worker`), or cron runs
`lens cases remind` itself (README, "Scheduled jobs").
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation

from lens.data.cases import CLOSED, Case
from lens.data.registry import Membership, Role

logger = logging.getLogger(__name__)

HANDLERS = (Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS)
SUBJECT = "Uitbuitingslens: casussen die aandacht vragen"
BODY = (
    "Goedemorgen,\n\n"
    "In uw werkvoorraad in Uitbuitingslens:\n"
    "- vandaag te doen: {today}\n"
    "- te laat: {overdue}\n"
    "{organisation}"
    "\nBekijk ze in Mijn werkvoorraad: {url}\n\n"
    "Deze e-mail bevat bewust geen gegevens over personen."
)
ORGANISATION_LINE = (
    "\nIn uw organisatie ({name}) als aandachtsfunctionaris:\n"
    "- vandaag te doen: {today}\n"
    "- te laat: {overdue}\n"
)


@dataclass
class Reminder:
    email: str
    username: str
    today: int = 0
    overdue: int = 0
    # organisation name -> (today, overdue), for an aandachtsfunctionaris
    organisations: dict[str, tuple[int, int]] = field(default_factory=dict)

    def body(self) -> str:
        lines = "".join(
            ORGANISATION_LINE.format(name=name, today=t, overdue=o)
            for name, (t, o) in sorted(self.organisations.items())
        )
        with translation.override("nl"):
            path = reverse("cases:work_list")
        url = settings.SITE_URL.rstrip("/") + path
        return BODY.format(today=self.today, overdue=self.overdue, organisation=lines, url=url)


def _due(on: date):
    return Case.objects.exclude(state=CLOSED).filter(next_due__lte=on)


def reminders(on: date | None = None) -> list[Reminder]:
    """Who gets an e-mail on `on` (today), with their counts; nobody without due cases."""
    on = on or timezone.localdate()
    handlers = Membership.objects.filter(
        role__in=HANDLERS,
        is_active=True,
        user__is_active=True,
        organisation__isnull=False,
    ).exclude(user__email="")
    active = set(handlers.values_list("user_id", "organisation_id"))
    own: dict[int, Counter] = {}
    per_org: dict[int, Counter] = {}
    for user_id, org_id, due in _due(on).values_list(
        "assigned_to_id", "organisation_id", "next_due"
    ):
        kind = "today" if due == on else "overdue"
        per_org.setdefault(org_id, Counter())[kind] += 1
        if (user_id, org_id) in active:
            own.setdefault(user_id, Counter())[kind] += 1
    officers = handlers.filter(
        role=Role.AANDACHTSFUNCTIONARIS, organisation_id__in=per_org
    ).select_related("organisation")
    org_lines: dict[int, dict[str, tuple[int, int]]] = {}
    for member in officers:
        counts = per_org[member.organisation_id]
        org_lines.setdefault(member.user_id, {})[member.organisation.name] = (
            counts["today"],
            counts["overdue"],
        )
    users = get_user_model().objects.filter(pk__in=set(own) | set(org_lines)).order_by("pk")
    result = []
    for user in users:
        counts = own.get(user.pk, Counter())
        result.append(
            Reminder(
                email=user.email,
                username=user.get_username(),
                today=counts["today"],
                overdue=counts["overdue"],
                organisations=org_lines.get(user.pk, {}),
            )
        )
    return result


def send_all(on: date | None = None, *, dry_run: bool = False) -> list[Reminder]:
    """Send every reminder of `on` (or only list them); a failing mail server is logged
    per recipient and the others are still sent."""
    due = reminders(on)
    if dry_run:
        return due
    for reminder in due:
        try:
            send_mail(SUBJECT, reminder.body(), None, [reminder.email])
        except Exception:  # SMTP errors, DNS, refused connections, ...
            logger.exception("work-list reminder to user %s not sent", reminder.username)
    return due


@task
def send_reminders() -> int:
    """The daily task: send today's reminders; returns how many e-mails."""
    return len(send_all())
