"""The daily compliance scan over a national registry: ``python -m benchmarks.bench_scan``.

1. Creates the PostgreSQL database ``exitentry_bench_registry`` (kept between runs), migrates it and fills it
   once with ``benchmarks.registry_data`` (``--people``, 1,000,000: 10,000,000 entries and exits).
2. The first scan of ``registry_data.SCAN_DAY`` with no alert open (``compliance.scan.scan``, the code the
   daily task runs): every cause found opens an alert, the heaviest write a scan can have.
3. The same day again, ``--runs`` times: every cause is found again and nothing is written, the steady
   state of a daily scan; the median is reported.
4. The one-at-a-time path: the law core's one-person functions fed from the ORM, person by person (what
   ``tests/compliance/test_scan_agrees.py`` checks the scan against), over ``--sample`` random people,
   extrapolated to the registry; it must agree with the scan's alerts on every one of them.

Database time is the time spent in ``cursor.execute`` (a Django execute wrapper around every statement the
scan sends: psycopg returns from it once the server has run the statement and the rows have arrived) and
in the commit (the alerts' deferred foreign-key checks);
Python time is the rest of the wall time (building the queries, turning rows into findings, the law core's
dates, comparing with the open alerts). Peak memory: the process's resident high-water mark
(``getrusage``) after the scans, and tracemalloc's peak over one more steady-state scan (``--trace``; tracing
slows Python, so that scan's time is not reported). ``--explain`` prints EXPLAIN (ANALYZE, BUFFERS) of each
statement of one scan. ``--old SRC`` times another version's scan too, in turns with this one on the same
data: SRC is the ``src`` folder of a checkout of it (``git worktree add /tmp/old REV``, then ``--old
/tmp/old/src``), whose scan runs in a process of its own with that folder first on ``PYTHONPATH`` (the scan
is a package: its modules import each other by their full names, so it cannot be loaded beside this one). The
old code reads the tables this code migrated: a version whose models differ from them cannot be compared. Numbers and the command go to docs/performance.md; nothing here runs in the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from contextlib import contextmanager

from benchmarks.common import machine
from benchmarks.serving import DEFAULT_PG, ROOT, app_env, migrated_database

DATABASE = "exitentry_bench_registry"


class Clock:
    """The time each statement spends in ``cursor.execute``, by step of the scan."""

    def __init__(self, steps: list[str]) -> None:
        self.steps = [*steps, "writing"]
        self.step = self.steps[0]
        self.database: dict[str, float] = {}
        self.statements: list[tuple[str, list]] = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.database[self.step] = self.database.get(self.step, 0.0) + time.perf_counter() - start
            self.statements.append((sql, params))

    def progress(self, step: str) -> None:
        """The scan's progress callback, told each ground once it is done: what follows is the next one's
        (the tuning and the question who moved after the day count with the first ground)."""
        self.step = self.steps[self.steps.index(step) + 1]


@contextmanager
def clocked():
    from django.db import connection

    from exitentry.compliance.scan import GROUNDS

    clock = Clock([ground_id for ground_id, _ in GROUNDS])
    with connection.execute_wrapper(clock):
        yield clock


def timed_scan(scan: Callable, on) -> dict:
    """One scan of ``on``: wall, database and Python seconds, the summary's counts."""
    from django.db import connection, transaction

    transaction.set_autocommit(False)  # the commit (and its deferred foreign-key checks) is timed too
    try:
        with clocked() as clock:
            start = time.perf_counter()
            summary = scan(on, clock.progress)
            committing = time.perf_counter()
            connection.commit()
            wall = time.perf_counter() - start
    finally:
        transaction.set_autocommit(True)
    clock.database["commit"] = wall - (committing - start)
    database = sum(clock.database.values())
    written = clock.database.get("writing", 0.0) + clock.database["commit"]
    return {
        "wall": wall,
        "database": database,
        "python": wall - database,
        "write database": written,
        "opened": sum(summary.opened.values()),
        "still open": sum(summary.still_open.values()),
        "closed": sum(summary.closed.values()),
        "statements": len(clock.statements),
        "by step": clock.database,
        "opened by ground": dict(summary.opened),
    }


def _reset_alerts() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE compliance_alert CASCADE")  # and what refers to them


def _line(label: str, r: dict) -> str:
    return (
        f"{label:<34} wall {r['wall']:6.2f} s  database {r['database']:6.2f} s  python {r['python']:5.2f} s"
        f"  (writing: database {r['write database']:.2f} s)  opened {r['opened']:,} still open"
        f" {r['still open']:,} closed {r['closed']:,}  {r['statements']} statements"
    )


def one_at_a_time(on, sample: int, seed: int) -> tuple[float, int, int]:
    """Seconds for the one-person path over ``sample`` random people; how many disagree with the alerts."""
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the tests import their helpers by bare name
    from tests.compliance.test_scan_agrees import expected

    from exitentry.compliance.models import Alert
    from exitentry.registry.models import Person

    first, last = (
        Person.objects.order_by("pk").values_list("pk", flat=True)[0],
        Person.objects.latest("pk").pk,
    )
    ids = random.Random(seed).sample(range(first, last + 1), sample)
    start = time.perf_counter()
    found = {pk: expected(Person.objects.get(pk=pk), on) for pk in ids}
    seconds = time.perf_counter() - start
    held: dict[int, set] = {}
    for a in Alert.objects.filter(person_id__in=ids, closed_on=None):
        held.setdefault(a.person_id, set()).add((a.ground_id, a.cause_key))
    return seconds, sum(found[pk] != held.get(pk, set()) for pk in ids), sum(len(v) for v in found.values())


