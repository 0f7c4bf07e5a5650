"""Narrow blocking keys for the fuzzy match rule (lens.coordination.similarity.blocks).

The date block held the exact birth date alone, so it grew with the registry (about 240
records at a million persons, each opened at every look-up); the family block held the
birth year and three letters. Four narrow blocks replace them (date + given names, date +
family name, the names without the date, year + three letters + given names), each a
handful of records at any size. Every record's keys are recomputed from its identity,
opened in memory with the configured keys (as registry 0002 did for the first keys), by
the same function `lens matching rebuild-keys` uses, before the indexes are built. Each
key is indexed with the organisation, so that a look-up and the batch run's self-join
leave the same organisation's records aside from the index alone. Going back leaves the
old fields empty: run this migration forward again to fill the keys."""

from django.db import migrations, models


def rebuild(apps, schema_editor):
    Person = apps.get_model("registry", "Person")
    if not Person.objects.exists():
        return
    from lens.coordination.blocking import rebuild_block_keys

    rebuild_block_keys(person_model=Person)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0009_outcome_digest_and_runs"),
    ]

    operations = [
        migrations.RemoveField(model_name="person", name="block_date_key"),
        migrations.RemoveField(model_name="person", name="block_family_key"),
        migrations.AlterField(
            model_name="person",
            name="block_names_key",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="person",
            name="block_date_given_key",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="person",
            name="block_date_family_key",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="person",
            name="block_year_names_key",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=False),
        *(
            migrations.AddIndex(
                model_name="person",
                index=models.Index(
                    fields=[f"block_{name}_key", "organisation"], name=f"person_block_{name}"
                ),
            )
            for name in ("date_given", "date_family", "names", "year_names")
        ),
    ]
