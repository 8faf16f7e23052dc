"""Which rule functions cite which provisions: a machine-readable citation on the function itself.

``@cites("regulations: Art. 33", params=("exit-deadline-maximum",))`` records the function with the
provisions it encodes and the parameters it reads, so the index of provisions (``provisions``) can list
it beside the catalog lines that cite the same article. The citations are checked against the sources
by the catalog integrity tests, not at import, so importing a rule module reads no file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from exitentry.law.sources import Citation

F = TypeVar("F", bound=Callable)


@dataclass(frozen=True, slots=True)
class RuleFunction:
    """A function of ``law.rules`` with the provisions it encodes and the parameters it reads."""

    name: str  # module.function
    summary: str  # the first paragraph of its docstring
    cite: tuple[Citation, ...]
    params: tuple[str, ...]


RULE_FUNCTIONS: dict[str, RuleFunction] = {}


def cites(*provisions: str, params: tuple[str, ...] = ()) -> Callable[[F], F]:
    """Record the decorated function as encoding ``provisions`` ("source-id: section") with ``params``."""

    def record(function: F) -> F:
        name = f"{function.__module__}.{function.__qualname__}"
        citations = []
        for provision in provisions:
            source_id, _, section = (part.strip() for part in provision.partition(":"))
            if not source_id or not section:
                raise ValueError(f"{name}: cite needs 'source-id: section', got {provision!r}")
            citations.append(Citation(source_id, section))
        summary = " ".join((function.__doc__ or "").strip().split("\n\n")[0].split())
        RULE_FUNCTIONS[name] = RuleFunction(name, summary, tuple(citations), params)
        return function

    return record
