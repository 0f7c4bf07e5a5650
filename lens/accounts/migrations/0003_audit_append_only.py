"""The beheerder's audit record is append-only in the database, as the access log is.

The same triggers as lens/access/migrations/0002_append_only.py, under names of their
own: on SQLite BEFORE UPDATE and BEFORE DELETE triggers that abort; on PostgreSQL one
plpgsql function behind a row trigger (UPDATE, DELETE) and a statement trigger
(TRUNCATE, let through only on an empty table for Django's test flush). Both raise an
integrity error, so the application sees `django.db.IntegrityError` on either database.

The code is copied rather than imported: a migration must keep doing what it did when it
was written, whatever later happens to the other app's migration module. A later
migration that alters this table on SQLite rebuilds it and drops the triggers:
tests/accounts/test_audit.py checks them after all migrations.
"""

from django.db import migrations

SQLITE_TRIGGERS = ("audit_record_no_update", "audit_record_no_delete")
POSTGRESQL_FUNCTION = "audit_record_append_only"
POSTGRESQL_TRIGGERS = ("audit_record_no_update_delete", "audit_record_no_truncate")
MESSAGE = "audit record is append-only"


def _table(apps) -> str:
    return apps.get_model("accounts", "AuditRecord")._meta.db_table


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
            f"The append-only audit record needs triggers for {vendor}; "
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
    dependencies = [("accounts", "0002_audit_record")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
