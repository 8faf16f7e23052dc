#!/usr/bin/env python3
"""The two quick-start commands (standard library only, Python 3.11+).

    python3 dev.py serve [exitentry serve options]   # http://127.0.0.1:8000 on SQLite
    python3 dev.py test [--require-all] [pytest args]

Both create ``.venv`` if it is missing and (re)install the project into it whenever
pyproject.toml changed (a stamp with its hash is kept in ``.venv``).

``test`` runs, in order, and prints a summary of each:
  1. lint: ``ruff check`` and ``ruff format --check``, without ruff's cache (a clean clone has none);
  2. SQLite: the whole suite except browser tests, on SQLite (in memory);
  3. PostgreSQL: the whole suite except browser tests and ``tests/law/`` (the law core is pure
     Python and never touches a database, so it gains nothing from a second run), against
     ``EXITENTRY_TEST_PG_URL`` (default ``postgres://postgres@127.0.0.1:5432/postgres``); pytest-django
     creates and drops the database ``test_exitentry`` there;
  4. browser: the tests marked ``browser`` (headless Chromium through Playwright), on SQLite.
A missing PostgreSQL or Chromium is reported as skipped, unless ``--require-all`` is given or
``CI=true``: then it is a failure (and dev.py first tries to start the local PostgreSQL cluster).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import venv
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".exitentry-install.json"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
LINT_PATHS = ["src", "tests", "benchmarks", "dev.py"]


def say(msg: str) -> None:
    print(f"==> {msg}", flush=True)


def run(cmd: list[str], **kwargs) -> int:
    say(" ".join(str(c) for c in cmd))
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, **kwargs)


# --- the virtual environment ----------------------------------------------------------------------


def ensure_venv(extras: set[str]) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs on whatever python3 is
        sys.exit(f"dev.py needs Python 3.11 or newer, not {sys.version.split()[0]}")
    if not PY.exists():
        say(f"creating {VENV.relative_to(ROOT)}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    try:
        stamp = json.loads(STAMP.read_text())
    except (OSError, ValueError):
        stamp = {}
    if stamp.get("pyproject_sha256") == digest and extras <= set(stamp.get("extras", [])):
        return
    # Keep what was installed before (a serve after a test keeps the test tools).
    if stamp.get("pyproject_sha256") == digest:
        extras = extras | set(stamp.get("extras", []))
    target = "." + (f"[{','.join(sorted(extras))}]" if extras else "")
    say(f"installing the project into {VENV.relative_to(ROOT)} (pyproject.toml changed or new venv)")
    if run([PY, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", target]) != 0:
        sys.exit("dev.py: pip install failed")
    STAMP.write_text(json.dumps({"pyproject_sha256": digest, "extras": sorted(extras)}) + "\n")


# --- serve ----------------------------------------------------------------------------------------


def cmd_serve(rest: list[str]) -> int:
    ensure_venv(set())
    env = dict(os.environ)
    # Local development: debug on, so a secret key is generated and kept in var/secret_key.
    env.setdefault("EXITENTRY_DEBUG", "1")
    say("serving on SQLite unless EXITENTRY_DATABASE_URL is set; stop with Ctrl-C")
    try:
        return run([BIN / "exitentry", "serve", *rest], env=env)
    except KeyboardInterrupt:
        return 0


# --- test: environment probes ---------------------------------------------------------------------


def chromium_path() -> str:
    return os.environ.get("EXITENTRY_CHROMIUM") or DEFAULT_CHROMIUM


def ensure_browser() -> str | None:
    """Return None when Chromium is there, else the reason it is not."""
    path = chromium_path()
    if Path(path).exists():
        return None
    if path == DEFAULT_CHROMIUM and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        say(f"{path} is missing: installing Debian's chromium with apt-get")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        ok = run(["apt-get", "update"], env=env, stdin=subprocess.DEVNULL) == 0
        ok = ok and run(["apt-get", "install", "-y", "chromium"], env=env, stdin=subprocess.DEVNULL) == 0
        if ok and Path(path).exists():
            return None
        return f"{path} is missing and 'apt-get install chromium' failed"
    return f"{path} is missing (set EXITENTRY_CHROMIUM, or install Debian's chromium as root)"


def pg_reachable(url: str) -> str | None:
    """Return None when PostgreSQL at ``url`` accepts a connection, else why not."""
    probe = "import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()"
    proc = subprocess.run([str(PY), "-c", probe, url], capture_output=True, text=True)
    if proc.returncode == 0:
        return None
    lines = [line.strip() for line in (proc.stderr or proc.stdout).splitlines() if line.strip()]
    # The exception's message may span lines (libpq adds hints): keep from its first line on.
    first = max((i for i, line in enumerate(lines) if "Error" in line.split(":")[0]), default=len(lines) - 1)
    return " ".join(lines[first:]) or f"exit status {proc.returncode}"


def try_start_postgres() -> None:
    ctl = shutil.which("pg_ctlcluster")
    conf = Path("/etc/postgresql")
    if not ctl or not conf.is_dir():
        return
    for version in sorted(p.name for p in conf.iterdir() if p.is_dir()):
        say(f"trying to start the local PostgreSQL {version} cluster")
        run([ctl, "--skip-systemctl-redirect", version, "main", "start"], stdin=subprocess.DEVNULL)


def ensure_postgres(url: str, require: bool) -> str | None:
    reason = pg_reachable(url)
    if reason is None or not require:
        return reason
    try_start_postgres()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        reason = pg_reachable(url)
        if reason is None:
            return None
        time.sleep(1)
    return reason


# --- test: runs and summary -----------------------------------------------------------------------


@dataclass
class Outcome:
    name: str
    status: str  # passed, failed, skipped
    detail: str = ""
    passed: int = 0
    failed: int = 0
    skipped: int = 0


def pytest_run(name: str, args: list[str], env: dict[str, str], empty_ok: bool) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="exitentry-junit-") as tmp:
        junit = Path(tmp) / "junit.xml"
        say(f"pytest — {name}")
        code = run([PY, "-m", "pytest", f"--junitxml={junit}", *args], env=env)
        passed = failed = skipped = 0
        if junit.exists():
            for suite in ET.parse(junit).getroot().iter("testsuite"):
                tests = int(suite.get("tests", 0))
                f = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
                s = int(suite.get("skipped", 0))
                passed += tests - f - s
                failed += f
                skipped += s
    counts = f"{passed} passed, {failed} failed, {skipped} skipped"
    if code == 0:
        return Outcome(name, "passed", counts, passed, failed, skipped)
    if code == 5:  # pytest: no tests collected
        status = "passed" if empty_ok else "failed"
        return Outcome(name, status, "no tests selected", passed, failed, skipped)
    return Outcome(name, "failed", f"pytest exit status {code}; {counts}", passed, failed, skipped)


def cmd_test(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="dev.py test", description="lint and run the test suite", allow_abbrev=False
    )
    parser.add_argument(
        "--require-all",
        action="store_true",
        default=os.environ.get("CI", "").lower() == "true",
        help="fail, not skip, when PostgreSQL or Chromium is missing (implied by CI=true)",
    )
    opts, pytest_args = parser.parse_known_args(argv)
    require = opts.require_all
    ensure_venv({"test"})

    base_env = dict(os.environ)
    base_env.pop("EXITENTRY_DATABASE_URL", None)
    base_env.pop("EXITENTRY_DEBUG", None)
    outcomes: list[Outcome] = []

    # 1. lint
    paths = [p for p in LINT_PATHS if (ROOT / p).exists()]
    lint_ok = run([BIN / "ruff", "check", "--no-cache", *paths]) == 0
    lint_ok = run([BIN / "ruff", "format", "--check", "--no-cache", *paths]) == 0 and lint_ok
    outcomes.append(Outcome("lint (ruff)", "passed" if lint_ok else "failed", ", ".join(paths)))

    # 2. SQLite
    outcomes.append(
        pytest_run("SQLite", ["-m", "not browser", *pytest_args], base_env, empty_ok=bool(pytest_args))
    )

    # 3. PostgreSQL
    pg_url = os.environ.get("EXITENTRY_TEST_PG_URL") or DEFAULT_PG_URL
    reason = ensure_postgres(pg_url, require)
    if reason is None:
        pg_env = dict(base_env, EXITENTRY_DATABASE_URL=pg_url)
        pg_args = ["-m", "not browser", "--ignore=tests/law", *pytest_args]
        outcome = pytest_run("PostgreSQL", pg_args, pg_env, empty_ok=True)
        test_db = os.environ.get("EXITENTRY_TEST_DATABASE_NAME", "test_exitentry")
        outcome.detail += f" ({pg_url}, database {test_db}; tests/law/ excluded)"
        outcomes.append(outcome)
    else:
        status = "failed" if require else "skipped"
        outcomes.append(Outcome("PostgreSQL", status, f"not reachable at {pg_url}: {reason}"))

    # 4. browser
    reason = ensure_browser()
    browser_env = dict(base_env, EXITENTRY_CHROMIUM=chromium_path())
    if require:
        browser_env["EXITENTRY_REQUIRE_BROWSER"] = "1"
    if reason is None or require:
        outcome = pytest_run("browser", ["-m", "browser", *pytest_args], browser_env, empty_ok=True)
        if reason is not None:
            outcome.status, outcome.detail = "failed", f"{reason}; {outcome.detail}"
        outcomes.append(outcome)
    else:
        outcomes.append(Outcome("browser", "skipped", reason))

    # summary
    print("\n" + "=" * 30 + " dev.py test summary " + "=" * 30)
    for o in outcomes:
        print(f"  {o.name:<14} {o.status.upper():<8} {o.detail}")
    failed_steps = [o.name for o in outcomes if o.status == "failed"]
    if failed_steps:
        print(f"  FAILED: {', '.join(failed_steps)}")
    total_p = sum(o.passed for o in outcomes)
    total_f = sum(o.failed for o in outcomes)
    total_s = sum(o.skipped for o in outcomes)
    print(f"total: {total_p} passed, {total_f} failed, {total_s} skipped", flush=True)
    return 1 if failed_steps else 0


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"serve", "test"}:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    if sys.argv[1] == "serve":
        return cmd_serve(sys.argv[2:])
    return cmd_test(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
