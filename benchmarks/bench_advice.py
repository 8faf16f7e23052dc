"""Advices per second on one core, over every procedure in the catalog.

Run: ``.venv/bin/python -m benchmarks.bench_advice`` (``--help`` for the options).

Every procedure the catalog holds when the benchmark starts gets its own fact sets, built from the
facts its rules, obligations and health lines read: complete ones, partial ones (each fact known with
probability 0.6) and a few empty ones (a first visit), with birth dates, validities and the date of the
advice all drawn at random, so no two advices are alike. The sets are shuffled together and advised one
after another in a single process pinned to one core; the result is the median of several runs. The
cost is then split: ``parse_facts`` alone over the same input, and the rest (rule evaluation and building
the answer) as the difference. A second set, all on one day, shows the usual case of a server that
advises about today (time limits reckoned from the same day are remembered).
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from collections.abc import Mapping
from datetime import date, timedelta

from benchmarks.common import machine, median_seconds, pin_to_one_core, rate
from exitentry.law.advice import advise
from exitentry.law.catalog import Catalog, catalog
from exitentry.law.facts import FactDef, FactError, parse_facts
from exitentry.law.model import Procedure

Case = tuple[str, dict[str, object], date]
DURATIONS = ("P90D", "P180D", "P6M", "P1Y", "P18M", "P2Y", "P2Y6M", "P3Y", "P5Y", "P6Y")
FIRST_DAY, LAST_DAY = date(2024, 1, 1), date(2027, 6, 30)


def facts_read(procedure: Procedure, facts: Mapping[str, FactDef]) -> list[str]:
    """The facts an applicant can give for ``procedure``: what its rules, obligations and health lines read."""
    names: list[str] = list(procedure.fact_order)
    for obligation in procedure.obligations:
        names += sorted(obligation.when.facts) + [obligation.period.fact]
    if procedure.rules.get("health"):
        names.append("health_certificate_issue_date")
    asked = (name for fact in names for name in facts[fact].asked_as)
    return list(dict.fromkeys(asked))


def raw_value(fact: FactDef, on: date, rng: random.Random) -> object:
    """A plausible raw (JSON-like) answer to ``fact`` on the date ``on``."""
    if fact.type == "bool":
        return rng.random() < 0.5
    if fact.type == "enum":
        return rng.choice(fact.options).value
    if fact.type == "int":
        low = fact.minimum if fact.minimum is not None else 0
        high = fact.maximum if fact.maximum is not None else 100
        return rng.randint(low, min(high, low + 400))
    if fact.type == "duration":
        return rng.choice(DURATIONS)
    if fact.id == "birth_date":
        return (on - timedelta(days=rng.randint(0, 90 * 365))).isoformat()
    return (on + timedelta(days=rng.randint(-400, 400))).isoformat()


def cases(cat: Catalog, per_procedure: int, seed: int, day: date | None = None) -> tuple[list[Case], int]:
    """Shuffled advice requests for every procedure (on random days, or all on ``day``), and how many
    drawn ones were refused as bad input."""
    rng = random.Random(seed)
    made: list[Case] = []
    refused = 0
    for procedure in cat.procedures.values():
        names = facts_read(procedure, cat.facts)
        first = max(procedure.in_force_from, FIRST_DAY)
        last = min(procedure.in_force_to or LAST_DAY, LAST_DAY)
        for i in range(per_procedure):
            on = day or first + timedelta(days=rng.randint(0, (last - first).days))
            keep = 1.0 if i % 10 < 5 else 0.6 if i % 10 < 9 else 0.0
            facts = {n: raw_value(cat.facts[n], on, rng) for n in names if rng.random() < keep}
            try:
                advise(procedure.id, facts, on, in_catalog=cat)
            except FactError:
                refused += 1
                continue
            made.append((procedure.id, facts, on))
    rng.shuffle(made)
    return made, refused


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-procedure", type=int, default=200, help="fact sets per procedure (200)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs; the median is reported (7)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    pinned = pin_to_one_core()
    cat = catalog()
    work, refused = cases(cat, args.per_procedure, args.seed)
    today, _ = cases(cat, args.per_procedure, args.seed, day=date(2026, 11, 23))
    statuses = Counter(advise(p, f, on, in_catalog=cat).status for p, f, on in work)
    facts_given = sum(len(f) for _, f, _ in work) / len(work)

    def advise_all() -> None:
        for procedure_id, facts, on in work:
            advise(procedure_id, facts, on)

    def parse_all() -> None:
        definitions = cat.facts
        for _, facts, on in work:
            parse_facts(facts, definitions, on)

    def advise_today() -> None:
        for procedure_id, facts, on in today:
            advise(procedure_id, facts, on)

    def advise_as_dict_all() -> None:
        for procedure_id, facts, on in work:
            advise(procedure_id, facts, on).as_dict()

    total = median_seconds(advise_all, args.runs)
    parsing = median_seconds(parse_all, args.runs)
    with_dict = median_seconds(advise_as_dict_all, args.runs)
    one_day = median_seconds(advise_today, args.runs)
    n = len(work)

    print(f"machine: {machine()}; {pinned}")
    print(
        f"{n} advices over {len(cat.procedures)} procedures ({refused} drawn fact sets refused as bad input), "
        f"{facts_given:.1f} facts given on average; "
        + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
    )
    print(f"median of {args.runs} runs:")
    print(rate("advise()", n, total, "advices"))
    print(rate("  of which parse_facts()", n, parsing, "parses"))
    print(rate("  of which evaluation (the rest)", n, total - parsing, "advices"))
    print(rate("advise().as_dict()", n, with_dict, "advices"))
    print(rate("advise(), all on 2026-11-23", len(today), one_day, "advices"))


if __name__ == "__main__":
    main()
