"""Official-calendar operations per second on one core.

Run: ``.venv/bin/python -m benchmarks.bench_calendar`` (``--help`` for the options).

Random dates from 2024 to 2027 (published years and one provisional year) and random day counts from
-30 to 60 working days, so holidays, make-up working days and year ends are all crossed.
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta

from benchmarks.common import machine, median_seconds, pin_to_one_core, rate
from exitentry.law.calendar import official_calendar
from exitentry.law.periods import roll_past_rest_days


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--operations", type=int, default=20_000, help="operations per kind (20000)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs; the median is reported (7)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    pinned = pin_to_one_core()
    rng = random.Random(args.seed)
    first, span = date(2024, 1, 1), (date(2027, 12, 31) - date(2024, 1, 1)).days
    days = [first + timedelta(days=rng.randint(0, span)) for _ in range(args.operations)]
    counts = [rng.randint(-30, 60) for _ in days]
    ends = [d + timedelta(days=rng.randint(-60, 90)) for d in days]
    cal = official_calendar()

    def add_working_days() -> None:
        for day, count in zip(days, counts, strict=True):
            cal.add_working_days(day, count)

    def working_days_between() -> None:
        for day, end in zip(days, ends, strict=True):
            cal.working_days_between(day, end)

    def is_working_day() -> None:
        for day in days:
            cal.is_working_day(day)

    def next_working_day() -> None:
        for day in days:
            cal.next_working_day(day)

    def roll_past_rest_days_all() -> None:
        for day in days:
            roll_past_rest_days(day)

    print(f"machine: {machine()}; {pinned}")
    print(f"{args.operations} operations per kind, median of {args.runs} runs:")
    for label, run in (
        ("add_working_days", add_working_days),
        ("working_days_between", working_days_between),
        ("is_working_day", is_working_day),
        ("next_working_day", next_working_day),
        ("roll_past_rest_days (Art. 203)", roll_past_rest_days_all),
    ):
        print(rate(label, args.operations, median_seconds(run, args.runs)))


if __name__ == "__main__":
    main()
