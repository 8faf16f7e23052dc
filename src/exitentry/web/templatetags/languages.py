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


def _in(path: str, code: str) -> str:
    """``path`` in language ``code``: its prefix translated, and its ``?lang=``, where it has one."""
    url = urlsplit(translate_url(path, code))
    query = QueryDict(url.query, mutable=True)
    if "lang" not in query:
        return url.geturl()
    query["lang"] = code
    return urlunsplit(url._replace(query=query.urlencode()))


@register.filter
def language_tag(code: str) -> str:
    """Django's lower-case language code as a BCP 47 tag for ``lang``: "zh-hans" is "zh-Hans" (a script
    subtag is title case, a region upper case), so assistive technology picks the right voice."""
    first, *rest = code.split("-")
    subtags = [s.title() if len(s) == 4 else s.upper() if len(s) == 2 else s for s in rest]
    return "-".join([first.lower(), *subtags])
