"""Country names for the registry's ISO 3166-1 alpha-3 codes, in the page's language.

People choose and read a nationality or an issuing country by its name; the registry stores the code.
The names and their Chinese translations are pycountry's (the Debian iso-codes data). China and its
Hong Kong, Macao and Taiwan regions are left out: their residents are not foreigners under the Exit and
Entry Administration Law (Art. 89).
"""

from __future__ import annotations

import gettext
from functools import cache

import pycountry

from exitentry.law.text import Text

NOT_FOREIGN = frozenset({"CHN", "HKG", "MAC", "TWN"})


@cache
def _names() -> dict[str, Text]:
    chinese = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    return {
        c.alpha_3: Text(getattr(c, "common_name", None) or c.name, chinese.gettext(c.name))
        for c in pycountry.countries
    }


def text(code: str) -> Text:
    """The country's name in both languages; the code itself for one the data does not know."""
    return _names().get(code) or Text(code, code)


def name(code: str, language: str) -> str:
    """The country's name in ``language``; the code itself for one the data does not know."""
    return text(code).get(language)


@cache
def choices(language: str) -> tuple[tuple[str, str], ...]:
    """(code, name) for every foreign country, by name in ``language``."""
    rows = [(code, text.get(language)) for code, text in _names().items() if code not in NOT_FOREIGN]
    return tuple(sorted(rows, key=lambda row: row[1]))
