"""Reading the strings the sources mark for translation, and pruning the catalogue entries none marks."""

from __future__ import annotations

import polib
from django.template import Context, Template
from django.utils.translation import override

from exitentry.web.i18n import LOCALE_DIR
from exitentry.web.marked_strings import marked_in_python, marked_in_template, prune

PYTHON = """
from django.utils import translation
from django.utils.translation import gettext as _, gettext_lazy, gettext_noop, ngettext, pgettext_lazy
from exitentry.law.text import Text

LABEL = gettext_lazy("Queue")
ISSUED = pgettext_lazy("permit event", "Issued")
_("Now calling")
translation.gettext("Ticket")
gettext_noop("Tick the box to confirm.")
ngettext("%(n)d day left", "%(n)d days left", 3)
_(LABEL)
Text("Not a catalogue string", "不是")
"""

TEMPLATE = """{% load i18n %}
<th>{% translate "Time" context "time of day" %}</th>
<p>{% blocktranslate trimmed with counters=counters %}
  Open counters in this hall:
  {{ counters }}.
{% endblocktranslate %}</p>
<td>{% blocktranslate count n=days %}{{ n }} day{% plural %}{{ n }} days{% endblocktranslate %}</td>
<p>{{ nothing|default:_("No unread reminders.") }}</p>
"""


def test_the_python_strings_are_the_literals_handed_to_gettext():
    assert marked_in_python(PYTHON) == {
        (None, "Queue"),
        ("permit event", "Issued"),
        (None, "Now calling"),
        (None, "Ticket"),
        (None, "Tick the box to confirm."),
        (None, "%(n)d day left"),
    }


def test_the_template_strings_are_those_django_looks_up_when_it_renders():
    keys = marked_in_template(TEMPLATE)
    assert keys == {
        ("time of day", "Time"),
        (None, "Open counters in this hall: %(counters)s."),
        (None, "%(n)s day"),
        (None, "No unread reminders."),
    }
    chinese = {(e.msgctxt, e.msgid) for e in polib.pofile(str(LOCALE_DIR / "zh_Hans/LC_MESSAGES/django.po"))}
    assert keys <= chinese
    with override("zh-hans"):
        html = Template(TEMPLATE).render(Context({"counters": "1, 2", "days": 3, "nothing": ""}))
    for english in ("Time", "Open counters", "days", "No unread"):
        assert english not in html


HEADER = '# A catalogue\nmsgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
BEFORE = (
    HEADER
    + 'msgid "Kept"\nmsgstr "留"\n\n'
    + '#, python-format\nmsgid ""\n"Gone on %(day)s, a long "\n"one"\nmsgstr ""\n"去了"\n\n'
    + 'msgctxt "time of day"\nmsgid "Time"\nmsgstr "时刻"\n\n'
    + 'msgid "Time"\nmsgstr "时间"\n\n'
    + "# --- helper ---\n"
    + 'msgid "First of a block, gone"\nmsgstr "去"\n\n'
    + 'msgid "%(n)s day"\nmsgid_plural "%(n)s days"\nmsgstr[0] "%(n)s天"\n\n'
    + 'msgid "Last, gone"\nmsgstr "去"\n'
)
AFTER = (
    HEADER
    + 'msgid "Kept"\nmsgstr "留"\n\n'
    + 'msgid "Time"\nmsgstr "时间"\n\n'
    + "# --- helper ---\n\n"
    + 'msgid "%(n)s day"\nmsgid_plural "%(n)s days"\nmsgstr[0] "%(n)s天"\n'
)


def test_pruning_removes_the_entries_lines_and_leaves_every_other_line_as_it_was(tmp_path):
    po_path = tmp_path / "django.po"
    po_path.write_text(BEFORE, encoding="utf-8")
    gone = {(None, "Gone on %(day)s, a long one"), ("time of day", "Time"), (None, "First of a block, gone")}
    assert prune(po_path, gone | {(None, "Last, gone"), (None, "Never there")}) == 4
    assert po_path.read_text(encoding="utf-8") == AFTER
    kept = polib.pofile(str(po_path))
    assert [(e.msgctxt, e.msgid, e.msgstr or e.msgstr_plural[0]) for e in kept] == [
        (None, "Kept", "留"),
        (None, "Time", "时间"),
        (None, "%(n)s day", "%(n)s天"),
    ]
    assert kept.metadata["Content-Type"] == "text/plain; charset=UTF-8"
