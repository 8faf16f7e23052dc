"""Bookings over HTTP and the availability query: ``python -m benchmarks.bench_bookings``.

1. Creates the PostgreSQL database ``exitentry_bench_bookings`` (kept between runs), migrates it and fills
   it with ``benchmarks.bookings_data`` (``--bookings`` existing bookings, 100,000 by default).
2. Serves the real application with gunicorn (``--workers`` workers of ``--worker-class``, DEBUG off) on
   127.0.0.1.
3. The race: ``--clients`` clients (200), each signed in with a case of its own, are released at the same
   moment and each books the first of ``--slots`` slots (50) it can get, trying them in its own random
   order (``POST /api/v1/bookings`` with an Idempotency-Key; a 409 means taken, try the next). Then the
   database is asked for any slot or case with two active bookings.
4. Throughput: wrk (``--clients`` connections) books ``--per-client`` cases per client into free slots as
   fast as answers come (each slot handed to one request): bookings per second at saturation.
5. Availability: ``GET /api/v1/slots/availability`` (bookable slots per day at the reception hall over four
   weeks) sent at a fixed rate by one asyncio process (``--rate`` per second, ``benchmarks.open_loop``: each
   request's latency counts from when it was due, so a slow answer delays nobody's clock; the client's own
   CPU is reported), and the same query timed inside one process.

Answers other than 201/409 (booking) or 200 (availability) are counted and fail the run. Numbers and the
command go to docs/performance.md; nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.common import machine
from benchmarks.open_loop import open_loop
from benchmarks.serving import (
    DEFAULT_PG,
    ROOT,
    app_env,
    django_json,
    gunicorn,
    migrated_database,
    python_json,
    wrk_path,
)

DATABASE = "exitentry_bench_bookings"
CSRF = "benchmarkcsrftoken0123456789abcd"  # 32 characters: an unmasked secret, as cookie and header


class Client:
    """One caller over HTTP; a new connection per request (gunicorn's sync workers close each one)."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port

    def request(self, method: str, path: str, session: str, body: dict | None = None) -> int:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Cookie": f"sessionid={session}; csrftoken={CSRF}", "X-CSRFToken": CSRF}
        payload = None
        if body is not None:
            payload = json.dumps(body)
            headers |= {"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex}
        try:
            conn.request(method, path, payload, headers)
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()


def race(base: str, clients: list, slots: list[int]) -> tuple[Counter, float]:
    barrier = threading.Barrier(len(clients) + 1)
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def run(case_id: int, session: str) -> None:
        client, order = Client(base), random.sample(slots, len(slots))
        barrier.wait()
        for slot_id in order:
            status = client.request(
                "POST", "/api/v1/bookings", session, {"case_id": case_id, "slot_id": slot_id}
            )
            with lock:
                outcomes[status] += 1
            if status != 409:
                return

    threads = [threading.Thread(target=run, args=c) for c in clients]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    return outcomes, time.perf_counter() - start


THROUGHPUT_LUA = """
-- Each thread books its share of the work (every slot handed to one request); past its end it asks the
-- health check, until wrk's duration is over.
local work = {%s}
local counter, threads = 0, %d
local next_id = 0
-- setup runs in the main state; thread:set makes ``id`` a global of that thread's own state
function setup(thread) thread:set("id", next_id); next_id = next_id + 1 end
request = function()
  local i = counter * threads + id + 1
  counter = counter + 1
  local w = work[i]
  if w == nil then return wrk.format("GET", "/healthz") end  -- in flight as the thread stops
  return wrk.format("POST", "/api/v1/bookings", {
    ["Content-Type"] = "application/json",
    ["Cookie"] = "sessionid=" .. w[2] .. "; csrftoken=%s",
    ["X-CSRFToken"] = "%s",
    ["Idempotency-Key"] = "bench-" .. i,
  }, '{"case_id": ' .. w[1] .. ', "slot_id": ' .. w[3] .. '}')
end
"""


def throughput(
    base: str, connections: int, cases: list, slots: list[int], data_dir: str, seconds: float
) -> dict:
    """wrk books each (case, slot) once with ``connections`` connections for ``seconds``; the answers that
    were not 2xx. The rate is read from the bookings' own times in the database (``BOOKED``)."""
    work = ",".join(
        f'{{{case},"{session}",{slot}}}' for (case, session), slot in zip(cases, slots, strict=False)
    )
    threads = 2
    script = Path(data_dir) / "book.lua"
    script.write_text(THROUGHPUT_LUA % (work, threads, CSRF, CSRF))
    cmd = [wrk_path(), f"-t{threads}", f"-c{connections}", f"-d{seconds:.0f}s", "-s", str(script), base]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    requests = int(re.search(r"(\d+) requests in ([\d.]+)(m?s)", out).group(1))
    amount, unit = re.search(r"requests in ([\d.]+)(m?s)", out).groups()
    seconds = float(amount) / (1000 if unit == "ms" else 1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests": requests,
        "seconds": seconds,
        "non_2xx": int(errors.group(1)) if errors else 0,
        "wrk": out,
    }


QUERY_TIMING = """
import json, statistics, time
from datetime import timedelta
from exitentry.appointments import services
from exitentry.cases.models import Case
from exitentry.law.calendar import beijing_today
case, today = Case.objects.get(pk={case_id}), beijing_today()
times = []
for _ in range({runs}):
    t = time.perf_counter()
    services.availability(case, "reception-hall", today, today + timedelta(days=27))
    times.append(time.perf_counter() - t)
q = statistics.quantiles(times, n=100)
print(json.dumps({{"p50_ms": q[49] * 1000, "p99_ms": q[98] * 1000, "days": len(services.availability(case, "reception-hall", today, today + timedelta(days=27)))}}))
"""

BOOKED = """
import json
from django.db.models import Count, Max, Min
from exitentry.appointments.models import Booking
made = Booking.objects.filter(state="active", slot_id__in=%s).aggregate(n=Count("pk"), a=Min("created_at"), b=Max("created_at"))
print(json.dumps({"booked": made["n"], "seconds": (made["b"] - made["a"]).total_seconds() if made["n"] > 1 else 0}))
"""

DOUBLES = """
import json
from django.db.models import Count
from exitentry.appointments.models import Booking
active = Booking.objects.filter(state="active")
print(json.dumps({
    "slots booked twice": active.values("slot").annotate(n=Count("pk")).filter(n__gt=1).count(),
    "cases booked twice": active.values("case").annotate(n=Count("pk")).filter(n__gt=1).count(),
    "bookings": Booking.objects.count(),
    "race slots booked": active.filter(slot_id__in=%s).count(),
}))
"""


def fixture(env: dict[str, str], clients: int, per_client: int, race_slots: int) -> dict:
    """``bookings_data.run_fixture`` in a process of its own: the benchmark's weeks freed, its work."""
    args = ("--fixture", str(clients), str(per_client), str(race_slots))
    return python_json(env, "-m", "benchmarks.bookings_data", *args)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--slots", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=30, help="cases per client for the throughput run")
    parser.add_argument("--rate", type=float, default=200, help="availability requests per second offered")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument(
        "--availability-only", action="store_true", help="skip the race and the throughput run"
    )
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL server URL without database")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--worker-class", default="sync", help="gunicorn's: sync, gthread")
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument("--skip-race", action="store_true", help="throughput and availability only")
    parser.add_argument("--port", type=int, default=8902)
    args = parser.parse_args(argv)
    data_dir = tempfile.mkdtemp(prefix="exitentry-bench-")
    env = app_env(args.pg, DATABASE, data_dir)
    migrated_database(args.pg, DATABASE, env)
    data = [sys.executable, "-m", "benchmarks.bookings_data"]
    subprocess.run([*data, "--bookings", str(args.bookings)], env=env, check=True, cwd=ROOT)
    f = fixture(env, args.clients, args.per_client, args.slots)
    failed = False
    served = f"{args.workers} {args.worker_class} workers" + (
        f" of {args.threads} threads" if args.worker_class == "gthread" else ""
    )
    print(f"{machine()}; gunicorn {served}; clients on the same machine")
    options = ["--worker-class", args.worker_class, "--threads", str(args.threads)]
    with gunicorn(env, args.port, args.workers, data_dir, options) as base:
        if not args.availability_only and not args.skip_race:
            outcomes, seconds = race(base, f["race"], f["race_slots"])
            held = django_json(env, DOUBLES % json.dumps(f["race_slots"]))
            print(
                f"race: {args.clients} clients for {args.slots} slots in {seconds:.2f} s: answers {dict(outcomes)}; {held}"
            )
            failed |= (
                set(outcomes) - {201, 409} != set()
                or held["slots booked twice"]
                or held["cases booked twice"]
            )
            failed |= outcomes[201] != min(args.slots, args.clients)
        if not args.availability_only:
            r = throughput(base, args.clients, f["pool_cases"], f["pool_slots"], data_dir, args.seconds)
            made = django_json(env, BOOKED % json.dumps(f["pool_slots"]))
            work = min(len(f["pool_cases"]), len(f["pool_slots"]))
            print(
                f"throughput: {made['booked']} bookings over {args.clients} connections in {made['seconds']:.2f} s"
                f" (first to last) = {made['booked'] / max(made['seconds'], 1e-9):,.0f} bookings/s; not 2xx: {r['non_2xx']}"
                + (
                    " - all the work was done before the end: raise --per-client"
                    if made["booked"] >= work
                    else ""
                )
            )
            failed |= r["non_2xx"] > 0
        case_id, session = f["availability"]
        path = f"/api/v1/slots/availability?case_id={case_id}&hall_id=reception-hall"
        cookie = {"Cookie": f"sessionid={session}; csrftoken={CSRF}"}
        r = open_loop(base, path, cookie, args.rate, args.seconds)
        print(
            f"availability over HTTP at {args.rate:.0f}/s offered ({r['per_s']:.0f}/s done): "
            f"p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, p99.9 {r['p999_ms']:.1f} ms,"
            f" max {r['max_ms']:.1f} ms; answers {dict(r['statuses'])};"
            f" the client's CPU {r['client_cpu']:.1%} of one core"
        )
        failed |= set(r["statuses"]) != {200}
    q = django_json(env, QUERY_TIMING.format(case_id=case_id, runs=2000))
    print(
        f"availability query in one process (2,000 runs): p50 {q['p50_ms']:.2f} ms, p99 {q['p99_ms']:.2f} ms, {q['days']} days"
    )
    shutil.rmtree(data_dir, ignore_errors=True)
    if failed:
        sys.exit("a double booking, a wrong count or an unexpected answer: see above")


if __name__ == "__main__":
    main()
