"""The subcommand registry and what every subcommand shares.

A subcommand is a function ``run(args) -> exit status`` decorated with :func:`command`, giving its name, a
help line and optionally a function that adds its options to its ``argparse`` sub-parser. Bad input is a
:class:`CommandError`: ``exitentry NAME: message`` on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

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


class CommandError(Exception):
    """Bad input to a subcommand: ``main`` prints ``exitentry NAME: message`` and exits with status 2."""


def iso_date(text: str) -> date:
    """An ``argparse`` type: a real date written YYYY-MM-DD."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a real date in the form YYYY-MM-DD") from None
