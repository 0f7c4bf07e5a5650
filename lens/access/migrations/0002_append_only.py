"""The access log is append-only in the database itself: triggers refuse UPDATE and DELETE.

SQLite: BEFORE UPDATE and BEFORE DELETE triggers that abort the statement.
PostgreSQL: one plpgsql function behind a row trigger (UPDATE, DELETE) and a statement
trigger (TRUNCATE). TRUNCATE of an *empty* log is let through, as SQLite lets a DELETE
through that touches no row: Django's test flush (TransactionTestCase, live_server)
truncates every table, and must keep working while the log is empty.

Both raise an integrity error (SQLite's RAISE(ABORT), PostgreSQL's restrict_violation),
so the application sees `django.db.IntegrityError` on either database.

Careful: on SQLite, a later migration that alters this table rebuilds it (new table, copy,
drop the old one) and the triggers go with the old table. tests/access/test_log.py checks
the triggers after all migrations, so such a migration fails the tests until it creates
them again (`create_triggers` below).
"""

from django.db import migrations

SQLITE_TRIGGERS = ("access_log_no_update", "access_log_no_delete")
POSTGRESQL_FUNCTION = "access_log_append_only"
POSTGRESQL_TRIGGERS = ("access_log_no_update_delete", "access_log_no_truncate")
MESSAGE = "access log is append-only"


def _table(apps) -> str:
    return apps.get_model("access", "AccessLogEntry")._meta.db_table


def create_triggers(schema_editor, table: str) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for trigger, event in zip(SQLITE_TRIGGERS, ("UPDATE", "DELETE"), strict=True):
            schema_editor.execute(
                f"CREATE TRIGGER {trigger} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
            )
    elif vendor == "postgresql":
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION {POSTGRESQL_FUNCTION}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'TRUNCATE' AND NOT EXISTS (SELECT 1 FROM {table}) THEN
                    RETURN NULL;
                END IF;
                RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP
                    USING ERRCODE = 'restrict_violation';
            END;
            $$
            """,
            None,  # no parameters: the % in RAISE is not a placeholder
        )
        update_delete, truncate = POSTGRESQL_TRIGGERS
        schema_editor.execute(
            f"CREATE TRIGGER {update_delete} BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {POSTGRESQL_FUNCTION}()"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {truncate} BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {POSTGRESQL_FUNCTION}()"
        )
    else:
        raise NotImplementedError(
            f"The append-only access log needs triggers for {vendor}; "
            "only SQLite and PostgreSQL have them."
        )


def drop_triggers(schema_editor, table: str) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for trigger in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    elif vendor == "postgresql":
        for trigger in POSTGRESQL_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {POSTGRESQL_FUNCTION}()")


def forwards(apps, schema_editor) -> None:
    create_triggers(schema_editor, _table(apps))


def backwards(apps, schema_editor) -> None:
    drop_triggers(schema_editor, _table(apps))


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
