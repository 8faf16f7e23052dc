"""The API's routers: every operation documents the errors it may answer, decided here once from its shape,
so the OpenAPI document lists each 4xx in the error shape (``errors.ErrorOut``) and no endpoint repeats them.

- 404 where the path has parameters (no such record, or no such path) or the request has a body (a body
  names records too: a procedure, a person);
- 400 and 413 on a write: a body that cannot be read, or one larger than the API takes;
- 422 where the operation takes any input (its path, query or body fails validation or the rules refuse);
- 401 and 403 where it needs a signed-in user; otherwise 429, the rate limit for strangers; 429 too where
  it takes an API key (the key's rate, ``api.auth.KeyRateThrottle``) or has a rate limit of its own;
- and what the router adds for all its operations (``errors``: the case endpoints' 409).

Every operation also states its security in the document: ``[]`` (none) for the public ones, otherwise
each way in it takes (the session, an API key), a key's with the scope it needs (``Schema``); a request
with no credentials meets ``api.auth.Challenge`` after them (a 401 naming them).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Any

import ninja
from ninja.constants import NOT_SET
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from exitentry.api.auth import ApiKey, Challenge
from exitentry.api.errors import ErrorOut

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def error_statuses(
    path: str, methods: Iterable[str], view: Callable, signed_in: bool, limited: bool = False
) -> set[int]:
    """The error statuses an operation may answer, from its path, methods, parameters and sign-in, and
    whether a rate limits its signed-in callers (``limited``)."""
    writes = bool(WRITES & set(methods))
    statuses = {401, 403} if signed_in else {429}
    if limited:
        statuses.add(429)
    if "{" in path or writes:
        statuses.add(404)
    if writes:
        statuses |= {400, 413}
    if len(inspect.signature(view).parameters) > 1:  # more than the request
        statuses.add(422)
    return statuses


class Schema(OpenAPISchema):
    """Ninja's OpenAPI document, with the scope each API key way in needs (``api.auth.ApiKey.scope``) in
    the operation's security requirement: OpenAPI 3.1 lets any scheme name the roles it requires."""

    def operation_security(self, operation: Operation) -> list[dict[str, list[str]]] | None:
        ways = super().operation_security(operation)
        if not ways:
            return ways
        schemes = [auth for auth in operation.auth_callbacks if hasattr(auth, "openapi_security_schema")]
        scoped = [getattr(auth, "scope", None) for auth in schemes]
        return [
            {name: [scope] if scope else [] for name in way} for way, scope in zip(ways, scoped, strict=True)
        ]


class Router(ninja.Router):
    """A ninja router whose operations document their error statuses (``error_statuses``, and ``errors``
    for every operation of this router) besides the answers each declares."""

    def __init__(self, *, errors: Iterable[int] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.errors = frozenset(errors)

    def add_api_operation(
        self, path: str, methods: list[str], view_func: Callable, *, response: Any = NOT_SET, **kwargs: Any
    ) -> None:
        auth = kwargs.get("auth", NOT_SET)
        if auth is NOT_SET:
            auth = self.auth
        signed_in = auth is not NOT_SET and bool(auth)
        ways = auth if isinstance(auth, list | tuple) else [auth]
        throttle = kwargs.get("throttle", NOT_SET)
        limited = (throttle is not NOT_SET and bool(throttle)) or any(isinstance(way, ApiKey) for way in ways)
        answers = response if isinstance(response, dict) else {200: response}
        statuses = error_statuses(path, methods, view_func, signed_in, limited) | self.errors
        documented = {status: ErrorOut for status in sorted(statuses)} | answers
        if signed_in:  # a request with no credentials meets the challenge last
            kwargs["auth"] = [*ways, Challenge(ways)]
        else:  # say "none" (ninja says nothing)
            kwargs["openapi_extra"] = {"security": []} | (kwargs.get("openapi_extra") or {})
        super().add_api_operation(path, methods, view_func, response=documented, **kwargs)
