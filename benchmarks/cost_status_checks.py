"""Where a status check's time goes, in one process: ``python -m benchmarks.cost_status_checks``.

Each probe of ``benchmarks.status_probes`` is called through the application's WSGI handler (DEBUG off) with
``settings.MIDDLEWARE`` or with none, ``--warmup`` times then ``--requests`` times, each request naming
another random travel document of the registry of ``benchmarks.bench_scan`` (``exitentry_bench_registry``,
1,000,000 people); per request: the SQL statements sent, the CPU time of the Python process and of its
PostgreSQL backend (from ``/proc``, so the machine's load stretches them less than wall time), and the wall
time. ``--path`` adds any other POST endpoint with the same body and headers (``--header 'Name: value'``),
e.g. the status checks themselves; ``--bodies FILE`` (a JSON list of objects) sends those bodies in turn instead,
e.g. share codes and dates of birth for ``/status-checks/code``. Numbers go to docs/performance.md; nothing
here runs in the tests.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.serving import DEFAULT_PG, app_env

DATABASE = "exitentry_bench_registry"
PROBES = (
    ("plain Django view, no middleware", "GET", "/probe/plain", False),
    ("plain Django view, all middleware", "GET", "/probe/plain", True),
    ("ninja operation, no middleware", "POST", "/probe/echo", False),
    ("ninja operation, all middleware", "POST", "/probe/echo", True),
    ("+ permit lookup (2 queries)", "POST", "/probe/lookup", True),
    ("+ audit append (its own commit)", "POST", "/probe/audit", True),
    ("+ lookup and audit: a check", "POST", "/probe/check", True),
)


def cpu_ticks(pid: int) -> int:
    """User and system CPU of a process on this machine, in clock ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def bodies(count: int, seed: int = 1) -> list[bytes]:
    """Check bodies naming random passports of the registry and their holders, in the probes' fields and
    in ``/status-checks/document``'s (each ignores the other's)."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        i = rng.randint(1, 1_000_000)
        number, surname = f"C{i:09d}", f"Surname{i}"
        fields = {"number": number, "surname": surname, "document_number": number, "name": f"{surname} Alex"}
        out.append(json.dumps(fields).encode())
    return out


def measure(
    method: str,
    path: str,
    middleware: bool,
    headers: dict,
    warmup: int,
    requests: int,
    show: bool,
    given: list[bytes] | None = None,
) -> dict:
    from wsgiref.util import setup_testing_defaults

    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import override_settings

    with override_settings(MIDDLEWARE=settings.MIDDLEWARE if middleware else []):
        handler = WSGIHandler()
    statuses: list[str] = []
    statements: list[str] = []

    def start_response(status, response_headers, *_):
        statuses.append(status)

    def counted(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    def call(body: bytes) -> None:
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()},
        }
        if method == "POST":
            environ |= {
                "CONTENT_TYPE": "application/json",
                "CONTENT_LENGTH": str(len(body)),
                "wsgi.input": io.BytesIO(body),
            }
        setup_testing_defaults(environ)
        response = handler(environ, start_response)
        answer = b"".join(response)
        response.close()
        if not statuses[-1].startswith("200"):
            sys.exit(f"{method} {path}: {statuses[-1]} {answer[:300]!r}")

    count = warmup + requests
    work = [given[i % len(given)] for i in range(count)] if given else bodies(count)
    for body in work[:warmup]:
        call(body)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    cpu, pg, wall = time.process_time(), cpu_ticks(backend), time.perf_counter()
    with connection.execute_wrapper(counted):
        for i, body in enumerate(work[warmup:]):
            call(body)
            if i == 0 and show:
                print("\n".join(f"  {s[:160]}" for s in statements), file=sys.stderr)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    pg = (cpu_ticks(backend) - pg) / os.sysconf("SC_CLK_TCK")
    return {
        "statements": len(statements) / requests,
        "python_ms": cpu * 1000 / requests,
        "postgres_ms": pg * 1000 / requests,
        "wall_ms": wall * 1000 / requests,
    }


def _in_turns(args) -> None:
    """Each checkout's ``src`` with this venv, in turns, ``--rounds`` times, each turn printed with the load
    average at its start; then per probe the round with the least CPU (the machine's other work only adds)."""
    own = ["--requests", str(args.requests), "--warmup", str(args.warmup), "--pg", args.pg]
    own += [x for path in args.path for x in ("--path", path)]
    own += [x for header in args.header for x in ("--header", header)] + (["--only"] if args.only else [])
    own += ["--bodies", str(args.bodies.resolve())] if args.bodies else []
    best: dict[tuple[str, str], str] = {}
    cpu: dict[tuple[str, str], float] = {}
    for round_ in range(1, args.rounds + 1):
        for checkout in args.checkout:
            print(f"round {round_}, {checkout}, load average {os.getloadavg()[0]:.1f}:", flush=True)
            env = dict(os.environ, PYTHONPATH=f"{checkout.resolve() / 'src'}:{Path(__file__).parent.parent}")
            out = subprocess.run(
                [sys.executable, "-m", __spec__.name, *own],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            for line in out.splitlines()[1:]:
                print("  " + line, flush=True)
                label = line[:36].strip()
                spent = sum(float(x) for x in re.findall(r"([\d.]+) ms (?:Python|PostgreSQL)", line))
                if cpu.get((str(checkout), label), float("inf")) > spent:
                    cpu[(str(checkout), label)], best[(str(checkout), label)] = spent, line
    for checkout in args.checkout:
        print(f"{checkout} (least CPU of {args.rounds} rounds):")
        for (where, _), line in best.items():
            if where == str(checkout):
                print("  " + line)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL server URL without database")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--path", action="append", default=[], help="another POST endpoint to measure")
    parser.add_argument("--header", action="append", default=[], help="'Name: value' for --path requests")
    parser.add_argument("--only", action="store_true", help="the --path endpoints only, not the probes")
    parser.add_argument("--show", action="store_true", help="list the statements of one request")
    parser.add_argument("--bodies", type=Path, help="a JSON list of bodies for the --path requests")
    parser.add_argument("--checkout", action="append", type=Path, help="another checkout's src (repeat)")
    parser.add_argument("--rounds", type=int, default=1, help="each checkout in turn; the least CPU")
    args = parser.parse_args(argv)
    if args.checkout:
        _in_turns(args)
        return
    data_dir = f"/tmp/exitentry-cost-{os.getpid()}"
    os.environ.update(
        app_env(args.pg, DATABASE, data_dir), DJANGO_SETTINGS_MODULE="benchmarks.probe_settings"
    )
    import django

    django.setup()
    from django.db import connection

    connection.settings_dict["CONN_MAX_AGE"] = None  # one backend for the whole run, measured
    headers = dict(h.split(": ", 1) for h in args.header)
    probes = [] if args.only else [(*p, {}) for p in PROBES]
    probes += [(path, "POST", path, True, headers) for path in args.path]
    given = [json.dumps(b).encode() for b in json.loads(args.bodies.read_text())] if args.bodies else None
    print(f"{args.warmup} warm-up requests, then {args.requests} measured, per request:")
    for label, method, path, middleware, extra in probes:
        sent = given if path in args.path else None
        r = measure(method, path, middleware, extra, args.warmup, args.requests, args.show, sent)
        print(
            f"{label:<36} {r['statements']:4.1f} statements  CPU {r['python_ms']:.3f} ms Python"
            f" + {r['postgres_ms']:.3f} ms PostgreSQL  (wall {r['wall_ms']:.3f} ms)",
            flush=True,
        )


if __name__ == "__main__":
    main()
