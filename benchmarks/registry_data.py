"""A national registry for ``bench_scan``: ``python -m benchmarks.registry_data --people 1000000``.

Into the PostgreSQL database of ``EXITENTRY_DATABASE_URL`` (created and migrated by ``bench_scan``), all
in set-based SQL (``INSERT ... SELECT`` over ``generate_series``), no ORM row by row: ``--people`` people
with one passport each (3 % a newer one), about 1.2 visas, one permit and ten entries and exits each, and
the cases and acceptance receipts the scan looks at. Every choice is a hash of the person's number and the
seed (``hashint8extended``), so a seed gives the same registry every time. Dates are relative to
``SCAN_DAY``, the day ``bench_scan`` scans, so the same share of people is late whatever day it runs.

Who the people are (shares of ``--people``):

- 40 % residence permit holders in China (a third entered on a Z visa before the permit was issued, the
  rest came back on the permit); 60 % of them hold an expired earlier permit too. 2 % of the current
  permits ran out up to 60 days ago (overstay; a fifth has a receipt still running), 3.5 % end in the
  next 30 days (extension; 40 % applied), 3 % of holders got a new passport after the permit (change of
  particulars; 30 % applied).
- 1.5 % permanent residents in China, cards ending over the next four years (renewal window).
- 2.5 % stay permit holders in China, 7 % of the permits run out.
- 3 % entered on a Z visa in the last 70 days and have no residence permit yet (half applied).
- 13 % visitors in China on an L, M or F visa (30, 60 or 90 days' stay), 4 % of them overstayed.
- 40 % abroad: their last movement is an exit; 80 % hold an expired residence permit.
- 10 % of everyone have an old case with a receipt long run out.

Movements go in ordered by day, as a registry fills, not by person. Plain indexes are dropped during the
load and rebuilt after, foreign keys are not checked during it (``session_replication_role``), and the
tables are vacuumed and analysed at the end.
"""

from __future__ import annotations

import argparse
import time
from datetime import date

SCAN_DAY = date(2026, 11, 16)
TABLES = (
    "registry_person",
    "registry_traveldocument",
    "registry_visa",
    "registry_entryexit",
    "registry_latestmovement",
    "registry_permit",
    "cases_case",
    "cases_receipt",
)
MOVEMENTS = 10

# u(i, salt): a number in [0, 1) from the person's number, the salt and the seed.
FUNCTION = """
CREATE FUNCTION pg_temp.u(i bigint, salt int) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT (hashint8extended(i * 64 + salt, %(seed)s) & 281474976710655)::float8 / 281474976710656 $$
"""

PLAN = """
CREATE UNLOGGED TABLE bench_plan AS
WITH base AS (
  SELECT i, pg_temp.u(i, 1) AS c, pg_temp.u(i, 2) AS a, pg_temp.u(i, 3) AS b, pg_temp.u(i, 4) AS d,
         pg_temp.u(i, 5) AS e, pg_temp.u(i, 6) AS f, pg_temp.u(i, 7) AS g, pg_temp.u(i, 8) AS h,
         CASE WHEN pg_temp.u(i, 9) < 0.7 THEN 730 ELSE 365 END AS years
  FROM generate_series(1, %(people)s) AS i
), cat AS (
  SELECT *, CASE WHEN c < 0.40 THEN 'R' WHEN c < 0.415 THEN 'P' WHEN c < 0.44 THEN 'S'
                 WHEN c < 0.47 THEN 'Z' WHEN c < 0.60 THEN 'V' ELSE 'O' END AS cat
  FROM base
), rp AS (
  SELECT *,
    CASE WHEN cat <> 'R' THEN NULL
         WHEN a < 0.02 THEN %(day)s::date - 1 - floor(b * 60)::int
         WHEN a < 0.055 THEN %(day)s::date + floor(b * 30)::int
         ELSE %(day)s::date + 30 + floor(b * (years - 31))::int END AS rp_until
  FROM cat
), dated AS (
  SELECT *, rp_until - years AS rp_issued FROM rp
)
SELECT i AS id, cat, a, b, d, e, f, g, h, rp_issued, rp_until,
  CASE cat
    WHEN 'R' THEN CASE WHEN e < 0.3 THEN rp_issued - 5 - floor(g * 20)::int
                       ELSE rp_issued + floor(g * (%(day)s::date - rp_issued - 1))::int END
    WHEN 'P' THEN %(day)s::date - 1 - floor(b * 300)::int
    WHEN 'S' THEN %(day)s::date - 6 - floor(a * 200)::int
    WHEN 'Z' THEN %(day)s::date - 1 - floor(a * 70)::int
    WHEN 'V' THEN CASE WHEN b < 0.04 THEN %(day)s::date - (30 + 30 * floor(a * 3)::int) - 1 - floor(g * 60)::int
                       ELSE %(day)s::date - 1 - floor(g * (29 + 30 * floor(a * 3)::int))::int END
    ELSE %(day)s::date - 1 - floor(a * 1000)::int
  END AS last_on,
  CASE WHEN cat = 'R' AND f < 0.03 AND %(day)s::date - rp_issued > 2
       THEN rp_issued + 1 + floor(h * (%(day)s::date - rp_issued - 1))::int
       WHEN cat = 'R' AND f < 0.03 THEN NULL
       WHEN f < 0.06 THEN %(day)s::date - 2000 END AS new_doc_on
FROM dated
"""

