"""The official calendar's start-up, in fresh processes: building ``official_calendar()`` and the first count
that reaches an unpublished year (its lunar holidays), old and new code in turns.

Run: ``.venv/bin/python -m benchmarks.bench_calendar_startup [--old SRC] [--runs N]``; ``--old`` is the
``src`` folder of another checkout (e.g. ``git worktree add /tmp/old <rev>`` then ``/tmp/old/src``), run in
turns with this checkout's on the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from benchmarks.common import machine

HERE = Path(__file__).resolve().parent.parent / "src"
PROBE = """
import json, time
from datetime import date
t0 = time.perf_counter()
from exitentry.law.calendar import official_calendar
t1 = time.perf_counter()
cal = official_calendar()
t2 = time.perf_counter()
cal.add_working_days(date(2027, 1, 4), 30)
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "build": t2 - t1, "first_2027": t3 - t2}))
"""


def probe(src: Path) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(src))
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", type=Path, help="the src folder of the code to compare with")
    parser.add_argument("--runs", type=int, default=10, help="fresh processes per code (10)")
    args = parser.parse_args(argv)
    codes = {"new": HERE} | ({"old": args.old} if args.old else {})
    seen: dict[str, list[dict[str, float]]] = {name: [] for name in codes}
    for _ in range(args.runs):
        for name, src in codes.items():  # in turns
            seen[name].append(probe(src))
    print(machine())
    for name, runs in seen.items():
        cells = ", ".join(
            f"{part} median {statistics.median(r[part] for r in runs) * 1000:.1f} ms"
            f" (min {min(r[part] for r in runs) * 1000:.1f})"
            for part in ("import", "build", "first_2027")
        )
        print(f"{name}: {cells}")


if __name__ == "__main__":
    main()
