"""`lens demo`: everything a newcomer needs for a first look, on synthetic data only."""

from django.conf import settings
from django.core.management.base import BaseCommand

from lens.catalogue import services


class Command(BaseCommand):
    help = (
        "Load the catalogue from CATALOGUE_DIR (when it changed) and print a short tour. "
        "Safe to run again: it only adds what is missing. Uses synthetic data only."
    )

    def handle(self, *args, **options):
        catalogue_row, ruleset_row, created = services.load_from_files(settings.CATALOGUE_DIR)
        state = "loaded" if created else "already up to date"
        self.stdout.write(
            f"Catalogue {catalogue_row.version}, ruleset {ruleset_row.version}: {state}."
        )
        self.stdout.write(
            "\nTour:\n"
            "  http://127.0.0.1:8000/          the anonymous signal check (Dutch)\n"
            "  http://127.0.0.1:8000/en/       the same in English\n"
            "  lens assess --json examples/assess/school-and-debts.json\n"
            "                                  the lens engine on the command line\n"
            "  lens catalogue export --json    the whole catalogue\n"
        )
