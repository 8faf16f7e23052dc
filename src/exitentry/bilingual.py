"""A label or message of the .po catalogues in both languages, whatever the request's language: for a
``Text`` (an error that names a field, an API answer that gives both)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext, override

from exitentry.law.text import Text


def in_both(label: str | Promise) -> Text:
    """``label`` (a msgid, or a lazy translation such as a choice's label) in English and in Chinese."""
    with override("en"):
        en = gettext(label) if isinstance(label, str) else str(label)
    with override("zh-hans"):
        return Text(en, gettext(label) if isinstance(label, str) else str(label))