PEOPLE = """
INSERT INTO registry_person (id, surname, given_names, chinese_name, sex, birth_date, nationality,
  chinese_origin, household_registration_in_china, created_at)
SELECT id, 'Surname' || id, 'Alex', '', CASE WHEN a < 0.5 THEN 'F' ELSE 'M' END,
  DATE '1950-01-01' + floor(g * 20000)::int,
  (ARRAY['DEU','USA','KOR','JPN','FRA','GBR','RUS','IND','BRA','CAN'])[1 + floor(h * 10)::int],
  false, false, now()
FROM bench_plan
"""

DOCUMENTS = """
INSERT INTO registry_traveldocument (id, kind, number, issuing_country, issued_on, expires_on, person_id, claim)
SELECT id, 'passport', 'C' || lpad(id::text, 9, '0'), 'DEU', DATE '2015-01-01', DATE '2035-01-01', id, false
FROM bench_plan
UNION ALL
SELECT %(people)s + id, 'passport', 'N' || lpad(id::text, 9, '0'), 'DEU', new_doc_on, new_doc_on + 3650, id, false
FROM bench_plan WHERE new_doc_on IS NOT NULL
"""

# The document a person travels with on a day: the newer one from its issue.
DOCUMENT_ON = (
    "CASE WHEN p.new_doc_on IS NOT NULL AND {day} >= p.new_doc_on THEN %(people)s + p.id ELSE p.id END"
)

MOVES = (
    """
INSERT INTO registry_entryexit (direction, "on", port, basis, restricted_area, restricted_by, person_id,
  travel_document_id)
SELECT CASE WHEN (k %% 2 = 0) = (p.cat <> 'O') THEN 'entry' ELSE 'exit' END, m.on,
  (ARRAY['PEK','PKX','TSN','SHA'])[1 + k %% 4], 'visa', '', '', p.id, """
    + DOCUMENT_ON.format(day="m.on")
    + """
FROM bench_plan p
CROSS JOIN generate_series(0, %(movements)s - 1) AS k
CROSS JOIN LATERAL (SELECT p.last_on - k * 95 - CASE WHEN k = 0 THEN 0
                           ELSE floor(pg_temp.u(p.id, 20 + k) * 80)::int END AS on) AS m
ORDER BY m.on, p.id
"""
)

