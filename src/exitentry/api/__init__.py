"""The HTTP API (django-ninja), mounted at ``/api/v1/``; OpenAPI docs at ``/api/docs``, in English or Simplified
Chinese (``?lang=zh-hans``, the site's language cookie, or ``Accept-Language``: ``language.document_language``).

One router per topic; every error goes through ``errors.install`` (``{"detail": [{"field", "message"}]}``).
The law's read-only endpoints need no authentication; cases, the queue and people need a signed-in user;
machine clients send an API key (``auth``).
"""

from copy import copy

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
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
    visas,
)
from exitentry.api.auth import KeyRateThrottle
from exitentry.api.language import filled, in_document_language, joined, requested_language
from exitentry.api.routing import Schema, rate
from exitentry.throttling import SessionThrottle, address_block


class StrangerRateThrottle(AnonRateThrottle):
    """The anonymous rate, for callers with no session: the public endpoints have no auth of their own,
    so ninja's ``request.auth`` is empty there even for a signed-in user (held to ``SessionThrottle``)."""

    def get_ident(self, request) -> str | None:
        return address_block(request)  # an IPv6 caller by its /64, as every per-address limit

    def get_cache_key(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        return super().get_cache_key(request)


DESCRIPTION = joined(
    (
        _(
            "**Language**: this document is in English; in Simplified Chinese: [简体中文](?lang=zh-hans)"
            " (`?lang=zh-hans`, or `Accept-Language: zh-Hans`)."
        ),
        filled(
            _(
                """Beijing foreigner exit-entry rules as data (procedures, advice, halls, the official calendar, the sources
they cite) and the casework on them: applications, appointments, the day at the hall, status checks, unit reports
and enforcement records. Every rule the API applies comes from the law core and cites its document and article.

**Credentials**: the law's operations need none. The others take a signed-in session (the `sessionid` cookie
from /en/sign-in/; a write also sends the CSRF token as `X-CSRFToken`; officers, supervisors and
administrators give their second factor first), and some an API key with a scope, as `Authorization: Bearer
<key>` (unit administrators and institutions make keys at /en/account/api-keys/). Each operation says who may
call it.

**Errors**: every error answers `{"detail": [{"field", "message", "message_zh"}]}`: the input at fault and
what to do, in English and Simplified Chinese. Each operation lists the statuses it may answer; a record the
caller may not see is 404, as if it did not exist.

**Dates, times and amounts**: dates are Gregorian, YYYY-MM-DD, as the day is in Beijing (China Standard Time,
UTC+08:00); instants are ISO 8601 with their offset (send one: `+08:00`, written `%%2B08:00` in a URL);
time limits count working days on the official calendar; amounts are in yuan (CNY).

**Rate limits**: on the operations that need no credentials, callers without a session, %(anonymous)s per
address, and a signed-in session, %(user)s per account; an API key, %(key)s; some operations have their own,
stated in their description. Past one: 429, with `Retry-After`.

**Idempotency-Key**: the writes that take one (a booking, moving it, an alert's action) answer a retry with the
same key with the first answer and change nothing twice."""
            ),
            anonymous=rate(settings.EXITENTRY_ANON_RATE),
            user=rate(settings.EXITENTRY_USER_RATE),
            key=rate(settings.EXITENTRY_KEY_RATE),
        ),
    ),
    "\n\n",
)


TAGS = {  # each router's tag (``Router(tags=...)``) in words, in the order the docs page shows them
    "procedures": _("The procedures: their rules, materials, fees and time limits, with their citations."),
    "advice": _("What the rules say for an applicant's facts."),
    "halls": _("The exit-entry halls, their hours and whether they are open."),
    "visas": _(
        "The ordinary visa categories, what an application needs and when the applicant is interviewed."
    ),
    "calendar": _("The official calendar: public holidays, working days and time limits."),
    "sources": _("The documents the rules come from, and what cites them."),
    "cases": _(
        "Applications from the draft to the decision: materials, fees, documents, and the people and permits."
    ),
    "appointments": _("Booking a time at a hall, and the hall's changed days."),
    "hall day": _("The day at the hall: check-in, tickets and the queue."),
    "verification": _("Checking a document's QR code."),
    "status checks": _("Institutions checking a holder's status."),
    "enforcement": _("Detentions, restrictions of activities, repatriations and orders to leave."),
    "alerts": _("Compliance alerts and what was done about them."),
    "people": _("Officers looking a person up by travel document."),
    "unit reports": _("Employers' and schools' reports on the foreigners they employ or teach."),
    "units": _("An employer's or school's foreign staff or students."),
    "receipts": _("The receipts of reports, as PDF."),
}
# each tag's name as people read it (``x-displayName``): the Chinese document names its tags so, as Swagger UI
# shows a tag's name and reads no ``x-displayName``; the English one keeps the names above (``routing.Schema``)
SHOWN_TAGS = {
    "procedures": _("Procedures"),
    "advice": _("Advice"),
    "halls": _("Halls"),
    "visas": _("Ordinary visas"),
    "calendar": _("Official calendar"),
    "sources": _("Sources"),
    "cases": _("Cases"),
    "appointments": _("Appointments"),
    "hall day": _("The day at the hall"),
    "verification": _("Document verification"),
    "status checks": _("Status checks"),
    "enforcement": _("Enforcement"),
    "alerts": _("Alerts"),
    "people": _("People by travel document"),
    "unit reports": _("Unit reports"),
    "units": _("Units' staff and students"),
    "receipts": _("Receipts"),
}


class Docs(Swagger):
    """Swagger UI reading the document in the page's language (``language.in_document_language``)."""

    def get_openapi_url(self, api, path_params) -> str:
        return f"{super().get_openapi_url(api, path_params)}?lang={get_language()}"

    def render_page(self, request, api, **kwargs):
        """The page, written from a copy of the settings: ninja's ``render_page`` writes the document's
        address into them, and one object answers every request (an English and a Chinese page at once)."""
        page = copy(self)
        page.settings = dict(self.settings)
        return super(Docs, page).render_page(request, api, **kwargs)


class Api(NinjaAPI):
    """The API, whose OpenAPI document names the scope each operation's API key needs (``routing``)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None, language=None) -> Schema:
        """The document in ``language`` (``language.LANGUAGES``), by default the request's
        (``language.in_document_language``)."""
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return Schema(self, path_prefix, language or requested_language())


api = Api(
    title=_("Beijing Exit-Entry Foreigner Services API"),
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url="/docs",
    docs=Docs(),
    docs_decorator=in_document_language,
    openapi_extra={
        "tags": [
            {"name": name, "x-displayName": SHOWN_TAGS[name], "description": said}
            for name, said in TAGS.items()
        ]
    },
    throttle=[StrangerRateThrottle(settings.EXITENTRY_ANON_RATE), SessionThrottle("api"), KeyRateThrottle()],
)
errors.install(api)
for module in (
    procedures,
    advice,
    halls,
    visas,
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
