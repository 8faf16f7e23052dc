"""Text people type, as it is stored and compared: Unicode NFC, trimmed, without control characters.

``normal`` is what is stored; ``problem`` says, in both languages, why a value is refused (empty or only
spaces, a control or bidirectional-override character, longer than its field), so nothing is cut silently.
"""

from __future__ import annotations

import unicodedata

from django.utils.translation import get_language

from exitentry.law.text import Text

# Zero-width non-joiner and joiner are parts of names written in Arabic, Persian and Indic scripts.
JOINERS = frozenset("\u200c\u200d")
_LINE_BREAKS = frozenset("\n\t")
_EMPTY = Text("Fill this in: it cannot be empty or only spaces.", "此项必填，不能为空或仅含空格。")
_CONTROL = Text(
    "Remove the control or invisible formatting characters (character U+{code:04X}).",
    "请删除其中的控制字符或不可见格式字符（字符 U+{code:04X}）。",
)
_TOO_LONG = Text(
    "Shorten this to at most {limit} characters ({given} given).", "最多{limit}个字符（现为{given}个）。"
)


def normal(value: str) -> str:
    """``value`` as it is stored: NFC (so "é" typed either way is the same name) and trimmed."""
    return unicodedata.normalize("NFC", value).strip()


def problem(value: str, *, limit: int, required: bool = True, lines: bool = False) -> Text | None:
    """Why the (normalised) ``value`` cannot be stored, or None; ``lines`` lets a note hold line breaks."""
    if not value:
        return _EMPTY if required else None
    for ch in value:
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf", "Cs", "Co") and ch not in JOINERS and not (lines and ch in _LINE_BREAKS):
            return Text(_CONTROL.en.format(code=ord(ch)), _CONTROL.zh.format(code=ord(ch)))
    if len(value) > limit:
        return _TOO_LONG.format(limit=limit, given=len(value))
    return None


class Localized:
    """A ``Text`` as a Django error message: its language is the active one when it is shown (so one
    error reads in English and in Chinese under ``translation.override``)."""

    def __init__(self, text: Text):
        self.text = text

    def __str__(self) -> str:
        return self.text.get(get_language() or "en")