# (category, valid from, valid until, stay, within) of the visa each person entered on, or an old one.
VISAS = (
    """
INSERT INTO registry_visa (number, category, entries, duration_of_stay_days, valid_from, valid_until,
  residence_permit_within_days, person_id, travel_document_id)
SELECT 'V' || lpad(p.id::text, 9, '0'), v.category, 1, v.stay, v.valid_from, v.valid_until, v.within, p.id, """
    + DOCUMENT_ON.format(day="v.valid_from")
    + """
FROM bench_plan p CROSS JOIN LATERAL (
  SELECT * FROM (VALUES
    ('Z', p.last_on - 60, p.last_on + 30, 0, 30)
  ) AS z(category, valid_from, valid_until, stay, within)
  WHERE p.cat = 'Z' OR (p.cat = 'R' AND p.e < 0.3)
  UNION ALL SELECT 'Z', p.rp_issued - 80, p.rp_issued - 20, 0, 30 WHERE p.cat = 'R' AND p.e >= 0.3
  UNION ALL SELECT 'L', p.last_on - 30, p.last_on + 60, 30, NULL WHERE p.cat = 'S'
  UNION ALL SELECT (ARRAY['L','M','F'])[1 + floor(p.a * 3)::int], p.last_on - 30, p.last_on + 90,
                   30 + 30 * floor(p.a * 3)::int, NULL WHERE p.cat = 'V'
  UNION ALL SELECT 'L', p.last_on - 200, p.last_on - 100, 30, NULL WHERE p.cat IN ('P', 'O')
) AS v
UNION ALL
SELECT 'W' || lpad(p.id::text, 9, '0'), 'L', 1, 30, p.last_on - 900, p.last_on - 800, NULL, p.id, p.id
FROM bench_plan p WHERE p.d < 0.2
"""
)

PERMITS = """
INSERT INTO registry_permit (kind, permit_type, number, issued_on, valid_until, status, person_id)
SELECT kind, permit_type, prefix || lpad(id::text, 9, '0'), issued_on, valid_until, status, id
FROM (
  SELECT id, 'residence-permit' AS kind, 'work' AS permit_type, 'E' AS prefix, rp_issued AS issued_on,
         rp_until AS valid_until, 'valid' AS status FROM bench_plan WHERE cat = 'R'
  UNION ALL SELECT id, 'residence-permit', 'work', 'H', rp_issued - 730, rp_issued - 1,
         CASE WHEN h < 0.05 THEN 'void' ELSE 'valid' END FROM bench_plan WHERE cat = 'R' AND d < 0.6
  UNION ALL SELECT id, 'pr-card', '', 'K', %(day)s::date - 30 + floor(a * 1500)::int - 3650,
         %(day)s::date - 30 + floor(a * 1500)::int, 'valid' FROM bench_plan WHERE cat = 'P'
  UNION ALL SELECT id, 'stay-permit', '', 'T', last_on + 5, last_on + 185, 'valid'
         FROM bench_plan WHERE cat = 'S'
  UNION ALL SELECT id, 'residence-permit', 'study', 'O', last_on - 800, last_on - 70, 'valid'
         FROM bench_plan WHERE cat = 'O' AND d < 0.8
) AS permits
ORDER BY issued_on
"""

# (person, permit, issued, valid until) of each application the scan should see.
APPLICATIONS = """
CREATE UNLOGGED TABLE bench_applications AS
SELECT row_number() OVER (ORDER BY issued_on, person_id) AS id, person_id, permit_id, issued_on, valid_until
FROM (SELECT *, row_number() OVER (PARTITION BY permit_id ORDER BY issued_on, person_id) AS nth FROM (
  SELECT p.id AS person_id, r.id AS permit_id, %(day)s::date - 5 AS issued_on, %(day)s::date + 55 AS valid_until
  FROM bench_plan p JOIN registry_permit r ON r.number = 'E' || lpad(p.id::text, 9, '0')
  WHERE p.cat = 'R' AND p.a >= 0.02 AND p.a < 0.055 AND p.h < 0.4
  UNION ALL SELECT p.id, r.id, p.rp_until - 10, %(day)s::date + 30
  FROM bench_plan p JOIN registry_permit r ON r.number = 'E' || lpad(p.id::text, 9, '0')
  WHERE p.cat = 'R' AND p.a < 0.02 AND p.h < 0.2
  UNION ALL SELECT p.id, r.id, LEAST(p.new_doc_on + 3, %(day)s::date - 1), LEAST(p.new_doc_on + 3, %(day)s::date - 1) + 60
  FROM bench_plan p JOIN registry_permit r ON r.number = 'E' || lpad(p.id::text, 9, '0')
  WHERE p.cat = 'R' AND p.f < 0.03 AND p.new_doc_on IS NOT NULL AND p.g < 0.3
  UNION ALL SELECT id, NULL, LEAST(last_on + 5, %(day)s::date - 1), LEAST(last_on + 5, %(day)s::date - 1) + 60
  FROM bench_plan WHERE cat = 'Z' AND b < 0.5
  UNION ALL SELECT id, NULL, %(day)s::date - 3, %(day)s::date + 40 FROM bench_plan WHERE cat = 'V' AND h < 0.1
  UNION ALL SELECT id, NULL, last_on - 400, last_on - 340 FROM bench_plan WHERE pg_temp.u(id, 40) < 0.1
) AS a) AS b
WHERE permit_id IS NULL OR nth = 1  -- one open case per permit (cases' case_one_open_per_permit)
"""

