"""The language an account's messages are written in: the one its user prefers (``User.language``).

Kept when the user switches language on the site, or chooses one on their account page
(``web.account_views.account``); at sign-in, the page's language is kept only when none is stored yet, so
reading a few pages in the other language does not change the messages' language. Written only when it
changes, so a switch to the same language costs no write.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.i18n import set_language as django_set_language

from exitentry.accounts.models import User

_LANGUAGES = {code for code, _ in settings.LANGUAGES}


def remember(user, language: str | None) -> None:
    if not getattr(user, "is_authenticated", False) or language not in _LANGUAGES:
        return
    if user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language


def of_request(request: HttpRequest) -> str:
    """The language of a page outside the language prefixes (``/verify/``): the one asked for by
    ``?lang=``, else the language cookie, else the account's, else the browser's (Accept-Language)."""
    user = getattr(request, "user", None)
    account = user.language if getattr(user, "is_authenticated", False) else None
    for wanted in (request.GET.get("lang"), request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME), account):
        if wanted:
            try:
                return translation.get_supported_language_variant(wanted)
            except LookupError:
                continue
    return translation.get_language_from_request(request)


def on_sign_in(sender, request: HttpRequest, user, **_) -> None:
    """The sign-in page's language, for an account with no preference stored yet."""
    if not user.language:
        remember(user, getattr(request, "LANGUAGE_CODE", None) or translation.get_language())


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (``/i18n/setlang/``), kept on the account only where none is stored yet: a
    preference once stored is changed on the account page alone (``/account/``), so the pages a user reads
    never change the language of their messages."""
    response = django_set_language(request)
    user = request.user
    if request.method == "POST" and user.is_authenticated and not user.language:
        remember(user, request.POST.get("language"))
    return response


user_logged_in.connect(on_sign_in, dispatch_uid="accounts.language")
