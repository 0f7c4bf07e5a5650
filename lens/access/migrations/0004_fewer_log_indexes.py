"""The access log keeps the indexes its reads use: the id (the chain's order) and
`person_id` (a person's entries). The indexes on the time, the pseudonym and the hash
(unique) went: no read uses them, and each cost every write of the log, the 25 entries
of a list page in one INSERT (on SQLite about 0.3 ms of CPU each for the time and the
pseudonym and 0.75 ms for the hash's random keys, in the INSERT and the pages the commit
writes; docs/design/registry.md, "The list and the person page at half the baseline").

On SQLite, dropping the hash's UNIQUE rebuilds the table (new table, copy, drop the old
one), and the append-only triggers go with the old table: they are created again after
it (and again after the reverse, which rebuilds it as well). PostgreSQL alters the table
in place; its triggers stay.
"""

import importlib

from django.db import migrations, models

append_only = importlib.import_module("lens.access.migrations.0002_append_only")


def sqlite_triggers_again(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    table = apps.get_model("access", "AccessLogEntry")._meta.db_table
    append_only.drop_triggers(schema_editor, table)
    append_only.create_triggers(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0003_alter_accesslogentry_action"),
    ]

    operations = [
        # Reversed last: the triggers again after the reverse's rebuild.
        migrations.RunPython(migrations.RunPython.noop, sqlite_triggers_again, elidable=False),
        migrations.AlterField(
            model_name="accesslogentry",
            name="at",
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="entry_hash",
            field=models.CharField(max_length=64),
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="person_pseudonym",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.RunPython(sqlite_triggers_again, migrations.RunPython.noop, elidable=False),
    ]
