"""The API's routers: every operation documents the errors it may answer, decided here once from its shape,
so the OpenAPI document lists each 4xx in the error shape (``errors.ErrorOut``) and no endpoint repeats them.

- 404 where the path has parameters (no such record, or no such path) or the request has a body (a body
  names records too: a procedure, a person);
- 400 and 413 on a write: a body that cannot be read, or one larger than the API takes;
- 422 where the operation takes any input (its path, query or body fails validation or the rules refuse);
- 409 on a write that needs a signed-in user: the database aborted it for another's (nothing stored, send
  it again, ``exitentry.busy``);
- 401 and 403 where it needs a signed-in user; otherwise 429, the rate limit for strangers; 429 too where
  it takes an API key (the key's rate, ``api.auth.KeyRateThrottle``) or has a rate limit of its own;
- and what the router adds for all its operations (``errors``: the case endpoints' 409).

Every operation also states its security in the document: ``[]`` (none) for the public ones, otherwise
each way in it takes (the session, an API key), a key's with the scope it needs (``Schema``); a request
with no credentials meets ``api.auth.Challenge`` after them (a 401 naming them).

Every operation has a description for a developer outside the project (``described``: who may call it,
what it does, the rule and its article where one decides); the router adds what follows from its shape
(the credentials it takes, the rate limits, the Idempotency-Key), and the document says what each error
status means (``ERRORS``) and, for the fields whose names do not say it, a date's calendar and time zone
and an amount's currency (``Schema``).

Every text of the document is marked for translation and written in its language (``api.language``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from http.client import responses as _STANDARD  # the phrases ninja describes statuses with
from typing import Any

import ninja
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from ninja.constants import NOT_SET
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from exitentry.api import glossary
from exitentry.api.auth import ApiKey, Challenge
from exitentry.api.errors import ErrorOut
from exitentry.api.language import LANGUAGES, filled, joined, written

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

ERRORS = {  # what each error status means, for every operation that may answer it (in ``ErrorOut``)
    400: _(
        "The body cannot be read: not JSON, or a multipart body without its boundary or with too many parts."
    ),
    401: _(
        "No credentials, or an API key that is unknown, expired or revoked; `WWW-Authenticate` names the ways in."
    ),
    403: _(
        "Signed in but not allowed: the caller's role or side may not do this, an officer's session has not "
        "given its second factor yet, an API key lacks the scope, or a session write came without its CSRF "
        "token."
    ),
    404: _(
        "No such record, or one the caller may not see (answered as if it did not exist); `field` names the "
        "input."
    ),
    405: _("This path takes no POST (another operation's path, with another method)."),
    409: _(
        "The record's state does not allow this now (the message says why), or another request changed the "
        "same records at the same moment and nothing was saved: send it again."
    ),
    413: _("The body is larger than the API takes."),
    422: _(
        "The input fails validation, or the rules refuse it; each item names the field at fault and says why "
        "in English (`message`) and Simplified Chinese (`message_zh`)."
    ),
    429: _("Too many requests: wait and send it again (the rate limit in the description)."),
}
_SUCCESS = {
    200: _("OK"),
    201: _("Created"),
    204: _("No Content"),
}  # ninja's words, in the document's language
_DATE = _(
    "A calendar date, YYYY-MM-DD (Gregorian calendar), as the day is in Beijing (China Standard Time, UTC+08:00)."
)
_INSTANT = _(
    "An instant, ISO 8601 with its UTC offset (answers give it in Beijing time, +08:00, or in UTC: read the "
    "offset); an instant sent without an offset is refused."
)
_OFFSET = _("%(said)s (ISO 8601, with its UTC offset)")
_CNY = _("An amount in yuan (CNY), whole yuan.")
_IN_CNY = _("%(said)s (in CNY)")
_PER = {
    "s": _("%(count)s %(what)s a second"),
    "m": _("%(count)s %(what)s a minute"),
    "h": _("%(count)s %(what)s an hour"),
    "d": _("%(count)s %(what)s a day"),
}


def rate(setting: str, what: str = _("requests")) -> str:
    """A rate setting (``120/m``) in words: "120 requests a minute"."""
    count, _slash, period = setting.partition("/")
    return filled(_PER[period[:1]], count=count, what=what)


def described(who: str, does: str, rule: str = "", limit: str = "") -> str:
    """An operation's description: who may call it (role, side), what it does, the rule that decides the
    answer with its document and article (from the law core's citations, ``schemas.article``), and a rate
    limit of the operation's own (the API's are added by ``Router``)."""
    parts = (
        filled(_("**Who may call it**: %(who)s"), who=who),
        does,
        rule and filled(_("**Rule**: %(rule)s"), rule=rule),
        limit and filled(_("**Rate limit**: %(limit)s"), limit=limit),
    )
    return joined(parts, "\n\n")


def _credentials(ways: list) -> str:
    """The credentials an operation takes, in words."""
    said = []
    for way in ways:
        if isinstance(way, ApiKey):
            said.append(
                filled(
                    _("an API key with the scope `%(scope)s` (`Authorization: Bearer <key>`)"),
                    scope=way.scope,
                )
            )
        else:
            said.append(
                _(
                    "a signed-in session (the `sessionid` cookie from /en/sign-in/; writes also send the CSRF "
                    "token as `X-CSRFToken`; officers, supervisors and administrators once they have given their "
                    "second factor)."
                )
            )
    ways_in = joined(said, _(" or ")) if said else _("none; anyone may call it.")
    return filled(_("**Credentials**: %(ways)s"), ways=ways_in)


def _limits(ways: list, public: bool) -> str:
    """The rate limits the API applies to an operation's callers, in words (an operation's own come in its
    description)."""
    limits = []
    if public:
        limits.append(
            filled(
                _(
                    "callers without a session, %(rate)s per address across the public operations; a signed-in "
                    "session, %(user)s per account across them"
                ),
                rate=rate(settings.EXITENTRY_ANON_RATE),
                user=rate(settings.EXITENTRY_USER_RATE),
            )
        )
    if any(isinstance(way, ApiKey) for way in ways):
        limits.append(filled(_("each API key, %(rate)s"), rate=rate(settings.EXITENTRY_KEY_RATE)))
    return (
        filled(_("%(limits)s; past it 429, with `Retry-After` (seconds)."), limits=joined(limits, _("; ")))
        if limits
        else ""
    )


def _limited(said: str, limits: str) -> str:
    """The API's rate limits as a paragraph, after the operation's own where it has one."""
    if not limits:
        return ""
    with override("en"):
        own = "**Rate limit**" in str(said)
    return filled(
        _("**Also**: %(limits)s") if own else _("**Rate limit**: %(limit)s"), limits=limits, limit=limits
    )


_IDEMPOTENT = _(
    "**Idempotency**: send an `Idempotency-Key` header, new for each request (e.g. a UUID). A retry with the "
    "same key (same method, path and body) gets the first answer again, refusals included, and changes "
    "nothing twice; the same key with another request is refused (422)."
)


def _takes_idempotency_key(view: Callable) -> bool:
    return any(
        getattr(p.default, "alias", None) == "Idempotency-Key"
        for p in inspect.signature(view).parameters.values()
    )


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
    if writes and signed_in:  # the database may abort a write for another's sake: nothing stored (``busy``)
        statuses.add(409)
    if len(inspect.signature(view).parameters) > 1:  # more than the request
        statuses.add(422)
    return statuses


class Schema(OpenAPISchema):
    """Ninja's OpenAPI document, with the scope each API key way in needs (``api.auth.ApiKey.scope``) in
    the operation's security requirement: OpenAPI 3.1 lets any scheme name the roles it requires; what each
    error status means (``ERRORS``); and what a field means where it does not say it itself (``glossary``;
    a date, an instant, an amount in yuan: ``_meaning``), with the values of the state fields."""

    def __init__(self, api, path_prefix: str, language: str = LANGUAGES[0]) -> None:
        with override(language):
            super().__init__(api, path_prefix)
            values = glossary.enums()
            for schema, definition in self["components"]["schemas"].items():
                if schema in glossary.SCHEMAS:
                    definition["description"] = glossary.SCHEMAS[schema]
                for name, field in definition.get("properties", {}).items():
                    if (schema, name) in values and field.get("type") == "string":
                        field["enum"] = values[schema, name]
                    kind = _meaning(name, field)
                    said = field.setdefault("description", glossary.meaning(schema, name) or kind)
                    with override("en"):
                        english = str(said)
                    if not said:
                        del field["description"]
                    elif kind is _INSTANT and "offset" not in english:
                        field["description"] = filled(_OFFSET, said=said)
                    elif kind is _CNY and "CNY" not in english:
                        field["description"] = filled(_IN_CNY, said=said)
            self.update(written(dict(self)))
            if language != LANGUAGES[0]:
                self._name_tags_as_shown()

    def _name_tags_as_shown(self) -> None:
        """Each tag named by its ``x-displayName`` (Swagger UI shows a tag's name and reads no
        ``x-displayName``), in the tags and in each operation's; the operations keep their ``operationId``."""
        shown = {tag["name"]: tag["x-displayName"] for tag in self.get("tags", []) if "x-displayName" in tag}
        for tag in self.get("tags", []):
            tag["name"] = shown.get(tag["name"], tag["name"])
        for operations in self["paths"].values():
            for operation in operations.values():
                operation["tags"] = [shown.get(name, name) for name in operation.get("tags", [])]

    def responses(self, operation: Operation) -> dict[int, dict]:
        answers = super().responses(operation)
        for status, answer in answers.items():
            if status in ERRORS and answer["description"] in ("Unknown Status Code", _STANDARD.get(status)):
                answer["description"] = ERRORS[status]
            elif status in _SUCCESS and answer["description"] == _STANDARD[status]:
                answer["description"] = _SUCCESS[status]
        return answers

    def operation_parameters(self, operation: Operation) -> list[dict]:
        parameters = super().operation_parameters(operation)
        for parameter in parameters:
            if "description" not in parameter:
                meaning = _meaning(parameter["name"], parameter.get("schema", {}))
                if meaning:
                    parameter["description"] = meaning
        return parameters

    def operation_security(self, operation: Operation) -> list[dict[str, list[str]]] | None:
        ways = super().operation_security(operation)
        if not ways:
            return ways
        schemes = [auth for auth in operation.auth_callbacks if hasattr(auth, "openapi_security_schema")]
        scoped = [getattr(auth, "scope", None) for auth in schemes]
        return [
            {name: [scope] if scope else [] for name in way} for way, scope in zip(ways, scoped, strict=True)
        ]


def _meaning(name: str, field: dict) -> str:
    """What a field of ``name`` and schema ``field`` is, where its name and type do not say it."""
    options = field.get("anyOf", [field])
    formats = {o.get("format") for o in options} | {o.get("items", {}).get("format") for o in options}
    if name.endswith("_cny"):
        return _CNY
    if "date-time" in formats:
        return _INSTANT
    if "date" in formats:
        return _DATE
    return ""


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
        # ``described`` (``test_openapi_descriptions`` finds an operation without), then what its shape says
        said = kwargs.get("description") or ""
        credentials = ways if signed_in else []
        kwargs["description"] = joined(
            (
                said,
                _credentials(credentials),
                _limited(said, _limits(credentials, public=not signed_in)),
                _IDEMPOTENT if _takes_idempotency_key(view_func) else "",
            ),
            "\n\n",
        )
        if signed_in:  # a request with no credentials meets the challenge last
            kwargs["auth"] = [*ways, Challenge(ways)]
        else:  # say "none" (ninja says nothing)
            kwargs["openapi_extra"] = {"security": []} | (kwargs.get("openapi_extra") or {})
        super().add_api_operation(path, methods, view_func, response=documented, **kwargs)
