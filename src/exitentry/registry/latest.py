"""Each person's latest movement, kept by the database: the triggers that keep ``LatestMovement`` equal to
the last of a person's ``EntryExit`` rows (by day, then by id) after every insert, update and delete, on
PostgreSQL and on SQLite, and the statement that fills it from the movements.

A new movement replaces the row only when it is later (an upsert, so two movements of one person recorded
at once leave the later one whatever order they commit in); an update or a delete, a correction, recomputes
the person's row from the movements. Installed by migration ``0006_latest_movement``.
"""

from __future__ import annotations

COLUMNS = 'person_id, movement_id, direction, "on", travel_document_id'

FILL = f"""
INSERT INTO registry_latestmovement ({COLUMNS})
SELECT person_id, id, direction, "on", travel_document_id FROM (
  SELECT m.*, ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY "on" DESC, id DESC) AS n
  FROM registry_entryexit m
) AS ranked WHERE n = 1
"""

_UPSERT = f"""
INSERT INTO registry_latestmovement ({COLUMNS})
VALUES (NEW.person_id, NEW.id, NEW.direction, NEW."on", NEW.travel_document_id)
ON CONFLICT (person_id) DO UPDATE SET movement_id = excluded.movement_id, direction = excluded.direction,
  "on" = excluded."on", travel_document_id = excluded.travel_document_id
WHERE (excluded."on", excluded.movement_id)
  > (registry_latestmovement."on", registry_latestmovement.movement_id);
"""


def _recompute(person: str) -> str:
    return f"""
DELETE FROM registry_latestmovement WHERE person_id = {person};
INSERT INTO registry_latestmovement ({COLUMNS})
SELECT person_id, id, direction, "on", travel_document_id FROM registry_entryexit
WHERE person_id = {person} ORDER BY "on" DESC, id DESC LIMIT 1;
"""


POSTGRESQL = [
    f"""
CREATE FUNCTION registry_keep_latest_movement() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  who bigint;
BEGIN
  IF TG_OP = 'INSERT' THEN
    {_UPSERT}
    RETURN NULL;
  END IF;
  FOREACH who IN ARRAY CASE WHEN TG_OP = 'UPDATE' THEN ARRAY[OLD.person_id, NEW.person_id]
                            ELSE ARRAY[OLD.person_id] END LOOP
    PERFORM 1 FROM registry_latestmovement WHERE person_id = who FOR UPDATE;
    {_recompute("who")}
  END LOOP;
  RETURN NULL;
END $$
""",
    """
CREATE TRIGGER registry_keep_latest_movement AFTER INSERT OR UPDATE OR DELETE ON registry_entryexit
FOR EACH ROW EXECUTE FUNCTION registry_keep_latest_movement()
""",
]

SQLITE = [
    f"""
CREATE TRIGGER registry_latest_movement_insert AFTER INSERT ON registry_entryexit BEGIN
{_UPSERT}
END
""",
    f"""
CREATE TRIGGER registry_latest_movement_update AFTER UPDATE ON registry_entryexit BEGIN
{_recompute("OLD.person_id")}
{_recompute("NEW.person_id")}
END
""",
    f"""
CREATE TRIGGER registry_latest_movement_delete AFTER DELETE ON registry_entryexit BEGIN
{_recompute("OLD.person_id")}
END
""",
]

DROP = {
    "postgresql": [
        "DROP TRIGGER registry_keep_latest_movement ON registry_entryexit",
        "DROP FUNCTION registry_keep_latest_movement()",
    ],
    "sqlite": [f"DROP TRIGGER registry_latest_movement_{op}" for op in ("insert", "update", "delete")],
}


def install(schema_editor) -> None:
    """Create the triggers for the database in use and fill the table from the movements there are."""
    for sql in {"postgresql": POSTGRESQL, "sqlite": SQLITE}[schema_editor.connection.vendor]:
        schema_editor.execute(sql)
    schema_editor.execute(FILL)


def uninstall(schema_editor) -> None:
    for sql in DROP[schema_editor.connection.vendor]:
        schema_editor.execute(sql)
