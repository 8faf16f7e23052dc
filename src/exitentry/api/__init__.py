"""The HTTP API (django-ninja), mounted at ``/api/v1/``; OpenAPI docs at ``/api/docs``.

One router per topic; every error goes through ``errors.install`` (``{"detail": [{"field", "message"}]}``).
The law's read-only endpoints need no authentication; cases, the queue and people need a signed-in user.
"""

from django.conf import settings
from ninja import NinjaAPI
from ninja.throttling import AnonRateThrottle

from exitentry.api import advice, calendar, cases, errors, halls, procedures, verification

api = NinjaAPI(
    title="exitentry API",
    version="1",
    description="Beijing foreigner exit-entry rules as data: procedures, advice, halls and the official calendar.",
    urls_namespace="api",
    docs_url="/docs",
    throttle=[AnonRateThrottle(settings.EXITENTRY_ANON_RATE)],
)
errors.install(api)
for module in (procedures, advice, halls, calendar, cases, verification):
    api.add_router("/", module.router)
