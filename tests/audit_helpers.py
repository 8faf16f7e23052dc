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


# The statements of one audit append inside a transaction (``accounts.audit``): one on PostgreSQL (the head
# moved and the entry stored by one data-modifying WITH), two on SQLite (update the head, insert).
APPEND_STATEMENTS = 1 if connection.vendor == "postgresql" else 2
