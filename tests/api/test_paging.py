"""Every paginated operation validates its page (``page``, or ``limit`` and ``offset``) the same way, from
one definition (``api.paging``): a page below 1, a size below 1 or past the largest, or a value past what a
database can hold is a 422 naming the parameter, never a silent first page."""

from __future__ import annotations

import pytest

from case_helpers import sign_in
from factories import UserFactory

pytestmark = pytest.mark.django_db

PAGED = ["/units/me/people", "/units/me/reports"]
WINDOWED = ["/cases", "/queue", "/alerts", "/person-lookups"]


def operations_with(schema: dict, name: str) -> dict[str, dict]:
    return {
        f"{method} {path}": parameter["schema"]
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for parameter in operation.get("parameters", [])
        if parameter["name"] == name
    }


def test_every_paginated_operation_declares_the_same_bounds(api) -> None:
    schema = api.get("/openapi.json").json()
    pages = operations_with(schema, "page")
    assert set(pages) == {f"get /api/v1{path}" for path in PAGED}
    for name, found in [("page", pages), ("limit", None), ("offset", None)]:
        found = found or operations_with(schema, name)
        bounds = {(s.get("minimum"), s.get("maximum"), s.get("default")) for s in found.values()}
        assert len(bounds) == 1, (name, found)
        ((low, high, _),) = bounds
        assert low is not None and high is not None, name
    assert set(operations_with(schema, "limit")) == {f"get /api/v1{path}" for path in WINDOWED}


@pytest.mark.parametrize("path", PAGED)
@pytest.mark.parametrize("page", ["0", "-1", "x", str(10**20)])
def test_a_page_out_of_bounds_is_422_on_every_paged_operation(api, path, page) -> None:
    sign_in(api.client, UserFactory())
    status, fields, _ = api.problem(api.get(path, page=page))
    assert (status, fields) == (422, ["page"])


@pytest.mark.parametrize("path", WINDOWED)
@pytest.mark.parametrize(
    ("name", "value"), [("limit", "0"), ("limit", "201"), ("offset", "-1"), ("offset", str(2**31))]
)
def test_a_window_out_of_bounds_is_422_on_every_windowed_operation(api, path, name, value) -> None:
    sign_in(api.client, UserFactory())
    status, fields, _ = api.problem(api.get(path, **{name: value}))
    assert (status, fields) == (422, [name])
