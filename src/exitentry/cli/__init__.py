"""exitentry command line: the law's guide and advisor, the web service and its database.

Subcommands register in :data:`COMMANDS` (``cli.registry``) as their modules are imported: the law's
(``procedures``, ``centers``, ``workdays``, ``advise``, ``cite``: pure calls into ``exitentry.law``, no
Django) in ``cli.law_commands``, the service's (``serve``, ``worker``, ``demo``, ``slots``,
``compliance``, ``cases``, ``manage``, ``audit``: Django set up first) in ``cli.service_commands``. A new subcommand
goes in one of them, or in a new module imported here.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

# Importing a module registers its subcommands; the help lists them in this order.
from exitentry.cli import service_commands  # noqa: F401

# isort: split
from exitentry.cli import law_commands  # noqa: F401
from exitentry.cli.registry import COMMANDS, CommandError


def build_parser() -> argparse.ArgumentParser:
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
    try:
        return COMMANDS[args.command].run(args)
    except CommandError as exc:
        print(f"exitentry {args.command}: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (``| head``): stop quietly
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - Python flushes stdout at exit
        return 1
