"""Bilingual text: every user-facing string in the law core is held in Simplified Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from string import Formatter

LANGUAGES = ("en", "zh")
# The English month names, fixed: strftime's %B names them in the process's LC_TIME locale.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True, slots=True)
class Text:
    en: str
    zh: str

    def get(self, language: str) -> str:
        """The text in ``language`` ("zh", "zh-hans" or "en"); English for anything else."""
        return self.zh if language.startswith("zh") else self.en

    def format(self, **values: object) -> Text:
        """Fill the placeholders of both languages; a ``Text`` value gives each language its own side."""
        en = {k: v.en if isinstance(v, Text) else v for k, v in values.items()}
        zh = {k: v.zh if isinstance(v, Text) else v for k, v in values.items()}
        return Text(self.en.format(**en), self.zh.format(**zh))

    def names(self, language: str | None = None) -> frozenset[str]:
        """The placeholders the text names (``{working_days}``), in one language or in either."""
        sides = (self.get(language),) if language else (self.en, self.zh)
        return frozenset(name for side in sides for _, name, _, _ in Formatter().parse(side) if name)

    def as_dict(self) -> dict[str, str]:
        return {"en": self.en, "zh": self.zh}

    @classmethod
    def parse(cls, raw: object, where: str) -> Text:
        """A Text from catalog data: a mapping with both ``en`` and ``zh``."""
        if not isinstance(raw, dict) or not raw.get("en") or not raw.get("zh"):
            raise ValueError(f"{where}: text needs both 'en' and 'zh', got {raw!r}")
        return cls(str(raw["en"]).strip(), str(raw["zh"]).strip())


def day_text(value: date) -> Text:
    """A date as a message in both languages writes it: "14 March 1988" / "1988年3月14日"."""
    return Text(
        f"{value.day} {MONTHS[value.month - 1]} {value.year}", f"{value.year}年{value.month}月{value.day}日"
    )


def continued(sentence: str) -> str:
    """A sentence carried on after a colon or another word, in English: its first letter in lower case
    where its first word is capitalised only at its start ("The applicant is ..." -> "the applicant is
    ...", "Paid in full" -> "paid in full"); a word in capitals or with a capital inside ("PR", "CNY",
    "IDs", "Exit-Entry") and "I" stay as written. Chinese has no case and passes unchanged."""
    first = sentence.split(" ", 1)[0]
    if first[:1].isupper() and first != "I" and not any(c.isupper() for c in first[1:]):
        return sentence[0].lower() + sentence[1:]
    return sentence
