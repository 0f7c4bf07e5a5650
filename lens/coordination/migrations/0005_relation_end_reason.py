"""Why a relation was ended: a reason from a list and a short text. Relations ended
before this were withdrawn as recorded in error (the only way to end one then)."""

from django.db import migrations, models


def ended_before(apps, schema_editor):
    PersonRelation = apps.get_model("coordination", "PersonRelation")
    PersonRelation.objects.filter(ended_at__isnull=False, end_reason="").update(
        end_reason="recorded_in_error"
    )


class Migration(migrations.Migration):
    dependencies = [("coordination", "0004_one_combined_outcome_per_cluster")]

    operations = [
        migrations.AddField(
            model_name="personrelation",
            name="end_note",
            field=models.CharField(blank=True, max_length=200, verbose_name="explanation"),
        ),
        migrations.AddField(
            model_name="personrelation",
            name="end_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("recorded_in_error", "Recorded in error"),
                    ("no_longer_the_case", "No longer the case"),
                    ("other", "Another reason"),
                ],
                max_length=32,
                verbose_name="reason for ending",
            ),
        ),
        migrations.RunPython(ended_before, migrations.RunPython.noop),
    ]
