"""What one booking costs, in one process: ``python -m benchmarks.cost_bookings``.

Throughput on a shared machine drifts with whatever else runs; what one ``POST /api/v1/bookings`` asks of
the database and of the CPU does not (much). One process calls the application's WSGI handler (DEBUG off,
a signed-in session, an Idempotency-Key, each request another case into another free slot) ``--warmup``
times, then ``--requests`` times, and reports per booking:

- the SQL statements sent (savepoints included; ``--show`` lists those of one booking);
- the CPU time of the Python process and of its PostgreSQL backend (read from ``/proc``; the machine's
  load stretches wall time much more than CPU time);
- with ``--callgrind``, the Python process's instructions counted by ``valgrind --tool=callgrind`` (the
  same run with no measured requests subtracted), which do not drift at all.

It reads the database of ``benchmarks.bench_bookings`` (``exitentry_bench_bookings``, built there) and
frees its weeks again before each run (``bookings_data --fixture``). ``--checkout`` measures other
checkouts' ``src`` with this venv on the same data, for a before and after, in turns:
``git worktree add --detach ../old main && python -m benchmarks.cost_bookings --checkout ../old --checkout .``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_bookings import CSRF, DATABASE, fixture
from benchmarks.serving import DEFAULT_PG, ROOT, app_env


def _cpu_ticks(pid: int) -> int:
    """User and system CPU of a process on this machine, in clock ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def _serve(work: list, warmup: int, requests: int, show: bool) -> dict:
    """In the measured process: each (case, session, slot) booked once; every answer must be 201."""
    import django

    django.setup()
    from wsgiref.util import setup_testing_defaults

    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    connection.settings_dict["CONN_MAX_AGE"] = None  # one backend for the whole run, measured below
    handler, statuses, statements = WSGIHandler(), [], []

    def start_response(status, headers, *_):
        statuses.append(status)

    def counted(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    def book(case_id: int, session: str, slot_id: int, key: str) -> None:
        body = json.dumps({"case_id": case_id, "slot_id": slot_id}).encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/api/v1/bookings",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": f"sessionid={session}; csrftoken={CSRF}",
            "HTTP_X_CSRFTOKEN": CSRF,
            "HTTP_IDEMPOTENCY_KEY": key,
        }
        setup_testing_defaults(environ)
        response = handler(environ, start_response)
        answer = b"".join(response)
        response.close()
        if not statuses[-1].startswith("201"):
            sys.exit(f"booking {case_id} into {slot_id}: {statuses[-1]} {answer[:300]!r}")

    for i, (case_id, session, slot_id) in enumerate(work[:warmup]):
        book(case_id, session, slot_id, f"cost-warmup-{i}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    cpu, pg, wall = time.process_time(), _cpu_ticks(backend), time.perf_counter()
    with connection.execute_wrapper(counted):
        for i, (case_id, session, slot_id) in enumerate(work[warmup : warmup + requests]):
            book(case_id, session, slot_id, f"cost-{i}")
            if i == 0 and show:
                print("\n".join(f"  {s[:150]}" for s in statements), file=sys.stderr)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    pg = (_cpu_ticks(backend) - pg) / os.sysconf("SC_CLK_TCK")
    n = max(requests, 1)
    return {
        "statements": len(statements) / n,
        "python_ms": cpu * 1000 / n,
        "postgres_ms": pg * 1000 / n,
        "wall_ms": wall * 1000 / n,
    }


def _fixture(env: dict, count: int) -> list:
    """Weeks five to eight freed again; ``count`` (case, session, slot) of free cases and slots."""
    f = fixture(env, 1, count, 1)
    if min(len(f["pool_cases"]), len(f["pool_slots"])) < count:
        sys.exit("not enough free cases or slots for that many requests")
    return [[c, s, slot] for (c, s), slot in zip(f["pool_cases"], f["pool_slots"], strict=False)]


def _run(checkout: Path, env: dict, work_file: Path, args: list[str], callgrind: str | None = None) -> str:
    """This module in a process of its own, reading ``checkout``'s code (first on the path)."""
    cmd = [sys.executable, "-m", __spec__.name, "--serve", str(work_file), *args]
    if callgrind:
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={callgrind}", *cmd]
    env = dict(env, PYTHONPATH=str(checkout.resolve() / "src"))
    run = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    if run.returncode:
        sys.exit(run.stdout + run.stderr)
    if run.stderr and not callgrind:
        print(run.stderr, end="")
    return run.stdout if not callgrind else run.stderr


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", action="append", type=Path, help="a checkout measured (repeat)")
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL server URL without database")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=1, help="each checkout in turn, this many times")
    parser.add_argument("--callgrind", action="store_true", help="also count instructions (slow)")
    parser.add_argument("--show", action="store_true", help="list the statements of one booking")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        work = json.loads(Path(args.serve).read_text())
        print(json.dumps(_serve(work, args.warmup, args.requests, args.show)))
        return
    checkouts = args.checkout or [ROOT]
    with tempfile.TemporaryDirectory(prefix="exitentry-cost-") as tmp:
        env = dict(app_env(args.pg, DATABASE, tmp), PYTHONHASHSEED="0")
        work_file = Path(tmp, "work.json")
        common = ["--warmup", str(args.warmup), "--requests", str(args.requests)]
        print(f"{args.warmup} warm-up bookings, then {args.requests} measured, per booking:")
        for round_ in range(args.rounds):
            for checkout in checkouts:
                work_file.write_text(json.dumps(_fixture(env, args.warmup + args.requests)))
                shown = ["--show"] if args.show and round_ == 0 else []
                r = json.loads(_run(checkout, env, work_file, common + shown).strip().splitlines()[-1])
                line = (
                    f"{checkout}: {r['statements']:.1f} statements, CPU {r['python_ms']:.2f} ms Python"
                    f" + {r['postgres_ms']:.2f} ms PostgreSQL (wall {r['wall_ms']:.2f} ms)"
                )
                if args.callgrind:
                    counts = []
                    for n in (args.requests, 0):
                        work_file.write_text(json.dumps(_fixture(env, args.warmup + args.requests)))
                        err = _run(
                            checkout,
                            env,
                            work_file,
                            ["--warmup", str(args.warmup), "--requests", str(n)],
                            str(Path(tmp, f"callgrind-{n}.out")),
                        )
                        counts.append(int(re.search(r"Collected : (\d+)", err).group(1)))
                    line += f"; {(counts[0] - counts[1]) / args.requests / 1e6:.2f} M instructions"
                print(line, flush=True)


if __name__ == "__main__":
    main()
