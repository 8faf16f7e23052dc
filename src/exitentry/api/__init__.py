"""The HTTP API (django-ninja), mounted at ``/api/v1/``; OpenAPI docs at ``/api/docs``.

One router per topic; every error goes through ``errors.install`` (``{"detail": [{"field", "message"}]}``).
The law's read-only endpoints need no authentication; cases, the queue and people need a signed-in user;
machine clients send an API key (``auth``).
"""

from django.conf import settings
from ninja import NinjaAPI
from ninja.throttling import AnonRateThrottle

from exitentry.api import (
    advice,
    alerts,
    appointments,
    calendar,
    cases,
    enforcement,
    errors,
    hallday,
    halls,
    lookups,
    procedures,
    receipts,
    sources,
    status_checks,
    unit_reports,
    units,
    verification,
)
from exitentry.api.auth import KeyRateThrottle
from exitentry.api.routing import Schema, rate
from exitentry.throttling import SessionThrottle


class StrangerRateThrottle(AnonRateThrottle):
    """The anonymous rate, for callers with no session: the public endpoints have no auth of their own,
    so ninja's ``request.auth`` is empty there even for a signed-in user (held to ``SessionThrottle``)."""

    def get_cache_key(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        return super().get_cache_key(request)


DESCRIPTION = f"""Beijing foreigner exit-entry rules as data (procedures, advice, halls, the official calendar, the sources
they cite) and the casework on them: applications, appointments, the day at the hall, status checks, unit reports
and enforcement records. Every rule the API applies comes from the law core and cites its document and article.

**Credentials**: the law's operations need none. The others take a signed-in session (the `sessionid` cookie
from /en/sign-in/; a write also sends the CSRF token as `X-CSRFToken`; officers, supervisors and
administrators give their second factor first), and some an API key with a scope, as `Authorization: Bearer
<key>` (unit administrators and institutions make keys at /en/account/api-keys/). Each operation says who may
call it.

**Errors**: every error answers `{{"detail": [{{"field", "message", "message_zh"}}]}}`: the input at fault and
what to do, in English and Simplified Chinese. Each operation lists the statuses it may answer; a record the
caller may not see is 404, as if it did not exist.

**Dates, times and amounts**: dates are Gregorian, YYYY-MM-DD, as the day is in Beijing (China Standard Time,
UTC+08:00); instants are ISO 8601 with their offset (send one: `+08:00`, written `%2B08:00` in a URL);
time limits count working days on the official calendar; amounts are in yuan (CNY).

**Rate limits**: on the operations that need no credentials, callers without a session,
{rate(settings.EXITENTRY_ANON_RATE)} per address, and a signed-in session, {rate(settings.EXITENTRY_USER_RATE)} per
account; an API key, {rate(settings.EXITENTRY_KEY_RATE)}; some operations have their own, stated in their
description. Past one: 429, with `Retry-After`.

**Idempotency-Key**: the writes that take one (a booking, moving it, an alert's action) answer a retry with the
same key with the first answer and change nothing twice."""


class Api(NinjaAPI):
    """The API, whose OpenAPI document names the scope each operation's API key needs (``routing``)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None) -> Schema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return Schema(self, path_prefix)


api = Api(
    title="exitentry API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url="/docs",
    throttle=[StrangerRateThrottle(settings.EXITENTRY_ANON_RATE), SessionThrottle("api"), KeyRateThrottle()],
)
errors.install(api)
for module in (
    procedures,
    advice,
    halls,
    calendar,
    sources,
    cases,
    appointments,
    hallday,
    verification,
    status_checks,
    enforcement,
    alerts,
    lookups,
    unit_reports,
    units,
    receipts,
):
    api.add_router("/", module.router)
