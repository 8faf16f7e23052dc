"""The application's settings with ``benchmarks.status_probes`` as the URLconf (benchmarks only)."""

from exitentry.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.status_probes"
