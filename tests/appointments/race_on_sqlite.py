"""The SQLite booking race in a process of its own, on the migrated database ``EXITENTRY_DATA_DIR`` holds
(``test_concurrency``): prints what the race left, as JSON."""

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exitentry.settings")
django.setup()

from tests.appointments.test_concurrency import four_slots_raced  # noqa: E402 - Django is set up first

print(json.dumps(four_slots_raced()))
