"""Run every benchmark in turn: ``.venv/bin/python -m benchmarks.run``.

Not part of the test suite; the results and how to read them are in ``docs/performance.md``.
"""

from __future__ import annotations

from benchmarks import bench_advice, bench_calendar


def main() -> None:
    bench_advice.main([])
    print()
    bench_calendar.main([])


if __name__ == "__main__":
    main()
