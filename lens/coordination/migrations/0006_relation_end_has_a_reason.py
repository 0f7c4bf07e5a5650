"""An ended relation says why (its own migration, after 0005's data step: PostgreSQL
alters no table with pending updates in the same transaction)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("coordination", "0005_relation_end_reason")]

    operations = [
        migrations.AddConstraint(
            model_name="personrelation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("end_note", ""), ("end_reason", ""), ("ended_at__isnull", True)),
                    models.Q(
                        ("ended_at__isnull", False),
                        models.Q(("end_reason", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="relation_end_has_a_reason",
            ),
        ),
    ]
