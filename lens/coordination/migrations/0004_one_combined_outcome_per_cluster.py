"""One combined outcome per cluster and region: the per-record column goes (its own
migration, after 0003's data step: PostgreSQL alters no table with pending updates in
the same transaction)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("coordination", "0003_stored_clusters")]

    operations = [
        migrations.RemoveIndex(model_name="combinedoutcome", name="combinedoutcome_latest"),
        migrations.RemoveField(model_name="combinedoutcome", name="person"),
        migrations.AlterField(
            model_name="combinedoutcome",
            name="cluster_id",
            field=models.BigIntegerField(),
        ),
        migrations.AddConstraint(
            model_name="combinedoutcome",
            constraint=models.UniqueConstraint(
                fields=("cluster_id", "region"), name="combinedoutcome_one_per_cluster"
            ),
        ),
    ]
