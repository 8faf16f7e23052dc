"""On SQLite too, the database itself refuses to change or remove an audit entry (PostgreSQL: 0003).

Whoever can write the database file can drop these triggers, which is why entries are sealed with a key
kept outside it. SQLite drops a table's triggers with the table, so a later migration that remakes
``accounts_auditentry`` (SQLite's way of altering most columns) must run ``CREATE`` again.
"""

from django.db import migrations

TRIGGERS = ("accounts_auditentry_no_update", "accounts_auditentry_no_delete")
CREATE = [
    f"CREATE TRIGGER {name} BEFORE {event} ON accounts_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END"
    for name, event in zip(TRIGGERS, ("UPDATE", "DELETE"), strict=True)
]
DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_auditentry_key_id")]
    operations = [migrations.RunPython(forwards, backwards)]
