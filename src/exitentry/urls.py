"""Root URLconf.

- ``/<lang>/...``: web pages (``exitentry.web``), always language-prefixed (``/zh-hans/``, ``/en/``)
- ``/i18n/setlang/``: Django's ``set_language`` (POST) for the language switch, kept on the account too
- ``/admin/``: Django admin (django-otp's site: a session verified with the second factor only; its
  ``login/`` sends to the site's sign-in), and ``/admin/cases/lifecycle/``, the case lifecycle table, read-only
- ``/api/v1/``: the API (``exitentry.api.api``); schema at ``/api/v1/openapi.json``
- ``/api/docs``: the API's Swagger UI (also at ``/api/v1/docs``), reading ``/api/v1/openapi.json``
- ``/healthz``: liveness + database check
- ``/favicon.ico``: the site's icon (a static file; pages link it, this is for what asks the old address)
- ``/verify/<token>``: the page a document's QR code opens (public, both languages)
"""

from functools import partial

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.db import connection
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from ninja.openapi.views import openapi_view

from exitentry.accounts import language
from exitentry.api import api
from exitentry.api.language import in_document_language
from exitentry.cases import admin as case_admin
from exitentry.verification.views import verify_page
from exitentry.web.account_views import admin_sign_in


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """``{"status": "ok"}`` once the database answers ``SELECT 1``; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "error": exc.__class__.__name__}, status=503)
    return JsonResponse({"status": "ok"})


@require_GET
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(static("web/favicon.svg"))


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("verify/<str:token>", verify_page, name="verify"),
    path("i18n/setlang/", language.set_language, name="set_language"),
    # The admin's own sign-in would ask for the password only: the site's asks for the second factor too.
    path("admin/login/", admin_sign_in, name="admin-sign-in"),
    path("admin/", include(case_admin.urls)),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api/docs", in_document_language(partial(openapi_view, api=api)), name="api-docs"),
]

urlpatterns += i18n_patterns(
    path("", include("exitentry.web.urls")),
    prefix_default_language=True,
)
