"""Store the number of blind spots (leefgebieden without information) beside each outcome,
so that lists need not read every outcome's JSON; filled for the outcomes there are."""

from django.db import migrations, models

BATCH = 500


def fill(apps, schema_editor):
    PersonOutcome = apps.get_model("registry", "PersonOutcome")
    rows = PersonOutcome.objects.filter(blind_spots__isnull=True).only("pk", "outcome")
    changed = []
    for outcome in rows.iterator(chunk_size=BATCH):
        spots = (outcome.outcome or {}).get("blind_spots", [])
        outcome.blind_spots = sum(1 for b in spots if b.get("kind") == "life_domain")
        changed.append(outcome)
        if len(changed) == BATCH:
            PersonOutcome.objects.bulk_update(changed, ["blind_spots"])
            changed = []
    PersonOutcome.objects.bulk_update(changed, ["blind_spots"])


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_latest_outcome_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="personoutcome",
            name="blind_spots",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
