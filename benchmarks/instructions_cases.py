"""Instructions per request of the case endpoints, counted by callgrind: ``python -m benchmarks.instructions_cases``.

Times drift with the machine's load; instructions counted by ``valgrind --tool=callgrind`` do not. For
each endpoint one process signs in by a session cookie and calls the application's WSGI handler
``--warmup`` times, then ``--requests`` times; the same process with no timed requests is subtracted,
and the difference is divided by ``--requests``. PostgreSQL's own work, in its own process, is not
counted. The detail reads the same seeded sample of the reception officer's cases in every run.

It reads the database of ``benchmarks.bench_cases_api`` (``exitentry_bench``, built there), or
``--database``, a copy of it migrated further. ``--python`` measures another checkout with its own venv
on the same data and case ids, for a before and after:
``python -m benchmarks.instructions_cases --python ../old/.venv/bin/python``. Needs valgrind (Debian's).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.bench_cases_api import DEFAULT_PG, ROOT, _env

ENDPOINTS = ("queue", "detail", "mine")


def _serve(endpoint: str, requests: int, warmup: int, ids: list[int]) -> None:
    """In the measured process: ``warmup`` then ``requests`` calls, each answered 200."""
    import django

    django.setup()
    from wsgiref.util import setup_testing_defaults

    from django.core.handlers.wsgi import WSGIHandler

    handler, cookie, statuses = WSGIHandler(), _cookie(endpoint), []

    def start_response(status, headers, *_):
        statuses.append(status)

    for i in range(warmup + requests):
        path = f"/api/v1/cases/{ids[i % len(ids)]}" if endpoint == "detail" else _PATHS[endpoint]
        environ = {"PATH_INFO": path, "HTTP_COOKIE": f"sessionid={cookie}", "HTTP_HOST": "127.0.0.1"}
        setup_testing_defaults(environ)
        response = handler(environ, start_response)
        b"".join(response)
        response.close()
        if not statuses[-1].startswith("200"):
            sys.exit(f"{path}: {statuses[-1]}")


_PATHS = {"queue": "/api/v1/queue", "mine": "/api/v1/cases"}


def _cookie(endpoint: str) -> str:
    """A session of the reception hall's officer, or of an applicant with cases for ``mine``."""
    from benchmarks.signin import session_key
    from exitentry.accounts.models import User

    if endpoint == "mine":
        return session_key(
            User.objects.filter(role="applicant", person__cases__isnull=False).order_by("pk").first()
        )
    return session_key(User.objects.get(username="officer-reception-hall-0"))


def _case_ids(count: int) -> list[int]:
    """A seeded sample of the cases the reception hall's officer sees."""
    import django

    django.setup()
    from exitentry.accounts.models import User
    from exitentry.cases import access

    seen = access.cases_for(User.objects.get(username="officer-reception-hall-0"))
    return random.Random(9).sample(sorted(seen.values_list("pk", flat=True)), count)


def _instructions(python: str, env: dict, args: list[str], out: str) -> int:
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", python, "-m", __spec__.name, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if run.returncode:
        sys.exit(run.stdout + run.stderr)
    return int(re.search(r"Collected : (\d+)", run.stderr).group(1))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("endpoints", nargs="*", help=f"some of {', '.join(ENDPOINTS)} (all by default)")
    parser.add_argument("--python", default=sys.executable, help="the interpreter of the checkout measured")
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL server URL without database")
    parser.add_argument("--database", default="exitentry_bench", help="its database, built and migrated")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--keep", help="a folder to keep the callgrind files in, for callgrind_annotate")
    parser.add_argument("--serve", nargs=3, metavar=("ENDPOINT", "REQUESTS", "IDS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        endpoint, requests, ids = args.serve
        _serve(endpoint, int(requests), args.warmup, json.loads(Path(ids).read_text()))
        return
    if unknown := set(args.endpoints) - set(ENDPOINTS):
        parser.error(f"no endpoint {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory(prefix="exitentry-instructions-") as tmp:
        env = dict(
            _env(args.pg, tmp), PYTHONHASHSEED="0", EXITENTRY_DATABASE_URL=f"{args.pg}/{args.database}"
        )
        os.environ.update(env)
        ids = Path(tmp, "ids.json")
        ids.write_text(json.dumps(_case_ids(args.warmup + args.requests)))
        keep = Path(args.keep or tmp)
        keep.mkdir(parents=True, exist_ok=True)
        print(f"{args.python}; {args.warmup} warm-up requests, then {args.requests}")
        for endpoint in args.endpoints or ENDPOINTS:
            serve = ["--warmup", str(args.warmup), "--serve", endpoint]
            # Natively first, so that both counted runs find the bytecode compiled and the endpoint answers.
            subprocess.run(
                [args.python, "-m", __spec__.name, *serve, "1", ids], env=env, cwd=ROOT, check=True
            )
            counts = [
                _instructions(args.python, env, [*serve, str(n), str(ids)], str(keep / f"{endpoint}-{n}.out"))
                for n in (args.requests, 0)
            ]
            print(
                f"{endpoint:<8} {(counts[0] - counts[1]) / args.requests / 1e6:8.2f} M instructions/request"
            )


if __name__ == "__main__":
    main()
