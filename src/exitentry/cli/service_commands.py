"""The service's subcommands: serve, worker, demo, slots, compliance, cases, manage and audit.

Each sets Django up first (:func:`setup_django`); a database that cannot be reached is one
``CommandError`` naming the reason.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from exitentry.cli.registry import CommandError, command, iso_date

DEFAULT_SETTINGS_MODULE = "exitentry.settings"

# The management command that ``serve`` runs after migrating, when it exists (and unless --no-demo):
# it should load the demo data idempotently; then the halls' demo counters and slots.
DEMO_COMMAND = "load_demo"
DEMO_COUNTERS = "load_demo_appointments"


def setup_django() -> None:
    """Set Django up; a setting it refuses (no secret key, a bad database URL) is one ``CommandError``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS_MODULE)
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise CommandError(str(exc)) from None


NOT_MIGRATED = (
    "the database is not migrated (its tables are missing or out of date): run 'exitentry manage migrate' "
    "first, or 'exitentry demo' to migrate and load the demo data"
)


@contextmanager
def _database() -> Iterator[None]:
    """A database that cannot be reached or read is one ``CommandError`` naming the reason; one that lacks
    migrations (a data directory never migrated) says to migrate."""
    from django.db import DatabaseError

    try:
        yield
    except DatabaseError as exc:
        if _unmigrated():
            raise CommandError(NOT_MIGRATED) from None
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CommandError(f"the database refused: {first}") from None


def _unmigrated() -> bool:
    """Whether the database answers but misses migrations (False when it cannot even say)."""
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return False


def _migrate(verbosity: int) -> None:
    """Migrate; a migration that stops with a message (cases 0010 on two open applications on one permit)
    is one ``CommandError`` giving it."""
    from django.core.management import call_command
    from django.core.management.base import CommandError as DjangoCommandError

    try:
        call_command("migrate", interactive=False, verbosity=verbosity)
    except DjangoCommandError as exc:
        raise CommandError(str(exc)) from None


# --- serve ----------------------------------------------------------------------------------------


def _serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to bind (default 8000)")
    parser.add_argument("--no-demo", action="store_true", help=f"do not run the '{DEMO_COMMAND}' command")
    parser.add_argument("--noreload", action="store_true", help="do not restart on code changes")
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="do not start a background worker beside the server (default: one when DEBUG or on SQLite)",
    )


@command(
    "serve",
    "migrate the database, load the demo data, and run the development web server",
    arguments=_serve_arguments,
)
def serve(args: argparse.Namespace) -> int:
    # the links in its messages (the worker's too) lead to the address served, unless one is given
    os.environ.setdefault("EXITENTRY_SITE_URL", served_at(args.host, args.port))
    setup_django()
    from django.conf import settings
    from django.core.management import call_command, get_commands

    # runserver's autoreloader re-executes this command in a child process (RUN_MAIN=true):
    # migrate and load the demo data once, in the parent.
    if os.environ.get("RUN_MAIN") != "true":
        _migrate(verbosity=1)
        if not args.no_demo and DEMO_COMMAND in get_commands():
            if settings.DEBUG:
                call_command(DEMO_COMMAND)
                call_command(DEMO_COUNTERS)
            else:  # the demo command refuses without DEBUG: say so instead of failing
                print("not loading the demo data: DEBUG is off ('exitentry demo --force' loads it)")
    host = f"[{args.host}]" if ":" in args.host else args.host
    argv = ["exitentry", "runserver", f"{host}:{args.port}"]
    if args.noreload:
        argv.append("--noreload")
    if not settings.DEBUG:
        # No separate static file server in this setup: let runserver serve them.
        argv.append("--insecure")
    from django.core.management import execute_from_command_line

    worker = None
    if os.environ.get("RUN_MAIN") != "true" and not args.no_worker and _embedded(settings):
        # One worker beside the server (the same database), stopped with it.
        worker = subprocess.Popen([sys.executable, "-m", "exitentry.cli", "worker"])
    elif os.environ.get("RUN_MAIN") != "true":
        print(NO_WORKER)
    try:
        execute_from_command_line(argv)
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
    return 0


NO_WORKER = (
    "no background worker: e-mails and SMS (a handler's invitation with its join link, booking confirmations,"
    " reminders) wait in the outbox until 'exitentry worker' runs; it sends them (without"
    " EXITENTRY_EMAIL_HOST: prints each e-mail on its console)"
)


def served_at(host: str, port: int) -> str:
    """The address a browser on this machine opens for ``serve --host host --port port``."""
    if host in ("", "0.0.0.0", "::"):  # every interface: this machine's own address is one of them
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _embedded(settings) -> bool:
    return settings.DEBUG or settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


# --- worker ---------------------------------------------------------------------------------------


def _worker_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--interval", type=float, default=1.0, help="seconds between looks at an empty queue (default 1)"
    )
    parser.add_argument(
        "--no-scheduler", action="store_true", help="run tasks only; enqueue no periodic ones"
    )
    parser.add_argument("--batch", action="store_true", help="run the tasks that are ready, then exit")


@command(
    "worker",
    "run the background tasks (django-tasks-db's queue) and enqueue the periodic ones; stop with Ctrl-C",
    arguments=_worker_arguments,
)
def worker(args: argparse.Namespace) -> int:
    setup_django()
    from exitentry.background import worker as background

    with _database():
        background.run(interval=args.interval, scheduler=not args.no_scheduler, batch=args.batch)
    return 0


# --- demo -----------------------------------------------------------------------------------------


def _demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="load it even though DEBUG is off")
    parser.add_argument(
        "--code",
        metavar="USERNAME",
        help="only print the current second-factor code of a demo officer, supervisor or admin",
    )


