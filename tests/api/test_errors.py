"""One error shape for the whole API; an unexpected failure is a JSON 500 without a stack trace."""

from __future__ import annotations

import exitentry.api.procedures


def test_an_unexpected_failure_is_a_json_500_without_a_trace(api, monkeypatch, caplog) -> None:
    def broken():
        raise RuntimeError("catalog exploded")

    monkeypatch.setattr(exitentry.api.procedures, "catalog", broken)
    response = api.get("/procedures")
    assert response.status_code == 500
    assert response.json() == {"detail": [{"field": None, "message": "internal error; it has been logged"}]}
    assert b"Traceback" not in response.content
    assert "catalog exploded" in caplog.text
