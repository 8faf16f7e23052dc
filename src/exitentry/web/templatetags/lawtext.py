"""Template filters that show the law core's values in the page's language.

They only present what the law core says (its bilingual ``Text``, dates, durations, citations); no rule,
fee or time limit is restated here.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language, gettext, ngettext

from exitentry.law import calendar
from exitentry.law.calendar import BEIJING
from exitentry.law.catalog import catalog
from exitentry.law.facts import Duration
from exitentry.law.halls import dated
from exitentry.law.model import PAID_WHEN, Band
from exitentry.law.rules import holding
from exitentry.law.sources import Citation, cite, source
from exitentry.law.sources import cited as cited_text
from exitentry.law.text import Text, day_text
from exitentry.web.labels import CHOICE_FIELDS
from exitentry.web.templatetags.languages import language_tag

register = template.Library()


def _chinese() -> bool:
    return (get_language() or "").startswith("zh")


_FULL_WIDTH = {": ": "：", "; ": "；", ", ": "，", ".": "。", " ": ""}  # Chinese puts no space between pieces


@register.simple_tag
def sep(mark: str) -> str:
    """A separator between two pieces the template joins, in the page's language: ``{% sep ": " %}`` is
    ": " on an English page and the full-width "：" on a Chinese one (also "; ", ", " and "."; " " is none)."""
    return _FULL_WIDTH[mark] if _chinese() else mark


@register.filter
def tr(text: Text | None) -> str:
    """The ``Text`` in the page's language."""
    return text.get(get_language() or "en") if text is not None else ""


# The catalog's notes that say why a checklist's section is empty (the sources do not list the materials,
# nor state the processing time): shown under that section's heading, not among the notes.
PLACED_NOTES = {"materials-not-listed": "materials", "processing-time-not-stated": "time"}


@register.filter
def placed_notes(notes, section: str) -> list:
    """The notes that stand under the checklist's ``section`` (``PLACED_NOTES``)."""
    return [a for a in notes if PLACED_NOTES.get(a.id) == section]


@register.filter
def other_notes(notes) -> list:
    """The notes left for the checklist's notes: those no section takes (``PLACED_NOTES``)."""
    return [a for a in notes if a.id not in PLACED_NOTES]


@register.filter
def paid_when(paid_at: str) -> Text:
    """When a fee line is paid (its ``paid_at``) in words, as the API and the decision say it."""
    return PAID_WHEN[paid_at]


@register.filter
def both(text: Text) -> str:
    """The ``Text`` in Chinese and in English at once, each marked with its language: for what faces
    everyone, whatever the page's language (the hall's queue screen)."""
    return format_html(
        '<span lang="{}">{}</span> <span lang="{}">{}</span>',
        language_tag("zh-hans"),
        text.zh,
        language_tag("en"),
        text.en,
    )


@register.filter
def in_words(value: date) -> Text:
    """A date as words in both languages (``day_text``), for ``both``."""
    return day_text(value)


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")  # CJK ideographs: a name written in Chinese


@register.filter
def name(value: Text | str | None) -> str:
    """A name in the page's language (``Text``, such as ``Unit.names``) or as it is kept (a person's Chinese
    name), marked with ``lang`` where it is in the other language (WCAG 2.2 SC 3.1.2): a name written in
    Chinese on an English page, or one in Latin letters on a Chinese page (a unit's English name where it
    keeps no Chinese one). The one place the pages mark a name's language."""
    shown = tr(value) if isinstance(value, Text) else value or ""
    language = "zh-hans" if _HAN.search(shown) else "en"
    if not shown or _chinese() == language.startswith("zh"):
        return shown
    return format_html('<span lang="{}">{}</span>', language_tag(language), shown)


def _beijing(value: datetime) -> datetime:
    """An aware instant in Beijing time (a naive one is taken as already Beijing time)."""
    return timezone.localtime(value, BEIJING) if timezone.is_aware(value) else value


@register.filter
def bracketed(value: str) -> str:
    """An aside in brackets of the page's language: "（田中宏）" / "(田中宏)"."""
    return format_html("（{}）" if _chinese() else "({})", value) if value else ""


@register.filter
def tr_list(texts) -> str:
    """Several ``Text`` in the page's language, listed: "工作类、学习类" / "work, study"."""
    return ("、" if _chinese() else ", ").join(tr(t) for t in texts)


@register.filter
def day(value: date | None) -> str:
    """A date with its weekday: "2026年12月1日（周二）" or "Tue 1 December 2026"; an instant by its
    Beijing day."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _beijing(value).date()
    return tr(dated(value))


@register.filter
def clock(value: datetime | None) -> str:
    """An instant as its Beijing date and time, as ``day`` with the hour: "2026年12月1日（周二）09:30" or
    "Tue 1 December 2026 09:30"."""
    if value is None:
        return ""
    value = _beijing(value)
    return f"{day(value.date())}{sep(' ')}{value:%H:%M}"


@register.filter
def duration(value: Duration | None) -> str:
    """A duration in words in the page's language: "2 years 6 months" / "2年6个月"."""
    return tr(value.words) if value is not None else ""


@register.filter
def band(value: Band) -> str:
    """A fee band's range in words, e.g. "1 year to under 3 years"."""
    lower, upper = duration(value.lower), duration(value.upper)
    if value.lower is None:
        template_ = gettext("up to %(upper)s") if value.upper_inclusive else gettext("under %(upper)s")
    elif value.upper is None:
        template_ = gettext("%(lower)s or more")
    elif value.upper_inclusive:
        template_ = gettext("%(lower)s to %(upper)s")
    else:
        template_ = gettext("%(lower)s to under %(upper)s")
    return template_ % {"lower": lower, "upper": upper}


