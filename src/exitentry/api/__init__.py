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
from exitentry.api.routing import Schema


class StrangerRateThrottle(AnonRateThrottle):
    """The anonymous rate, for callers with no session: the public endpoints have no auth of their own,
    so ninja's ``request.auth`` is empty there even for a signed-in user."""

    def get_cache_key(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        return super().get_cache_key(request)


class Api(NinjaAPI):
    """The API, whose OpenAPI document names the scope each operation's API key needs (``routing``)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None) -> Schema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return Schema(self, path_prefix)


api = Api(
    title="exitentry API",
    version="1",
    description="Beijing foreigner exit-entry rules as data: procedures, advice, halls and the official calendar.",
    urls_namespace="api",
    docs_url="/docs",
    throttle=[StrangerRateThrottle(settings.EXITENTRY_ANON_RATE), KeyRateThrottle()],
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
