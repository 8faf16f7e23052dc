"""Writing the audit table as the database's owner can: past the append-only triggers."""

from __future__ import annotations

from django.db import connection


def write_as_database_owner(sql: str, params: list | None = None) -> None:
    """Drop the append-only triggers (rolled back with the test's transaction), then run ``sql``."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS accounts_auditentry_append_only ON accounts_auditentry")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS accounts_auditentry_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS accounts_auditentry_no_delete")
        cursor.execute(sql, params or [])