@register.filter
def cny(amount: int | None) -> str:
    """An amount of yuan: "800 元" / "CNY 800"."""
    if amount is None:
        return ""
    return gettext("CNY %(amount)s") % {"amount": f"{amount:,}"}


@register.inclusion_tag("web/_cites.html", takes_context=True)
def cites(
    context,
    citations: tuple[Citation | Text, ...] | Citation | str,
    section: str = "",
    one_line: bool = False,
) -> dict[str, object]:
    """The citations of one line, each as its label in the page's language, the full title on hover, set
    apart from each other however many there are: of a line's ``Citation``s, or of one ``section`` of a
    source named by its id (``{% cites "regulations" "Art. 26" %}``, the line under a heading, which a long
    title would otherwise wrap).

    They link to the page's own list of sources where it has one (the guide, the advisor), else to the
    sources page; a citation given as its label alone (a printed document's line) is shown unlinked.
    ``one_line``: each by its source's shortest name (``Citation.one_line_label``), for a badge's line.
    """
    if isinstance(citations, str):
        citations = cite(citations, section)
    items = [
        {
            "source_id": c.source,
            "label": tr(c.one_line_label if one_line else c.label),
            "title": tr(source(c.source).title),
        }
        if isinstance(c, Citation)
        else {"label": tr(c)}
        for c in ((citations,) if isinstance(citations, Citation) else citations)
    ]
    return {"items": items, "sources_page": "" if "sources" in context else reverse("web:sources")}


@register.simple_tag
def provisional_note() -> str:
    """What a provisional date rests on, in the page's language (``law.calendar.PROVISIONAL``)."""
    return tr(calendar.PROVISIONAL.format(years=calendar.THAT_YEAR))


@register.simple_tag
def citation(source_id: str, section: str) -> str:
    """The citation of ``section`` of ``source_id`` as words in the page's language, for a sentence that says
    it ("Regulations of the People's Republic of China on …, Art. 27" / 《中华人民共和国…条例》第二十七条);
    the title is the source's (sources.yaml), never retyped in a template."""
    return tr(cite(source_id, section).label)


@register.simple_tag
def cited(label: str, source_id: str, section: str) -> str:
    """``label`` (translated: ``_("…")``) with its citation in the page's language and its brackets:
    "Reports of units (Regulations of the People's Republic of China on …, Art. 26)" / 单位报告（《…》第二十六条）."""
    return tr(cited_text(Text(label, label), source_id, section))


@register.filter
def choice_field(name: str) -> str:
    """The name of the value a recorded choice is about (halls.yaml ``choices``), translated."""
    return str(CHOICE_FIELDS.get(name, name))


@register.filter
def label(code: str, labels: dict) -> str:
    """The display label of a catalog code (``{{ rule.mode|label:submission_modes }}``)."""
    return str(labels.get(code, code)) if code else ""


@register.filter
def runs_from_change(answer) -> bool:
    """Whether a permit's duty runs from the day its particulars changed (``holding.runs_from_change``)."""
    return holding.runs_from_change(answer)


# How soon a duty's last day is marked near (``due_note``) on the advice answers and the unit's roster, where
# a page passes no ``near`` of its own: a matter of presentation, not a rule of the law.
DUE_NOTE_NEAR_DAYS = 14
# How far off a window's opening is still counted in days; further off, it is given by its day.
WINDOW_IN_DAYS = 60


@register.simple_tag
def due_note(answer, on: date | None, near: int = DUE_NOTE_NEAR_DAYS) -> dict[str, str] | None:
    """Where ``on`` stands against a line's last day: passed, today, near (``near`` calendar days or
    fewer left), or its window not yet open.

    None when the day is far enough ahead to need no mark (or the line has no date)."""
    if on is None or getattr(answer, "due", None) is None:
        return None
    left = (answer.due - on).days
    if left < 0:
        return {"kind": "passed", "text": days_left(left)}
    if left == 0:
        return {"kind": "today", "text": days_left(left)}
    opens = answer.window_from
    if opens is not None and on < opens:
        n = (opens - on).days
        if n > WINDOW_IN_DAYS:  # "opens in 3604 days" says nothing: the day it opens does
            return {"kind": "later", "text": gettext("opens on %(day)s") % {"day": day(opens)}}
        return {"kind": "later", "text": ngettext("opens in %(n)d day", "opens in %(n)d days", n) % {"n": n}}
    if left <= near:
        return {"kind": "near", "text": days_left(left)}
    return None


@register.filter
def days_left(left: int | None) -> str:
    """Days to a last day, one wording for every page: "9 days left" / "还剩9天", "the last day is today",
    "passed 3 days ago" / "已过3天"."""
    if left is None:
        return ""
    if left < 0:
        return ngettext("passed %(n)d day ago", "passed %(n)d days ago", -left) % {"n": -left}
    if left == 0:
        return gettext("the last day is today")
    return ngettext("%(n)d day left", "%(n)d days left", left) % {"n": left}


@register.inclusion_tag("web/_see.html")
def see(procedure_id: str | None) -> dict[str, object]:
    """The link a rule line gives to another procedure's guide (``Rule.see``), named by its title; nothing
    for a line without one (an obligation has no ``see``: the template gives "")."""
    if not procedure_id:
        return {}
    return {
        "href": reverse("web:guide", args=[procedure_id]),
        "title": catalog().procedure(procedure_id).title,
    }
