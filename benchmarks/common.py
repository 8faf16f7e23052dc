"""What every benchmark shares: one pinned core, a median over runs, and a line describing the machine."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable


def pin_to_one_core() -> str:
    """Run on CPU 0 only, where the OS allows it, so the numbers are one core's."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
        return "pinned to CPU 0"
    return "not pinned (no sched_setaffinity on this OS)"


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{model}, {os.cpu_count()} CPUs, Python {platform.python_version()} ({platform.python_implementation()})"


def median_seconds(run: Callable[[], object], runs: int) -> float:
    """The median wall time of ``runs`` calls of ``run`` (after one warm-up call)."""
    run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def rate(label: str, count: int, seconds: float, unit: str = "ops") -> str:
    return f"{label:<34} {count / seconds:>12,.0f} {unit}/s {seconds / count * 1e6:>9.2f} µs each"
