"""Reading an OpenAPI document's words in the API's tests."""

from __future__ import annotations

from collections.abc import Iterator


def texts(node: object, where: str = "") -> Iterator[tuple[str, str]]:
    """Every summary and description in the OpenAPI document ``node``, with where it is (a path of keys)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("summary", "description") and isinstance(value, str):
                yield f"{where}/{key}", value
            else:
                yield from texts(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from texts(value, f"{where}/{i}")
