"""Helpers for the API tests: real HTTP requests through the Django stack (test Client)."""

from __future__ import annotations

import json

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