@command("demo", "load the demo data and print the sign-in accounts", arguments=_demo_arguments)
def demo(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command
    from django.core.management.base import CommandError as DjangoCommandError

    with _database():
        _migrate(verbosity=0)
        try:
            call_command(DEMO_COMMAND, force=args.force, code=args.code)
            if not args.code:
                call_command(DEMO_COUNTERS, force=args.force)
        except DjangoCommandError as exc:
            raise CommandError(str(exc)) from None
    return 0


# --- slots ----------------------------------------------------------------------------------------


def _slots_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--weeks", type=int, help="how many weeks ahead (default: the booking rules')")
    parser.add_argument(
        "--from", dest="start", type=iso_date, help="the first day, YYYY-MM-DD (default today)"
    )
    parser.add_argument("--hall", action="append", help="only this hall (repeatable; default every hall)")


@command("slots", "generate the halls' appointment slots ahead, idempotently", arguments=_slots_arguments)
def slots(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command
    from django.core.management.base import CommandError as DjangoCommandError

    with _database():
        try:
            call_command("generate_slots", weeks=args.weeks, start=args.start, hall=args.hall)
        except DjangoCommandError as exc:
            raise CommandError(str(exc)) from None
    return 0


# --- compliance -----------------------------------------------------------------------------------


def _compliance_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="compliance_command", metavar="ACTION", required=True)
    scan = sub.add_parser(
        "scan", help="find late duties and illegal residence on a day and bring the alerts up to date"
    )
    scan.add_argument("--on", type=iso_date, help="the day scanned, YYYY-MM-DD (default today in Beijing)")
    remind = sub.add_parser(
        "remind", help="remind people and their units of the duties coming due and overdue on a day"
    )
    remind.add_argument("--on", type=iso_date, help="the day, YYYY-MM-DD (default today in Beijing)")


@command(
    "compliance",
    "the daily compliance scan and reminders: exitentry compliance scan|remind [--on DATE]",
    arguments=_compliance_arguments,
)
def compliance(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command

    with _database():
        call_command(f"compliance_{args.compliance_command}", on=args.on)
    return 0


# --- cases ----------------------------------------------------------------------------------------


def _cases_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="cases_command", metavar="ACTION", required=True)
    sub.add_parser(
        "open-duplicates",
        help="list the permits more than one open application acts on (cases migration 0010 stops on them)",
    )


@command("cases", "the applications: exitentry cases open-duplicates", arguments=_cases_arguments)
def cases(args: argparse.Namespace) -> int:
    """open-duplicates: exit 0 when every permit has at most one open application, 1 listing those that
    have more. Reads only columns of the schema before cases 0010, so it runs ahead of the upgrade."""
    setup_django()
    from exitentry.cases import open_duplicates
    from exitentry.cases.lifecycle import OPEN_STATES
    from exitentry.cases.models import Case

    with _database():
        found = open_duplicates.find(Case.objects.filter(state__in=OPEN_STATES))
    if not found:
        print("every permit has at most one open application")
        return 0
    print(f"{len(found)} permit(s) with more than one open application:\n{open_duplicates.listing(found)}")
    print(f"Before migrating: {open_duplicates.WHAT_TO_DO}.")
    return 1


# --- manage ---------------------------------------------------------------------------------------


@command("manage", "run a Django management command: exitentry manage migrate, ...", passthrough=True)
def manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS_MODULE)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["exitentry manage", *args.rest])
    return 0


# --- audit ----------------------------------------------------------------------------------------


def _audit_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    sub.add_parser(
        "verify", help="check every entry's seal and link, and the checkpoints; report the first broken one"
    )
    sub.add_parser(
        "checkpoint", help="append a signed checkpoint of every chain's head (run it on a schedule)"
    )


@command("audit", "the audit trail: exitentry audit verify | checkpoint", arguments=_audit_arguments)
def audit(args: argparse.Namespace) -> int:
    """verify: exit 0 when the trail holds, 1 naming the first entry or checkpoint that does not fit."""
    setup_django()
    from exitentry.accounts import checkpoints
    from exitentry.accounts.audit import verify

    with _database(), _checkpoint_file(checkpoints.path()):
        if args.audit_command == "checkpoint":
            written = checkpoints.write()
            print(
                f"checkpoint written to {checkpoints.path()} (chains: {len(written.heads)}, "
                f"entries: {written.entries}, key: {written.key_id})"
            )
            return 0
        verdict = verify()
    if not verdict.ok and verdict.chain is None:
        print(f"audit trail broken: {verdict.reason}")
        return 1
    if not verdict.ok:
        print(
            f"audit trail broken at entry {verdict.broken_at} of chain {verdict.chain}: {verdict.reason} "
            f"({verdict.checked} entries before it hold)"
        )
        return 1
    print(f"audit trail intact: {verdict.checked} entries, {_checkpoints_held(verdict)}")
    return 0


@contextmanager
def _checkpoint_file(path: Path) -> Iterator[None]:
    """A checkpoint file that cannot be read or written is one ``CommandError`` naming it."""
    try:
        yield
    except OSError as exc:
        raise CommandError(f"cannot use the checkpoint file {path}: {exc.strerror or exc}") from None


def _checkpoints_held(verdict) -> str:
    from django.conf import settings
    from django.utils import timezone

    if verdict.latest is None:
        return "no checkpoint yet (until one is written, the newest entries can be cut off unnoticed)"
    latest = timezone.localtime(verdict.latest).isoformat(timespec="seconds")
    held = f"held to the checkpoints (written: {verdict.checkpoints}, the latest at {latest})"
    if (timezone.now() - verdict.latest).total_seconds() > 2 * settings.AUDIT_CHECKPOINT_EVERY:
        held += (
            f" (the schedule is every {settings.AUDIT_CHECKPOINT_EVERY} s: are checkpoints still written?)"
        )
    return held
