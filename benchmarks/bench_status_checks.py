"""Institutions' status checks over HTTP with an API key: ``python -m benchmarks.bench_status_checks``.

1. The registry of ``benchmarks.bench_scan`` (PostgreSQL database ``exitentry_bench_registry``, created,
   migrated and filled by ``benchmarks.registry_data`` when empty: 1,000,000 people), topped up to exactly
   ``PERMITS`` permits (old stay permits of people abroad), and a fixture: a bank (an institution unit),
   its verification account, an API key with the scope ``status:check``, and ``--codes`` share codes made
   for the bank by as many holders of a permit. The tables a check reads and their indexes (about 600 MB)
   are read into the operating system's cache first (``pg_prewarm``), as a registry serving checks all
   day would have them: this machine's disk takes about 5 ms a random read.
2. Serves the real application with gunicorn (``--workers`` sync workers, DEBUG off) on 127.0.0.1, the
   institution's and the key's rates raised out of the way (``EXITENTRY_STATUS_CHECK_RATE``,
   ``EXITENTRY_KEY_RATE``: their counters still run).
3. Saturation: wrk (``--connections``, 2 threads, ``--seconds``) sends checks as fast as answers come, in
   turn ``POST /api/v1/status-checks/code`` (a share code and the holder's date of birth) and
   ``/status-checks/document`` (a passport number and the holder's name), each with
   ``Authorization: Bearer <key>``; checks per second from the checks' own times in the database.
4. Open loop (``benchmarks.open_loop``, one asyncio process): the same checks at a fixed ``--rate`` for
   ``--open-seconds``; each latency counts from when the request was due (p50, p99, max, answers by
   status, the client's CPU). Then ``--sweep`` rates, ``--sweep-seconds`` each, for the highest whose p99 is
   at most ``--p99-ms``.
5. Afterwards every check stored must have its audit entry (the entry is written in the check's
   transaction and committed before the answer: PostgreSQL's ``synchronous_commit`` is printed), every 200
   must be a stored check, and ``exitentry audit verify`` must pass over the whole trail.

The CPU each process group used during the saturation run (gunicorn, PostgreSQL, wrk; from ``/proc``) is
printed per check: on a shared machine that says more than the rate. Numbers and the command go to
docs/performance.md; nothing here runs in the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import machine
from benchmarks.open_loop import open_loop
from benchmarks.serving import DEFAULT_PG, ROOT, app_env, django_json, gunicorn, migrated_database, wrk_path

DATABASE = "exitentry_bench_registry"
PERMITS = 1_000_000
READ = ("registry_person", "registry_traveldocument", "registry_permit", "verification_sharecode")
CODE, DOCUMENT = "/api/v1/status-checks/code", "/api/v1/status-checks/document"

FIXTURE = """
import json, random
from datetime import date, timedelta
from django.db import connection
from exitentry import clock
from exitentry.accounts import api_keys
from exitentry.accounts.audit import Actor
from exitentry.accounts.models import Role, Unit, User
from exitentry.registry.models import Permit, Person
from exitentry.verification import sharecodes
from exitentry.verification.models import ShareCode

with connection.cursor() as cursor:  # exactly PERMITS permits: old stay permits of people abroad
    cursor.execute("SELECT count(*) FROM registry_permit")
    missing = {permits} - cursor.fetchone()[0]
    if missing > 0:
        cursor.execute(
            "INSERT INTO registry_permit (kind, permit_type, number, issued_on, valid_until, status, person_id) "
            "SELECT 'stay-permit', '', 'B' || lpad(person_id::text, 9, '0'), DATE '2015-03-01', "
            "DATE '2015-09-01', 'valid', person_id FROM registry_latestmovement WHERE direction = 'exit' "
            "ORDER BY person_id LIMIT %s", [missing])
    cursor.execute("SELECT count(*) FROM registry_permit")
    permits = cursor.fetchone()[0]
