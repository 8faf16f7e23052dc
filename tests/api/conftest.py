"""Helpers for the API tests: real HTTP requests through the Django stack (test Client)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from django.test import Client


class Api:
    """A JSON client for ``/api/v1``."""

    def __init__(self) -> None:
        self.client = Client()

    def get(self, path: str, **params: object):
        return self.client.get(f"/api/v1{path}", params)

    def post(self, path: str, body: object):
        data = body if isinstance(body, str) else json.dumps(body)
        return self.client.post(f"/api/v1{path}", data, content_type="application/json")

    @staticmethod
    def problem(response) -> tuple[int, list[str | None], str]:
        """The status, the fields named and the messages joined, of an error response."""
        detail = response.json()["detail"]
        return response.status_code, [d["field"] for d in detail], " | ".join(d["message"] for d in detail)


@pytest.fixture
def api() -> Api:
    return Api()


GENERATED = pytest.StashKey[Counter]()


@pytest.fixture
def answers(request) -> Counter:
    """The answers to generated requests, counted by status for the summary at the end of the run."""
    return request.config.stash.setdefault(GENERATED, Counter())


def pytest_terminal_summary(terminalreporter, config) -> None:
    counts = config.stash.get(GENERATED, None)
    if counts:
        statuses = ", ".join(f"{status}: {n}" for status, n in sorted(counts.items()))
        server_errors = sum(n for status, n in counts.items() if status >= 500)
        terminalreporter.write_line(
            f"generated requests: {counts.total()} ({statuses}); server errors: {server_errors}"
        )


@pytest.fixture(autouse=True)
def hall_open_today(monkeypatch):
    """The API's counter steps take Beijing's today; on a day the halls are closed (a weekend, a holiday)
    they are refused (``services.intake.at_the_counter``), so these tests take the last opening day."""
    from factories import hall_day

    day = hall_day()
    monkeypatch.setattr("exitentry.cases.services.intake.beijing_today", lambda: day)
    return day
