"""A label or message of the .po catalogues in both languages, whatever the request's language: for a
``Text`` (an error that names a field, an API answer that gives both); and a lazy label with its citation."""

from __future__ import annotations

from django.utils.functional import Promise, lazy
from django.utils.translation import get_language, gettext, override

from exitentry.law.sources import cited as cited_text
from exitentry.law.text import Text


def in_both(label: str | Promise) -> Text:
    """``label`` (a msgid, or a lazy translation such as a choice's label) in English and in Chinese."""
    with override("en"):
        en = gettext(label) if isinstance(label, str) else str(label)
    with override("zh-hans"):
        return Text(en, gettext(label) if isinstance(label, str) else str(label))


def cny(amount: int) -> Text:
    """An amount of yuan in both languages as the pages write it (the ``cny`` filter's words):
    "CNY 1,500" / "1,500元"."""
    return in_both_with("CNY %(amount)s", amount=f"{amount:,}")


def in_both_with(label: str, **values: object) -> Text:
    """``label`` (a msgid with ``%(name)s`` placeholders) in English and in Chinese, filled with ``values``."""
    both = in_both(label)
    return Text(both.en % values, both.zh % values)


def cited(label: str | Promise, source_id: str, section: str) -> Promise:
    """``label`` (a lazy translation) with the law core's citation of the document and article, in the
    active language and its brackets: "Declared void (Regulations on the …, Art. 34)" /
    "宣布作废（《中华人民共和国外国人入境出境管理条例》第三十四条）". For a model's choices and help texts,
    which must stay lazy; the title is the source's (``sources.yaml``), never retyped."""
    return _cited_lazily(label, source_id, section)


def _cited_now(label: str | Promise, source_id: str, section: str) -> str:
    said = str(label)  # already in the active language
    return cited_text(Text(said, said), source_id, section).get(get_language() or "en")


_cited_lazily = lazy(_cited_now, str)