bank, _ = Unit.objects.get_or_create(name="Bench Bank", defaults={{"kind": Unit.Kind.BANK}})
desk, _ = User.objects.get_or_create(username="bench-bank-desk", defaults={{"role": Role.INSTITUTION, "unit": bank}})
key = api_keys.issue(Actor(desk), "bench", [api_keys.STATUS_CHECK], clock.now() + timedelta(days=300)).key
# Holders of a current permit, each with an applicant account and a share code for the bank.
rng = random.Random({seed})
people = list(Person.objects.filter(permits__status="valid", permits__valid_until__gt=date(2027, 6, 1))
              .order_by("pk").values_list("pk", "surname", "given_names", "birth_date")[:{codes} * 20])
people = rng.sample(people, {codes})
users = {{u.person_id: u for u in User.objects.filter(person_id__in=[p[0] for p in people])}}
User.objects.bulk_create([User(username=f"bench-holder-{{pk}}", role=Role.APPLICANT, person_id=pk)
                          for pk, *_ in people if pk not in users], batch_size=2000)
users = {{u.person_id: u for u in User.objects.filter(person_id__in=[p[0] for p in people])}}
now, codes, rows = clock.now(), [], []
for pk, surname, given, birth in people:
    code = sharecodes.new_code()
    plain = sharecodes.normalise(code)
    rows.append(ShareCode(person_id=pk, created_by=users[pk], purpose="bank", digest=sharecodes.digest(plain),
                          hint=plain[-4:], created_at=now, expires_at=now + timedelta(days=30)))
    codes.append((code, birth.isoformat(), f"C{{pk:09d}}", f"{{surname}} {{given}}"))
ShareCode.objects.bulk_create(rows, batch_size=2000)
with connection.cursor() as cursor:  # what a check reads, into the OS's cache (pg_prewarm, in contrib)
    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
    cursor.execute(
        "SELECT sum(pg_prewarm(c.oid, 'read')) FROM pg_class c WHERE c.relname = ANY(%s) OR c.oid IN ("
        "SELECT indexrelid FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname = ANY(%s))",
        [{tables}, {tables}])
    cursor.execute("SHOW synchronous_commit")
    durable = cursor.fetchone()[0]
    cursor.execute("SELECT coalesce(max(id), 0) FROM verification_statuscheck")
    last_check = cursor.fetchone()[0]
print(json.dumps({{"key": key, "codes": codes, "permits": permits, "synchronous_commit": durable,
                  "last_check": last_check}}))
"""

CHECKED = """
import json
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute(
        "SELECT count(*), min(at), max(at), count(*) FILTER (WHERE method = 'code'), "
        "count(*) FILTER (WHERE result = 'match') FROM verification_statuscheck WHERE id > %s", [{after}])
    n, first, last, by_code, matched = cursor.fetchone()
    cursor.execute(
        "SELECT count(*) FROM verification_statuscheck c WHERE c.id > %s AND NOT EXISTS ("
        "SELECT 1 FROM accounts_auditentry a WHERE a.object_type = 'status-check' AND a.object_id = c.id::text "
        "AND a.action = 'status.check')", [{after}])
    unaudited = cursor.fetchone()[0]
    cursor.execute("SELECT coalesce(max(id), 0) FROM verification_statuscheck")
    last_id = cursor.fetchone()[0]
print(json.dumps({{"checks": n, "seconds": (last - first).total_seconds() if n > 1 else 0, "code": by_code,
                  "matched": matched, "unaudited": unaudited, "last_check": last_id}}))
"""

POSTGRES_PIDS = """
import json
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT pid FROM pg_stat_activity WHERE (datname = current_database() AND pid <> "
                   "pg_backend_pid()) OR backend_type IN ('walwriter', 'checkpointer', 'background writer')")
    print(json.dumps({"pids": [r[0] for r in cursor.fetchall()]}))