def explain(scan: Callable, on) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of each statement of one scan, in one transaction as the scan runs them: its
    first statement sets the scan's own settings (``TUNING``: work_mem, no JIT) for the transaction, and
    they hold for the plans after it."""
    from django.db import connection, transaction

    with clocked() as clock:
        scan(on)
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, params in clock.statements:
            if sql.lstrip().upper().startswith(("SELECT", "WITH")):
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                print("\n".join(row[0] for row in cursor.fetchall()), end="\n\n")


def _analyse_alerts() -> None:
    """ANALYZE the alerts the first scan opened, as autovacuum does within its minute's nap of that many new
    rows (its threshold: 50 and a tenth of the table) while the next daily scan is a day away; planned on the
    empty table's statistics, the scan's alert look-ups take a wrong index."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE compliance_alert")


def _in_child(src: str, env: dict[str, str], first: bool) -> Callable:
    """A scan run by the checkout at ``src`` in a process of its own, timed there as ``timed_scan`` times
    this one's; ``first`` empties the alerts before it, as for this code's first scan."""

    def run(on) -> dict:
        command = [sys.executable, "-m", "benchmarks.bench_scan", "--child", "first" if first else "again"]
        child_env = env | {"PYTHONPATH": os.pathsep.join([src, str(ROOT)])}
        out = subprocess.run(command, env=child_env, cwd=ROOT, check=True, capture_output=True, text=True)
        return json.loads(out.stdout.splitlines()[-1])

    return run


def _child(which: str) -> None:
    """One timed scan in this process (``--child``): its figures as one line of JSON on standard output."""
    import django

    django.setup()
    from benchmarks.registry_data import SCAN_DAY
    from exitentry.compliance.scan import scan

    print(json.dumps(_scan_once(scan, which == "first")(SCAN_DAY)))


def _scan_once(scan: Callable, first: bool) -> Callable:
    """``timed_scan`` of ``scan``, after emptying the alerts where it is the ``first`` scan."""

    def run(on) -> dict:
        if first:
            _reset_alerts()
        return timed_scan(scan, on)

    return run


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL server URL without database")
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="steady-state scans (median reported)")
    parser.add_argument("--sample", type=int, default=2000, help="people on the one-at-a-time path (0: skip)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--trace", action="store_true", help="tracemalloc's peak over one more scan")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE each statement of one scan")
    parser.add_argument("--old", metavar="SRC", help="another checkout's src folder, its scan timed in turns")
    parser.add_argument("--child", choices=["first", "again"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args.child)

    env = app_env(args.pg, DATABASE, tempfile.mkdtemp(prefix="exitentry-bench-"))
    migrated_database(args.pg, DATABASE, env)
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.registry_data",
            "--people",
            str(args.people),
            "--seed",
            str(args.seed),
        ],
        env=env,
        check=True,
        cwd=ROOT,
    )
    print(f"data ready in {time.perf_counter() - start:.0f} s")
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    from benchmarks.registry_data import SCAN_DAY
    from exitentry.compliance.scan import scan

    print(machine())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database())), version()")
        size, version = cursor.fetchone()
    print(f"{version.split(' on ')[0]}, database {size}; scanning {SCAN_DAY}")

    scans = {"new": lambda first: _scan_once(scan, first)} | (
        {"old": lambda first: _in_child(args.old, env, first)} if args.old else {}
    )
    for name, run in scans.items():
        first = run(True)(SCAN_DAY)
        print(_line(f"{name}: first scan (all open)", first))
        print("  opened by ground:", first["opened by ground"])
    _analyse_alerts()
    steady: dict[str, list[dict]] = {name: [] for name in scans}
    for _ in range(args.runs):
        for name, run in scans.items():  # in turns, on the same data and the same open alerts
            steady[name].append(run(False)(SCAN_DAY))
    for name, runs in steady.items():
        assert all(r["opened"] == r["closed"] == 0 for r in runs), "a second scan the same day wrote"
        median = {
            k: statistics.median(r[k] for r in runs) for k in ("wall", "database", "python", "write database")
        }
        print(_line(f"{name}: same day again (median of {len(runs)})", runs[0] | median))
        print("  database by step:", {k: round(v, 3) for k, v in runs[-1]["by step"].items()})
    print(f"resident high-water mark: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if args.trace:
        tracemalloc.start()
        scan(SCAN_DAY)
        print(f"tracemalloc peak over one scan: {tracemalloc.get_traced_memory()[1] / 2**20:.0f} MB")
        tracemalloc.stop()
    if args.explain:
        explain(scan, SCAN_DAY)
    if args.sample:
        seconds, disagree, held = one_at_a_time(SCAN_DAY, args.sample, args.seed)
        per_person = seconds / args.sample
        whole = per_person * args.people
        best = min(r["wall"] for r in steady["new"])
        print(
            f"one at a time: {args.sample} people in {seconds:.1f} s ({per_person * 1e3:.2f} ms each, {held} causes),"
            f" {disagree} disagreeing with the scan; {args.people:,} people would take {whole:,.0f} s,"
            f" {whole / best:,.0f} times the scan's {best:.2f} s"
        )


if __name__ == "__main__":
    main()
