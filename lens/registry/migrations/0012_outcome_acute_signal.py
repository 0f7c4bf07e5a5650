"""Store beside each outcome whether it counts a current signal marked acute (issue 13:
with the level, what calls for 112 first), so that the work list reads it for a page of
cases in its one query, as the case page does, without drawing a report per row.

Filled for the outcomes there are: from the stored report where a row has one (older
rows), else from the report drawn again the way the pages draw it
(lens.data.queries.outcome_document: the person's current registrations as of the row's
date, with the row's versions where the catalogue still has them), which is what the case
page read before this change. Drawing runs on the current models (it needs the engine),
reading only the outcome columns this migration's state has; it is not reached when no
row is without a report (a new database)."""

from django.db import migrations, models

BATCH = 500


def _acute_in(document) -> bool:
    if not isinstance(document, dict):
        return False
    signals = (document.get("explanation") or {}).get("signals") or []
    return any(isinstance(s, dict) and s.get("acute") for s in signals)


def fill(apps, schema_editor):
    PersonOutcome = apps.get_model("registry", "PersonOutcome")
    kept = PersonOutcome.objects.filter(outcome__isnull=False).only("pk", "outcome")
    acute = [row.pk for row in kept.iterator(chunk_size=BATCH) if _acute_in(row.outcome)]
    for start in range(0, len(acute), BATCH):
        PersonOutcome.objects.filter(pk__in=acute[start : start + BATCH]).update(acute_signal=True)
    if not PersonOutcome.objects.filter(outcome__isnull=True).exists():
        return
    from lens.catalogue import services
    from lens.data.queries import outcome_document
    from lens.data.registry import PersonOutcome as Current

    catalogue, ruleset = services.active()
    # The columns this migration's state has (a later one may add more).
    columns = ("person", "outcome", "as_of", "computed_at", "catalogue_version", "ruleset_version")
    drawn = Current.objects.filter(outcome__isnull=True).only(*columns)
    for stored in drawn.select_related("person__organisation").iterator(BATCH):
        if _acute_in(outcome_document(stored, catalogue, ruleset)):
            Current.objects.filter(pk=stored.pk).update(acute_signal=True)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0011_outcome_reports_drawn"),
    ]

    operations = [
        migrations.AddField(
            model_name="personoutcome",
            name="acute_signal",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
