"""Outcomes without a stored copy of their report (issue 14 §1): since this change neither
the bulk recompute nor the per-person path stores the report (`PersonOutcome.outcome`
stays empty); pages and the API draw it again with the engine from the stored versions
and date (lens.data.queries.outcome_document). Nothing changes going forward.

Going back, the code before 0009 needs a report in every row (0009 made the column
nullable, and undoing it refuses an empty one): the report is drawn for each row without
one, the same way the pages draw it, from the person's current registrations as of the
row's date with the row's versions (where the catalogue still has them). For a
historical row that is the engine's answer over the registrations kept now, not
necessarily what was shown then. Runs on the current models (drawing needs the engine),
reading only the outcome columns this migration's state has."""

from django.db import migrations


def draw_missing_reports(apps, schema_editor):
    from lens.data.registry import PersonOutcome

    missing = PersonOutcome.objects.filter(outcome__isnull=True)
    if not missing.exists():
        return
    from lens.catalogue import services
    from lens.data.queries import outcome_document

    catalogue, ruleset = services.active()
    # The columns this migration's state has (a later one adds more: 0012's acute_signal).
    columns = ("person", "outcome", "as_of", "computed_at", "catalogue_version", "ruleset_version")
    for stored in missing.only(*columns).select_related("person__organisation").iterator(500):
        stored.outcome = outcome_document(stored, catalogue, ruleset)
        stored.save(update_fields=["outcome"])


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0010_narrow_block_keys"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, draw_missing_reports, elidable=False),
    ]
