"""People's names as the registry takes them (a project policy, not a rule of the sources).

A name part (surname, given names, Chinese name) is letters of any script with their combining marks,
spaces, hyphens, apostrophes, periods and the middle dot of transliterated names (安娜·施密特); no digits,
emoji, markup characters or control characters. Each part holds at most ``LIMIT`` characters: a passport's
machine-readable zone holds 39 characters for the whole name (ICAO Doc 9303 Part 4, TD3 line 1) and cuts a
longer one, while the visual zone prints it whole, so the registry takes the name as the visual zone
prints it; 100 characters a part holds the long full names people carry (a 69-character surname was
refused at 40). A longer part is refused saying how much the field holds, never telling the person to
shorten their name. Every way a person is entered (the web form, the API,
Django's admin) runs the registry's field checks, so this is the one place the rule is stated.
"""

from __future__ import annotations

import unicodedata

from exitentry.law.text import Text
from exitentry.typed_text import JOINERS
from exitentry.typed_text import problem as typed_problem

LIMIT = 100
PUNCTUATION = frozenset(" -'’.·")  # space, hyphen, apostrophes, period, middle dot

_NOT_A_NAME = Text(
    "A name holds letters of any script, spaces, hyphens (-), apostrophes ('), periods (.) and the middle "
    "dot (·) only; remove “{char}”.",
    "姓名只能包含各种文字的字母、空格、连字符（-）、撇号（'）、句点（.）和间隔号（·）；请删除“{char}”。",
)

_LONGER = Text(
    "The registry holds up to {limit} characters in this field ({given} given). Write the name as the "
    "passport's data page prints it; if that is longer still, use the spelling of its machine-readable lines.",
    "此栏最多可登记{limit}个字符（现为{given}个）。请按护照资料页所印填写姓名；如仍超出，请使用护照机读区的拼写。",
)

_NOT_LATIN = Text(
    "Write the name as the passport's data page prints it, in Latin letters (ICAO Doc 9303); remove “{char}”. "
    "A name in Chinese characters goes in the Chinese name.",
    "请按护照资料页所印的拉丁字母填写姓名（国际民航组织第9303号文件）；请删除“{char}”。中文姓名请填入“中文姓名”一栏。",
)


def not_as_in_passport(value: str) -> Text | None:
    """Why ``value`` is not a name as a passport's data page prints it (its letters in Latin script, ICAO
    Doc 9303), or None; for the fields that ask the name "as in the passport". Modifier letters (category
    Lm) belong to Latin spellings too: Uzbek's ʻ and ʼ (U+02BB, U+02BC) as in "Oʻzbekova"."""
    for ch in value:
        kind = unicodedata.category(ch)
        if kind[0] == "L" and kind != "Lm" and "LATIN" not in unicodedata.name(ch, ""):
            return _NOT_LATIN.format(char=ch)
    return None


def problem(value: str) -> Text | None:
    """Why the (normalised) name part ``value`` cannot be stored, or None; an empty one is the field's
    own matter (``typed_text.problem``)."""
    if (why := typed_problem(value, limit=LIMIT, required=False)) is not None:
        return _LONGER.format(limit=LIMIT, given=len(value)) if len(value) > LIMIT else why
    for ch in value:
        if ch not in PUNCTUATION and ch not in JOINERS and unicodedata.category(ch)[0] not in "LM":
            return _NOT_A_NAME.format(char=ch)
    return None