"""

WRK_LUA = """
-- Each request the next of the fixture's checks, a share code and a document check in turn.
local checks = {%s}
local key = "%s"
local i = 0
function setup(thread) thread:set("id", i); i = i + 1 end
local n = 0
request = function()
  n = n + 1
  local c = checks[((n * 2 + id) %% #checks) + 1]
  local path, body
  if n %% 2 == 0 then
    path, body = "%s", '{"code": "' .. c[1] .. '", "birth_date": "' .. c[2] .. '"}'
  else
    path, body = "%s", '{"document_number": "' .. c[3] .. '", "name": "' .. c[4] .. '"}'
  end
  return wrk.format("POST", path, {["Content-Type"] = "application/json",
                                   ["Authorization"] = "Bearer " .. key}, body)
end
"""


def posts(codes: list) -> list[tuple[str, bytes]]:
    """The fixture's checks as (path, body), a code check and a document check in turn."""
    out = []
    for code, birth, number, name in codes:
        out.append((CODE, json.dumps({"code": code, "birth_date": birth}).encode()))
        out.append((DOCUMENT, json.dumps({"document_number": number, "name": name}).encode()))
    return out


def _cpu_seconds(pids: list[int]) -> float:
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _pids(pattern: str) -> list[int]:
    out = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _postgres_pids(env: dict) -> list[int]:
    """The PostgreSQL processes working for this benchmark: the backends on its database and the WAL
    writer, checkpointer and background writer (which other databases' work on the machine shares)."""
    return django_json(env, POSTGRES_PIDS)["pids"]


def saturation(
    base: str, fixture: dict, connections: int, seconds: float, data_dir: str, port: int, env: dict
) -> dict:
    """wrk's checks for ``seconds`` (after two seconds of warming up, which connect every worker to the
    database); its output and the CPU of the server, PostgreSQL and wrk."""
    checks = ",".join("{" + ",".join(f'"{v}"' for v in c) + "}" for c in fixture["codes"])
    script = Path(data_dir) / "checks.lua"
    script.write_text(WRK_LUA % (checks, fixture["key"], CODE, DOCUMENT))
    cmd = [wrk_path(), "-t2", f"-c{connections}", "-s", str(script), base]
    subprocess.run([*cmd, "-d2s"], check=True, capture_output=True)
    server = _pids(f"gunicorn exitentry.wsgi .*127.0.0.1:{port}")
    postgres = _postgres_pids(env)
    before = (_cpu_seconds(server), _cpu_seconds(postgres), time.perf_counter())
    cmd.append(f"-d{seconds:.0f}s")
    wrk = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    wrk_cpu = 0.0
    while wrk.poll() is None:  # wrk's CPU, read while it lives
        wrk_cpu = _cpu_seconds([wrk.pid])
        time.sleep(0.2)
    out = wrk.stdout.read()
    wall = time.perf_counter() - before[2]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": re.search(r"Socket errors:.*", out).group(0) if "Socket errors" in out else "",
        "cpu": {
            "gunicorn": _cpu_seconds(server) - before[0],
            "postgres": _cpu_seconds(postgres) - before[1],
            "wrk": wrk_cpu,
        },
        "wall": wall,
    }


def _line(label: str, rate: float, r: dict) -> str:
    return (
        f"{label} {rate:.0f}/s offered ({r['per_s']:.0f}/s done): p50 {r['p50_ms']:.1f} ms, "
        f"p99 {r['p99_ms']:.1f} ms, max {r['max_ms']:.1f} ms; answers {dict(r['statuses'])}; "
        f"the client's CPU {r['client_cpu']:.0%} of one core"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL server URL without database")
    parser.add_argument("--people", type=int, default=1_000_000, help="the registry's size, when made")
    parser.add_argument("--codes", type=int, default=5000, help="share codes (and holders) to check")
    parser.add_argument("--workers", type=int, default=8, help="gunicorn sync workers")
    parser.add_argument("--connections", type=int, default=32, help="wrk's, for saturation")
    parser.add_argument("--seconds", type=float, default=20, help="of the saturation run")
    parser.add_argument("--rate", type=float, default=500, help="checks per second offered, open loop")
    parser.add_argument("--open-seconds", type=float, default=30)
    parser.add_argument("--sweep", default="100,150,200,250,300,400", help="more open-loop rates")
    parser.add_argument("--sweep-seconds", type=float, default=10)
    parser.add_argument("--p99-ms", type=float, default=20.0)
    parser.add_argument("--skip-saturation", action="store_true")
    parser.add_argument("--skip-verify", action="store_true", help="no `exitentry audit verify` at the end")
    parser.add_argument("--port", type=int, default=8105)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    data_dir = tempfile.mkdtemp(prefix="exitentry-bench-")
    env = app_env(args.pg, DATABASE, data_dir) | {
        "EXITENTRY_STATUS_CHECK_RATE": "100000000/m",
        "EXITENTRY_KEY_RATE": "100000000/m",
    }
    migrated_database(args.pg, DATABASE, env)
    data = [sys.executable, "-m", "benchmarks.registry_data", "--people", str(args.people)]
    subprocess.run(data, env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    fixture = django_json(
        env, FIXTURE.format(permits=PERMITS, codes=args.codes, seed=args.seed, tables=list(READ))
    )
    print(
        f"{machine()}; gunicorn {args.workers} sync workers; client, server and PostgreSQL on the same"
        f" machine; {fixture['permits']:,} permits; synchronous_commit {fixture['synchronous_commit']};"
        f" load average {os.getloadavg()[0]:.1f}"
    )
    failed = False
    after = fixture["last_check"]
    answered = 0
    with gunicorn(env, args.port, args.workers, data_dir) as base:
        if not args.skip_saturation:
            r = saturation(base, fixture, args.connections, args.seconds, data_dir, args.port, env)
            made = django_json(env, CHECKED.format(after=after))
            rate = made["checks"] / max(made["seconds"], 1e-9)
            cpu = r["cpu"]
            print(
                f"saturation: {made['checks']:,} checks ({made['code']:,} by code, {made['matched']:,}"
                f" matched) over {args.connections} connections in {made['seconds']:.1f} s (first to"
                f" last) = {rate:,.0f} checks/s; not 2xx: {r['non_2xx']} {r['socket_errors']}"
            )
            print(
                "  CPU per check: "
                + ", ".join(f"{k} {v * 1000 / max(made['checks'], 1):.2f} ms" for k, v in cpu.items())
                + f" = {sum(cpu.values()) * 1000 / max(made['checks'], 1):.2f} ms;"
                f" machine busy {sum(cpu.values()) / r['wall'] / (os.cpu_count() or 1):.0%} of its"
                f" {os.cpu_count()} cores by these alone; load average {os.getloadavg()[0]:.1f}"
            )
            failed |= r["non_2xx"] > 0
            answered += r["requests"]
        work = posts(fixture["codes"])
        r = open_loop(
            base, "", {"Authorization": f"Bearer {fixture['key']}"}, args.rate, args.open_seconds, work
        )
        print(_line("open loop:", args.rate, r) + f"; load average {os.getloadavg()[0]:.1f}")
        failed |= set(r["statuses"]) != {200}
        answered += r["statuses"].get(200, 0)
        best = None
        for rate in (float(x) for x in args.sweep.split(",") if x):
            s = open_loop(
                base, "", {"Authorization": f"Bearer {fixture['key']}"}, rate, args.sweep_seconds, work
            )
            ok = s["p99_ms"] <= args.p99_ms and set(s["statuses"]) == {200}
            print(_line(f"  sweep {'ok  ' if ok else 'over'}", rate, s))
            answered += s["statuses"].get(200, 0)
            if ok:
                best = max(best or 0, rate)
        for candidate in (best, args.rate if r["p99_ms"] <= args.p99_ms else None):
            if candidate is not None:
                best = max(best or 0, candidate)
        print(f"highest rate tried with p99 <= {args.p99_ms:.0f} ms and every answer 200: {best or 'none'}/s")
    made = django_json(env, CHECKED.format(after=after))
    print(
        f"afterwards: {made['checks']:,} checks stored, {made['unaudited']} without their audit entry;"
        f" at least {answered:,} answered 200 (wrk counts every answer)"
    )
    failed |= made["unaudited"] > 0
    if not args.skip_verify:
        start = time.perf_counter()
        verify = subprocess.run(
            [Path(sys.executable).parent / "exitentry", "audit", "verify"],
            env=env,
            capture_output=True,
            text=True,
        )
        print(f"exitentry audit verify: {verify.stdout.strip()} ({time.perf_counter() - start:.0f} s)")
        failed |= verify.returncode != 0
    if failed:
        sys.exit("an answer other than 200, a check without its audit entry or a broken trail: see above")


if __name__ == "__main__":
    main()
