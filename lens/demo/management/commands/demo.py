"""`lens demo`: everything a newcomer needs for a first look, on synthetic data only.

Loads the catalogue, creates demo organisations in two regions, a demo account for every
role (one published password, an authenticator each) and a few hundred synthetic persons
with registrations, then prints the accounts and a tour. Demo mode only (DEMO_MODE=1,
which needs DEBUG=1): the accounts' password is public. Safe to run again: it only adds
what is missing.
"""

import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from lens.catalogue import services
from lens.data import queries
from lens.data.registry import Person
from lens.demo import areas as demo_areas
from lens.demo import building
from lens.demo import cases as demo_cases
from lens.demo import coordination as demo_coordination
from lens.demo import persons as demo_persons
from lens.demo import world as demo_world
from lens.insight.areas import areas
from lens.registry.tasks import enqueue_recompute_if_needed

DEFAULT_PERSONS = 300
DEFAULT_SEED = 2026
DEFAULT_URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = (
        "Load the catalogue from CATALOGUE_DIR (when it changed), create synthetic demo "
        "organisations, demo accounts for every role and synthetic persons with signals, "
        "and print the accounts and a short tour. Demo mode only (DEBUG=1 DEMO_MODE=1). "
        "Safe to run again: it only adds what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--persons",
            type=int,
            default=DEFAULT_PERSONS,
            help=f"How many synthetic persons to register (default {DEFAULT_PERSONS}).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="Seed of the random generator: the same seed gives the same persons.",
        )
        parser.add_argument(
            "--url",
            default=DEFAULT_URL,
            help=(
                "Where the server will answer, for the links printed at the end (make run "
                f"passes its HOST and PORT; default {DEFAULT_URL})."
            ),
        )

    def handle(self, *args, persons: int, seed: int, url: str = DEFAULT_URL, **options):
        if not (settings.DEMO_MODE and settings.DEBUG):
            raise CommandError(
                "Refused: `lens demo` creates demo accounts with a published password, so it "
                "only runs in demo mode. Start it with DEBUG=1 DEMO_MODE=1 (never in "
                "production).",
                returncode=1,
            )
        if not 0 <= persons <= demo_coordination.max_planned_persons():
            raise CommandError(
                f"--persons must be between 0 and {demo_coordination.max_planned_persons()}."
            )
        self.verbosity = options.get("verbosity", 1)
        self.url = url.rstrip("/")
        started = time.monotonic()

        catalogue_row, ruleset_row, created = services.load_from_files(settings.CATALOGUE_DIR)
        enqueue_recompute_if_needed()
        state = "loaded" if created else "already up to date"
        self.stdout.write(
            f"Catalogue {catalogue_row.version}, ruleset {ruleset_row.version}: {state}."
        )
        catalogue, ruleset = services.active()

        with _quiet("lens.accounts"):  # one "enrolled" line per account says nothing new
            world = demo_world.ensure_world()
        users = {m.user_id for m in world.memberships}
        self.stdout.write(
            f"Organisations: {len(world.organisations)} ({world.created_organisations} new). "
            f"Demo accounts: {len(users)} ({world.created_users} new), "
            f"memberships: {len(world.memberships)} ({world.created_memberships} new)."
        )

        planner = demo_persons.Planner(catalogue, ruleset, timezone.localdate(), seed)
        with _work_list_mail() as mails:
            report = building.build_persons(world, planner, persons, progress=self._progress)
            placed = demo_areas.fill_existing(list(world.organisations.values()), catalogue, seed)
            across = demo_coordination.build_coordination(world, planner)
            cases = demo_cases.build_cases(world)
        self._report_persons(world, report, persons)
        if placed:
            self.stdout.write(f"Earlier registrations given a home and phenomena: {placed}.")
        self._report_coordination(across)
        if cases:
            self.stdout.write(
                f"Meldcode cases: {cases} at the first organisation, at every stage, some "
                "overdue (/casussen/)."
            )
        if mails:
            self.stdout.write(
                f"Work-list e-mails to the zorgcoördinatoren: {len(mails)} (kept back by the "
                "demo; the work list at /regie/ shows the same)."
            )
        self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.\n")
        self._accounts(world, catalogue)
        self._tour()

    def _progress(self, done: int, total: int) -> None:
        if self.verbosity >= 2 and (done % 50 == 0 or done == total):
            self.stderr.write(f"  {done}/{total} persons")

    def _report_persons(self, world, report, planned: int) -> None:
        if report.persons:
            self.stdout.write(
                f"Persons: {report.persons} registered ({report.second_organisation} of them "
                f"at a second organisation, same identity), {report.registrations} "
                f"registrations, {report.corrections} corrections, {report.withdrawals} "
                f"withdrawals, {report.informed} informed notices."
            )
        else:
            self.stdout.write(f"Persons: the {planned} planned persons are there already.")
        in_demo = Person.objects.filter(organisation__in=list(world.organisations.values()))
        levels: dict[int, int] = {}
        for level in queries.with_overview(in_demo).values_list("latest_level", flat=True):
            levels[level] = levels.get(level, 0) + 1
        shown = " · ".join(
            f"level {level}: {count}"
            for level, count in sorted(levels.items(), key=lambda item: (item[0] is None, item))
        )
        self.stdout.write(f"Demo persons in the database: {in_demo.count()} ({shown or 'none'}).")

    def _report_coordination(self, report) -> None:
        added = (
            report.persons,
            report.relations,
            report.referrals,
            report.requests,
            report.answered,
            report.leads,
        )
        if any(added):
            self.stdout.write(
                f"Across organisations (Midden-Brabant): {report.persons} more persons, "
                f"{report.candidates} possible matches to review, {report.relations} relations "
                f"(a suspected recruiter's network), {report.referrals} referrals, "
                f"{report.requests} information requests ({report.answered} answered), "
                f"{report.leads} lead named."
            )
        else:
            self.stdout.write(
                "Across organisations: the zorgcoördinator's demo work is there already."
            )

    def _accounts(self, world, catalogue) -> None:
        rows = []
        for membership in world.memberships:
            if membership.organisation_id:
                scope = membership.organisation.name
            else:
                region = catalogue.regions.get(membership.region)
                scope = region.label.nl if region else membership.region or "-"
                if membership.municipality:
                    place = areas().municipalities.get(membership.municipality)
                    scope = f"{scope} · {place.name if place else membership.municipality}"
            rows.append((membership.user.get_username(), str(membership.role), scope))
        widths = [max(len(row[i]) for row in [("USERNAME", "ROLE", ""), *rows]) for i in (0, 1)]
        self.stdout.write(
            "Demo accounts (synthetic). The password of every account is: "
            f"{demo_world.DEMO_PASSWORD}\n"
        )
        self.stdout.write(
            f"  {'USERNAME'.ljust(widths[0])}  {'ROLE'.ljust(widths[1])}  ORGANISATION / REGION"
        )
        for username, role, scope in rows:
            self.stdout.write(f"  {username.ljust(widths[0])}  {role.ljust(widths[1])}  {scope}")
        try:
            login = f" at {self.url}{reverse('accounts:login')}"
        except NoReverseMatch:
            login = ""
        self.stdout.write(
            f"\nLog in{login} with a username and the password above. Every account has\n"
            "an authenticator (TOTP) set up; for the second factor, print its current code:\n"
            "  DEBUG=1 DEMO_MODE=1 .venv/bin/lens demo-code USERNAME\n"
            f"{demo_world.TWO_ROLES_USERNAME} has two memberships: choose the active one after "
            "logging in.\n"
        )

    def _tour(self) -> None:
        base = self.url
        width = len(base) + len("/regie/") + 4
        self.stdout.write(
            "Tour:\n"
            f"  {(base + '/').ljust(width)}the anonymous signal check (Dutch)\n"
            f"  {(base + '/en/').ljust(width)}the same in English\n"
            f"  {(base + '/regie/').ljust(width)}the zorgcoördinator's work list, possible "
            "matches\n"
            f"  {''.ljust(width)}and network (demo-zc-midden-brabant)\n"
            "  .venv/bin/lens assess --json examples/assess/school-and-debts.json\n"
            f"  {''.ljust(width)}the lens engine on the command line\n"
            "  .venv/bin/lens catalogue export --json\n"
            f"  {''.ljust(width)}the whole catalogue\n"
        )


@contextmanager
def _work_list_mail():
    """The demo's writes put lines on the zorgcoördinator's work list, each with an
    e-mail (lens.coordination.notify). In demo mode the mail goes to the console, where
    dozens of them would bury the accounts table: they are kept in memory instead, and
    the command says how many there were."""
    from django.core import mail
    from django.test.utils import override_settings

    had_outbox = hasattr(mail, "outbox")
    previous = getattr(mail, "outbox", None)
    mail.outbox = []
    kept: list = []
    try:
        with override_settings(
            MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        ):
            yield kept
            kept.extend(mail.outbox)
    finally:
        if had_outbox:
            mail.outbox = previous
        else:
            del mail.outbox


@contextmanager
def _quiet(name: str):
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)
