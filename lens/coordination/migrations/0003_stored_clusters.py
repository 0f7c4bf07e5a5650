"""A stored cluster id per linked record (ClusterMember) and one combined outcome per
cluster and region (docs/design/coordination.md). The data step numbers the clusters of
the existing links and keeps, of the combined outcomes stored per record, the newest per
cluster and region."""

import django.db.models.deletion
from django.db import migrations, models


def _components(pairs):
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {node: find(node) for node in parent}


def fill(apps, schema_editor):
    PersonLink = apps.get_model("coordination", "PersonLink")
    ClusterMember = apps.get_model("coordination", "ClusterMember")
    CombinedOutcome = apps.get_model("coordination", "CombinedOutcome")
    Person = apps.get_model("registry", "Person")
    pairs = PersonLink.objects.filter(state="linked").values_list("person_a_id", "person_b_id")
    root = _components(pairs)  # the smallest pk of each component: union by smaller root
    ClusterMember.objects.bulk_create(
        ClusterMember(person_id=pk, cluster_id=key) for pk, key in sorted(root.items())
    )
    regions = dict(Person.objects.values_list("pk", "organisation__region"))
    kept = set()
    for outcome in CombinedOutcome.objects.order_by("-computed_at", "-id").iterator():
        key = (root.get(outcome.person_id, outcome.person_id), regions[outcome.person_id])
        if key in kept:
            outcome.delete()
            continue
        kept.add(key)
        outcome.cluster_id, outcome.region = key
        outcome.save(update_fields=["cluster_id", "region"])


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0002_latest_outcome_index"),
        ("registry", "0004_latest_outcome_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="ClusterMember",
            fields=[
                (
                    "person",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="cluster",
                        serialize=False,
                        to="registry.person",
                    ),
                ),
                ("cluster_id", models.BigIntegerField(db_index=True)),
            ],
        ),
        migrations.AddField(
            model_name="combinedoutcome",
            name="cluster_id",
            field=models.BigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="combinedoutcome",
            name="region",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="combinedoutcome",
            name="computed_at",
            field=models.DateTimeField(),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
