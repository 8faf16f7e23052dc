"""The language the OpenAPI document is written in, English or Simplified Chinese (``document_language``:
``?lang=zh-hans``, the site's language cookie or the request's ``Accept-Language``; English otherwise), and its texts, written lazily
so that ``routing.Schema`` writes each in the document's language (``written``): a text marked for
translation with its values (``filled``), texts joined (``joined``), a law core's ``Text`` (``in_language``:
a citation with its document's title in that language)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import Promise, lazy
from django.utils.translation import get_language, get_supported_language_variant, override
from django.utils.translation.trans_real import parse_accept_lang_header

from exitentry.law.text import Text

LANGUAGES = ("en", "zh-hans")  # the languages the document is written in, English first (the default)
_LANGUAGE: ContextVar[str] = ContextVar("document_language", default=LANGUAGES[0])


def _fill(template: str, values: dict) -> str:
    return str(template) % {name: str(value) for name, value in values.items()}


_lazy_fill = lazy(_fill, str)


def filled(template: str, **values: object) -> str:
    """``template`` (marked for translation, with ``%(name)s`` placeholders) with ``values``, written in the
    language active when the document is (lazily)."""
    return _lazy_fill(template, values)


def _join(parts: tuple, separator: str) -> str:
    return separator.join(said for said in map(str, parts) if said)


_lazy_join = lazy(_join, str)


def joined(parts: Iterable, separator: str) -> str:
    """The non-empty ``parts`` joined by ``separator``, written in the document's language (lazily)."""
    return _lazy_join(tuple(parts), separator)


def _in(text: Text) -> str:
    return text.get(get_language() or "en")


in_language = lazy(_in, str)  # a law core's ``Text`` in the document's language


def written(node: Any) -> Any:
    """``node`` (a part of the document) with every lazy text written in the active language: a copy, as
    ninja shares some parts between documents (an auth's security scheme, an operation's extra)."""
    if isinstance(node, Promise):
        return str(node)
    if isinstance(node, dict):
        return {key: written(value) for key, value in node.items()}
    if isinstance(node, list):
        return [written(value) for value in node]
    return node


def document_language(request: HttpRequest) -> str:
    """The language the OpenAPI document and its page are written in: ``?lang=`` (``zh-hans``, ``zh``,
    ``zh-CN``, ``en``...), else the site's language cookie (the language chosen on its pages), else the
    first of ``Accept-Language`` the document is written in, else English."""
    chosen = (request.GET.get("lang"), request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    asked = [code for code in chosen if code]
    asked += [code for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", ""))]
    for code in asked:
        try:
            language = get_supported_language_variant(code)
        except LookupError:
            continue
        if language in LANGUAGES:
            return language
    return LANGUAGES[0]


def in_document_language(view: Callable) -> Callable:
    """The docs page and the document's view (ninja's ``docs_decorator``), written in the request's
    ``document_language`` and labelled with it (``Content-Language``, not the request's language)."""

    @wraps(view)
    def answer(request: HttpRequest, *args: Any, **kwargs: Any):
        language = document_language(request)
        token = _LANGUAGE.set(language)
        try:
            with override(language):
                response = view(request, *args, **kwargs)
        finally:
            _LANGUAGE.reset(token)
        response["Content-Language"] = language
        return response

    return answer


def requested_language() -> str:
    """The language of the document being answered (``in_document_language``); English elsewhere."""
    return _LANGUAGE.get()
