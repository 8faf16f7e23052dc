"""The language switch: it keeps the current page, and on the advisor the answers given so far.

The target address is translated here, in the page's own request: Django's ``set_language`` can only
translate a path in the language active for *its* request, which fails for a page in another language.
A page outside the language prefixes (``/verify/``) may carry its language as ``?lang=``: the switch
changes it too, else it would keep the page in the language switched from.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from django import template
from django.conf import settings
from django.http import QueryDict
from django.urls import translate_url
from django.utils.translation import get_language

register = template.Library()


@register.inclusion_tag("web/_language_switch.html", takes_context=True)
def language_switch(context: template.Context) -> dict[str, object]:
    """Buttons for the other languages; a page that sets ``carry`` posts its answers to the same page."""
    request = context["request"]
    current = get_language()
    carry = context.get("carry")
    others = [
        {"code": code, "name": name, "url": _in(request.get_full_path(), code)}
        for code, name in settings.LANGUAGES
        if code != current
    ]
    return {
        "languages": others,
        "carry": carry,
        "csrf_token": context.get("csrf_token"),
        "oob": context.get("htmx", False),
    }


@register.simple_tag
def here_first() -> list[str]:
    """The languages' codes, the page's first: for a message said in each (``web/_in_each_language.html``)."""
    current = get_language()
    return [current, *(code for code, _ in settings.LANGUAGES if code != current)]


@register.filter
def in_this_language(path: str) -> str:
    """``path`` in the language active where it is rendered (within ``{% language %}``)."""
    return _in(path, get_language())


def _in(path: str, code: str) -> str:
    """``path`` in language ``code``: its prefix translated, and its ``?lang=``, where it has one. A path
    under a language's prefix that names no page (a 404) is given the other prefix all the same: it
    leads to the same page-not-found message in that language."""
    url = urlsplit(_prefixed(path, code))
    query = QueryDict(url.query, mutable=True)
    if "lang" not in query:
        return url.geturl()
    query["lang"] = code
    return urlunsplit(url._replace(query=query.urlencode()))


def _prefixed(path: str, code: str) -> str:
    translated = translate_url(path, code)
    if translated != path:
        return translated
    for prefix in (f"/{other}/" for other, _ in settings.LANGUAGES):
        if path.startswith(prefix):
            return f"/{code}/{path.removeprefix(prefix)}"
    return path


@register.filter
def language_tag(code: str) -> str:
    """Django's lower-case language code as a BCP 47 tag for ``lang``: "zh-hans" is "zh-Hans" (a script
    subtag is title case, a region upper case), so assistive technology picks the right voice."""
    first, *rest = code.split("-")
    subtags = [s.title() if len(s) == 4 else s.upper() if len(s) == 2 else s for s in rest]
    return "-".join([first.lower(), *subtags])
