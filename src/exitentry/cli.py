"""exitentry command line: run the web service and manage its database.

Subcommands live in :data:`COMMANDS`: decorate a function ``run(args) -> exit status`` with
:func:`command`, giving it a name, a help line and optionally a function that adds its options to
its ``argparse`` sub-parser. New subcommands (advise, procedures, centers, workdays, ...) register
the same way, here or in a module that :func:`_load_commands` imports.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

DEFAULT_SETTINGS_MODULE = "exitentry.settings"

# The management command that ``serve`` runs after migrating, when it exists (and unless --no-demo):
# it should load the demo data idempotently.
DEMO_COMMAND = "load_demo"

Runner = Callable[[argparse.Namespace], int]
Arguments = Callable[[argparse.ArgumentParser], None]


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    run: Runner
    arguments: Arguments | None = None
    # Hands everything after the subcommand name to ``run`` untouched, as ``args.rest``.
    passthrough: bool = False


COMMANDS: dict[str, Command] = {}


def command(
    name: str, help: str, *, arguments: Arguments | None = None, passthrough: bool = False
) -> Callable[[Runner], Runner]:
    """Register the decorated function as ``exitentry NAME``; ``arguments`` adds its options."""

    def decorate(run: Runner) -> Runner:
        if name in COMMANDS:
            raise ValueError(f"exitentry subcommand {name!r} registered twice")
        COMMANDS[name] = Command(name, help, run, arguments, passthrough)
        return run

    return decorate


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS_MODULE)
    import django

    django.setup()


# --- serve ----------------------------------------------------------------------------------------


def _serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to bind (default 8000)")
    parser.add_argument("--no-demo", action="store_true", help=f"do not run the '{DEMO_COMMAND}' command")
    parser.add_argument("--noreload", action="store_true", help="do not restart on code changes")


@command(
    "serve",
    "migrate the database, load the demo data, and run the development web server",
    arguments=_serve_arguments,
)
def serve(args: argparse.Namespace) -> int:
    setup_django()
    from django.conf import settings
    from django.core.management import call_command, get_commands

    # runserver's autoreloader re-executes this command in a child process (RUN_MAIN=true):
    # migrate and load the demo data once, in the parent.
    if os.environ.get("RUN_MAIN") != "true":
        call_command("migrate", interactive=False, verbosity=1)
        if not args.no_demo and DEMO_COMMAND in get_commands():
            call_command(DEMO_COMMAND)
    host = f"[{args.host}]" if ":" in args.host else args.host
    argv = ["exitentry", "runserver", f"{host}:{args.port}"]
    if args.noreload:
        argv.append("--noreload")
    if not settings.DEBUG:
        # No separate static file server in this setup: let runserver serve them.
        argv.append("--insecure")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


# --- manage ---------------------------------------------------------------------------------------


@command("manage", "run a Django management command: exitentry manage migrate, ...", passthrough=True)
def manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS_MODULE)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["exitentry manage", *args.rest])
    return 0


# --- entry point ----------------------------------------------------------------------------------


def _load_commands() -> None:
    """Import modules that register further subcommands (none yet besides this one)."""


def build_parser() -> argparse.ArgumentParser:
    _load_commands()
    parser = argparse.ArgumentParser(prog="exitentry", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for cmd in COMMANDS.values():
        sp = sub.add_parser(cmd.name, help=cmd.help, description=cmd.help, add_help=not cmd.passthrough)
        if cmd.passthrough:
            sp.add_argument("rest", nargs=argparse.REMAINDER, help="passed through as is")
        elif cmd.arguments is not None:
            cmd.arguments(sp)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if argv and argv[0] in COMMANDS and COMMANDS[argv[0]].passthrough:
        # argparse's REMAINDER mishandles a leading option ("manage --help"): bypass it.
        args = argparse.Namespace(command=argv[0], rest=argv[1:])
    else:
        args = parser.parse_args(argv)
    return COMMANDS[args.command].run(args)


if __name__ == "__main__":
    sys.exit(main())
