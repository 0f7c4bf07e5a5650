"""`lens cases`: the casework's scheduled jobs.

lens cases remind [--dry-run] [--enqueue]   the daily e-mail of due and overdue cases
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lens.cases import reminders


class Command(BaseCommand):
    help = (
        "Send every professional and aandachtsfunctionaris one e-mail with how many of "
        "their cases are due today or overdue (no person data), linking to the work list."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="task", required=True, metavar="TASK")
        remind = sub.add_parser("remind", help="Send today's work-list e-mails.")
        # A dry run on the queue would send the e-mails: the two exclude each other.
        how = remind.add_mutually_exclusive_group()
        how.add_argument(
            "--dry-run", action="store_true", help="Only list who would get an e-mail."
        )
        how.add_argument(
            "--enqueue",
            action="store_true",
            help="Put the task on the queue for the worker (lens worker) instead.",
        )

    def handle(self, *args, task: str, **options):
        if options["enqueue"]:
            result = reminders.send_reminders.enqueue()
            self.stdout.write(_("Enqueued as task %(id)s.") % {"id": result.id})
            return
        sent = reminders.send_all(dry_run=options["dry_run"])
        counts = _("%(who)s: %(today)d due today, %(overdue)d overdue")
        for reminder in sent:
            parts = [
                counts
                % {"who": reminder.username, "today": reminder.today, "overdue": reminder.overdue}
            ]
            parts += [
                counts % {"who": name, "today": t, "overdue": o}
                for name, (t, o) in reminder.organisations.items()
            ]
            self.stdout.write("  " + "; ".join(parts))
        if options["dry_run"]:
            self.stdout.write(_("Would send %(n)d e-mails (dry run).") % {"n": len(sent)})
        else:
            self.stdout.write(_("Sent %(n)d e-mails.") % {"n": len(sent)})
