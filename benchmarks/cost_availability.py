"""The availability query and its endpoint in one process: ``python -m benchmarks.cost_availability``.

In the database of ``bench_bookings`` (``exitentry_bench_bookings``, made by it: 100,000 bookings), for a
case submitted to the reception hall whose applicant is signed in (``bookings_data``'s fixture):

1. ``services.availability`` (bookable slots per day over the next 28 days), ``--runs`` times: p50, p99;
2. ``GET /api/v1/slots/availability`` for the same case and days through the application's WSGI handler
   (DEBUG off, all of ``settings.MIDDLEWARE``, the applicant's session), ``--runs`` times: p50 and p99 of
   wall time and, per request, the SQL statements, the CPU of the Python process and of its PostgreSQL
   backend (from ``/proc``: the machine's load stretches them less than wall time).

``--checkout`` (repeat) runs each checkout's ``src`` on this venv and the same data, in turns, ``--rounds``
times, one line per turn with the load average at its start. ``--overrides N`` first gives the hall N
days with fewer counters in those four weeks (supervisors' overrides with a reason, on days with no such
change yet; removed afterwards),
which the endpoint explains beside the day. Numbers go to docs/performance.md; nothing here runs in the tests.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from benchmarks.cost_status_checks import cpu_ticks
from benchmarks.serving import DEFAULT_PG, ROOT, app_env, python_json

DATABASE = "exitentry_bench_bookings"
HALL = "reception-hall"


def _quantiles(times: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(times, n=100)
    return q[49] * 1000, q[98] * 1000


def measure(case_id: int, session: str, runs: int, warmup: int) -> dict:
    """Both measures in this process (after ``django.setup()``), as a dict of milliseconds."""
    from wsgiref.util import setup_testing_defaults

    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    import exitentry
    from exitentry.appointments import services
    from exitentry.cases.models import Case
    from exitentry.law.calendar import beijing_today

    connection.settings_dict["CONN_MAX_AGE"] = None  # one backend for the whole run, measured
    case, today = Case.objects.get(pk=case_id), beijing_today()
    last = today + timedelta(days=27)
    query: list[float] = []
    for i in range(warmup + runs):
        start = time.perf_counter()
        days = services.availability(case, HALL, today, last)
        if i >= warmup:
            query.append(time.perf_counter() - start)

    handler, statuses, statements = WSGIHandler(), [], []

    def call() -> bytes:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/api/v1/slots/availability",
            "QUERY_STRING": f"case_id={case_id}&hall_id={HALL}",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_COOKIE": f"sessionid={session}",
            "wsgi.input": io.BytesIO(b""),
        }
        setup_testing_defaults(environ)
        response = handler(environ, lambda status, headers, *_: statuses.append(status))
        answer = b"".join(response)
        response.close()
        if not statuses[-1].startswith("200"):
            sys.exit(f"availability: {statuses[-1]} {answer[:300]!r}")
        return answer

    def counted(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    for _ in range(warmup):
        answer = call()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    wall: list[float] = []
    cpu, pg = time.process_time(), cpu_ticks(backend)
    with connection.execute_wrapper(counted):
        for _ in range(runs):
            start = time.perf_counter()
            call()
            wall.append(time.perf_counter() - start)
    cpu, pg = time.process_time() - cpu, (cpu_ticks(backend) - pg) / os.sysconf("SC_CLK_TCK")
    q50, q99 = _quantiles(query)
    h50, h99 = _quantiles(wall)
    explained = sum(1 for d in json.loads(answer)["days"] if d.get("fewer_because"))
    return {
        "code": str(Path(exitentry.__file__).parent.parent),
        "days": len(days),
        "explained": explained,
        "query_p50": q50,
        "query_p99": q99,
        "endpoint_p50": h50,
        "endpoint_p99": h99,
        "statements": len(statements) / runs,
        "python_ms": cpu * 1000 / runs,
        "postgres_ms": pg * 1000 / runs,
    }


OVERRIDES = """
import json
from datetime import timedelta
from exitentry.accounts.models import User
from exitentry.appointments.models import DayOverride
from exitentry.law.calendar import beijing_today
DayOverride.everything.filter(reason__startswith="Benchmark:").delete()
today, n = beijing_today(), {n}
# a day whose counters a supervisor already changed keeps its change (one number of counters a day)
changed = set(DayOverride.objects.filter(hall_id="{hall}", kind="reduced_counters").values_list("day", flat=True))
days = [today + timedelta(days=d) for d in range(1, 28)]
days = [d for d in days if d.weekday() < 5 and d not in changed][:n]
by = User.objects.filter(is_superuser=True).first() or User.objects.order_by("pk").first()
DayOverride.objects.bulk_create([DayOverride(hall_id="{hall}", day=d, kind="reduced_counters", counters=5,
    reason="Benchmark: staff training.", reason_zh="基准测试：员工培训。", created_by=by) for d in days])
print(json.dumps({{"overrides": len(days)}}))
"""


def _in_turns(args, env: dict[str, str]) -> None:
    fixture = python_json(env, "-m", "benchmarks.bookings_data", "--fixture", "1", "0", "0")
    case_id, session = fixture["availability"]
    if args.overrides:
        code = "import django; django.setup()\n" + OVERRIDES.format(n=args.overrides, hall=HALL)
        print(python_json(env, "-c", code))
    own = ["--runs", str(args.runs), "--warmup", str(args.warmup), "--pg", args.pg]
    own += ["--case", str(case_id), "--session", session]
    print(
        "round checkout load | query p50 p99 ms | endpoint p50 p99 ms | statements"
        " | CPU Python + PostgreSQL ms | days (explained)"
    )
    try:
        for round_ in range(1, args.rounds + 1):
            for checkout in args.checkout or [ROOT]:
                load = os.getloadavg()[0]
                child = dict(env, PYTHONPATH=f"{checkout.resolve() / 'src'}:{ROOT}")
                r = python_json(child, "-m", __spec__.name, *own)
                print(
                    f"{round_} {checkout} {load:.1f} | {r['query_p50']:.2f} {r['query_p99']:.2f}"
                    f" | {r['endpoint_p50']:.2f} {r['endpoint_p99']:.2f} | {r['statements']:.1f}"
                    f" | {r['python_ms']:.2f} + {r['postgres_ms']:.2f} | {r['days']} ({r['explained']})"
                    f"  [{r['code']}]",
                    flush=True,
                )
    finally:
        if args.overrides:
            code = "import django; django.setup()\n" + OVERRIDES.format(n=0, hall=HALL)
            python_json(env, "-c", code)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL server URL without database")
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--checkout", action="append", type=Path, help="a checkout measured (repeat)")
    parser.add_argument("--rounds", type=int, default=3, help="each checkout in turn, this many times")
    parser.add_argument("--overrides", type=int, default=0, help="days with fewer counters, for the run")
    parser.add_argument("--case", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--session", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    env = app_env(args.pg, DATABASE, f"/tmp/exitentry-cost-{os.getpid()}")
    if args.case is None:
        _in_turns(args, env)
        return
    os.environ.update(env)
    import django

    django.setup()
    print(json.dumps(measure(args.case, args.session, args.runs, args.warmup)))


if __name__ == "__main__":
    main()