CASES = """
INSERT INTO cases_case (id, reference, procedure_id, acting_as, hall_id, facts, state, created_at, touched_at,
  submitted_on, accepted_on, permit_id, person_id, submitted_by_id, applicant_present, facts_from_registry)
SELECT id, 'BJ' || lpad(id::text, 10, '0'), 'rp-work', 'self', 'reception-hall', '{}', 'accepted', now(), now(),
  issued_on, issued_on, permit_id, person_id, %(officer)s, true, '{}'
FROM bench_applications
"""

RECEIPTS = """
INSERT INTO cases_receipt (id, number, issued_on, valid_until, provisional, case_id, issued_by_id)
SELECT id, 'S' || lpad(id::text, 10, '0'), issued_on, valid_until, false, id, %(officer)s
FROM bench_applications
"""


def _plain_indexes(cursor) -> list[tuple[str, str]]:
    """(name, definition) of the indexes on the loaded tables that no constraint owns."""
    cursor.execute(
        """SELECT indexname, indexdef FROM pg_indexes i WHERE tablename = ANY(%s)
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
        [list(TABLES)],
    )
    return cursor.fetchall()


def generate(n_people: int, seed: int = 1) -> dict[str, object]:
    from django.db import connection, transaction

    from exitentry.accounts.models import Role, User
    from exitentry.registry import latest
    from exitentry.registry.models import Person

    if connection.vendor != "postgresql":
        raise SystemExit("the benchmark data goes into PostgreSQL: set EXITENTRY_DATABASE_URL")
    if Person.objects.exists():
        return {"people": Person.objects.count(), "skipped": 1}
    params = {"people": n_people, "seed": seed, "day": SCAN_DAY, "movements": MOVEMENTS}
    took: dict[str, float] = {}
    with transaction.atomic(), connection.cursor() as cursor:  # all or nothing
        cursor.execute(
            "SET LOCAL session_replication_role = replica"
        )  # no foreign-key triggers during the load
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        params["officer"] = User.objects.create(username="bench-officer", role=Role.OFFICER).pk
        cursor.execute(FUNCTION % {"seed": int(seed)})
        indexes = _plain_indexes(cursor)
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        for label, sql in (
            ("plan", PLAN),
            ("analyse plan", "ANALYZE bench_plan"),
            ("people", PEOPLE),
            ("travel documents", DOCUMENTS),
            ("movements", MOVES),
            ("latest movements", latest.FILL),
            ("visas", VISAS),
            ("permits", PERMITS),
            ("applications", APPLICATIONS),
            ("analyse applications", "ANALYZE bench_applications"),
            ("cases", CASES),
            ("receipts", RECEIPTS),
        ):
            start = time.perf_counter()
            cursor.execute(sql, params)
            took[label] = time.perf_counter() - start
        start = time.perf_counter()
        for _, definition in indexes:
            cursor.execute(definition)
        took["indexes"] = time.perf_counter() - start
        cursor.execute("DROP TABLE bench_plan, bench_applications")
        for table in TABLES:
            if table == "registry_latestmovement":  # keyed by person, no sequence
                continue
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
    with connection.cursor() as cursor:
        start = time.perf_counter()
        cursor.execute("VACUUM (ANALYZE)")
        took["vacuum analyze"] = time.perf_counter() - start
        counts = {}
        for table in TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    return {"rows": counts, "seconds": {k: round(v, 1) for k, v in took.items()}, "database size": size}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    import django

    django.setup()
    start = time.perf_counter()
    result = generate(args.people, args.seed)
    print(result, f"in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
