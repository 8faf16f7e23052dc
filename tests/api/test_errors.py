"""One error shape for the whole API; an unexpected failure is a JSON 500 without a stack trace."""

from __future__ import annotations

import pytest

import exitentry.api.procedures


def test_an_unexpected_failure_is_a_json_500_without_a_trace(api, monkeypatch, caplog) -> None:
    def broken():
        raise RuntimeError("catalog exploded")

    monkeypatch.setattr(exitentry.api.procedures, "catalog", broken)
    response = api.get("/procedures")
    assert response.status_code == 500
    assert response.json() == {
        "detail": [
            {
                "field": None,
                "message": "Internal error; it has been logged.",
                "message_zh": "服务器内部错误，已记录。",
            }
        ]
    }
    assert b"Traceback" not in response.content
    assert "catalog exploded" in caplog.text


@pytest.mark.parametrize(
    "path", ["/api/v1/nope", "/api/v1/", "/api/v1/cases/1/materials/x/y", "/api/v2/halls"]
)
def test_an_unknown_path_under_the_api_answers_json_in_the_error_shape(client, path) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    [item] = response.json()["detail"]
    assert item["field"] is None
    assert f"GET {path}" in item["message"] and "/api/docs" in item["message"]
    assert f"GET {path}" in item["message_zh"] and "接口" in item["message_zh"]


def test_a_method_an_endpoint_does_not_take_answers_405_naming_the_ones_it_takes(client) -> None:
    response = client.delete("/api/v1/halls")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    [item] = response.json()["detail"]
    assert item["message"] == "/api/v1/halls does not take DELETE; it takes GET."
    assert "DELETE" in item["message_zh"]


def test_the_api_docs_and_the_web_pages_keep_their_html(client) -> None:
    assert client.get("/api/docs")["Content-Type"].startswith("text/html")
    missing = client.get("/en/no-such-page/")
    assert missing.status_code == 404 and missing["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_error_is_english_in_message_and_chinese_in_message_zh_whatever_the_language(language) -> None:
    """A validator error, a model error, a missing route and a refusal, asked for in either language."""
    import re

    from django.test import Client

    client = Client(headers={"accept-language": language})
    answers = [
        client.get("/api/v1/cases?offset=-1"),  # the validator (401 or 422: either way an error item)
        client.post("/api/v1/advice", '{"procedure": 5}', content_type="application/json"),
        client.get("/api/v1/halls/haidian"),
        client.get("/api/v1/no-such-endpoint"),
        client.get("/api/v1/procedures/no-such-thing"),
    ]
    chinese = re.compile(r"[\u4e00-\u9fff]")
    for response in answers:
        assert response.status_code >= 400
        for item in response.json()["detail"]:
            assert not chinese.search(item["message"]), item
            assert chinese.search(item["message_zh"]), item
