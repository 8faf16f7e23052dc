"""People's names as the registry takes them (a project policy, not a rule of the sources).

A name part (surname, given names, Chinese name) is letters of any script with their combining marks,
spaces, hyphens, apostrophes, periods and the middle dot of transliterated names (安娜·施密特); no digits,
emoji, markup characters or control characters. Each part holds at most ``LIMIT`` characters: a passport's
machine-readable zone holds 39 characters for the whole name (ICAO Doc 9303 Part 4, TD3 line 1) and cuts a
longer one, while the visual zone prints it whole; 40 characters a part (80 for surname and given names
together) leaves room for a visual-zone name the machine-readable zone had to shorten, and keeps receipts
and decisions, which print the name, readable. Every way a person is entered (the web form, the API,
Django's admin) runs the registry's field checks, so this is the one place the rule is stated.
"""

from __future__ import annotations

import unicodedata

from exitentry.law.text import Text
from exitentry.typed_text import JOINERS
from exitentry.typed_text import problem as typed_problem

LIMIT = 40
PUNCTUATION = frozenset(" -'’.·")  # space, hyphen, apostrophes, period, middle dot

_NOT_A_NAME = Text(
    "A name holds letters of any script, spaces, hyphens (-), apostrophes ('), periods (.) and the middle "
    "dot (·) only; remove “{char}”.",
    "姓名只能包含各种文字的字母、空格、连字符（-）、撇号（'）、句点（.）和间隔号（·）；请删除“{char}”。",
)


def problem(value: str) -> Text | None:
    """Why the (normalised) name part ``value`` cannot be stored, or None; an empty one is the field's
    own matter (``typed_text.problem``)."""
    if (why := typed_problem(value, limit=LIMIT, required=False)) is not None:
        return why
    for ch in value:
        if ch not in PUNCTUATION and ch not in JOINERS and unicodedata.category(ch)[0] not in "LM":
            return _NOT_A_NAME.format(char=ch)
    return None
