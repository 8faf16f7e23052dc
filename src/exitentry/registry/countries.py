"""Country names for the registry's ISO 3166-1 alpha-3 codes, in the page's language.

People choose and read a nationality or an issuing country by its name; the registry stores the code.
The names and their Chinese translations are pycountry's (the Debian iso-codes data): its common name
where it has one (Bolivia, Iran, Syria: 玻利维亚, 伊朗, 叙利亚), in both languages, and its own short
name otherwise, with the names the mainland uses where that translation differs (``MAINLAND``: a
misspelling, a Taiwan usage), the short English names where the data has only ISO's inverted or formal
one (``SHORT``: "Palestine, State of", "Russian Federation"), and full-width brackets in Chinese; a Chinese list is in pinyin order (pypinyin), as a Chinese reader looks a name up,
not in the order of the characters' codes. China and its
Hong Kong, Macao and Taiwan regions are left out: their residents are not foreigners under the Exit and
Entry Administration Law (Art. 89).
"""

from __future__ import annotations

import gettext
import unicodedata
from functools import cache

import pycountry
from pypinyin import Style, lazy_pinyin

from exitentry.law.text import Text

NOT_FOREIGN = frozenset({"CHN", "HKG", "MAC", "TWN"})
# The names the mainland uses (the Ministry of Foreign Affairs' list of countries) where iso-codes' zh_CN
# translation has another: a misspelling (柬埔塞) or the name used in Taiwan (瓜地马拉).
MAINLAND = {
    "BGD": "孟加拉国",
    "BOL": "玻利维亚",
    "GTM": "危地马拉",
    "KGZ": "吉尔吉斯斯坦",
    "KHM": "柬埔寨",
    "MLT": "马耳他",
    "PYF": "法属波利尼西亚",
    "SGS": "南乔治亚岛和南桑威奇群岛",
}

# The short English names where iso-codes has no common name, only ISO's inverted or formal one.
SHORT = {
    "BRN": "Brunei",
    "COD": "Democratic Republic of the Congo",
    "FSM": "Micronesia",
    "PSE": "Palestine",
    "RUS": "Russia",
    "VGB": "British Virgin Islands",
    "VIR": "United States Virgin Islands",
}


def _chinese(name: str) -> str:
    """A Chinese name with full-width brackets and no spaces around them: 福克兰群岛（马尔维纳斯）."""
    return name.replace(" (", "（").replace("(", "（").replace(") ", "）").replace(")", "）")


@cache
def _names() -> dict[str, Text]:
    chinese = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])

    def zh(c) -> str:
        common = getattr(c, "common_name", None) if c.alpha_3 not in NOT_FOREIGN else None
        translated = chinese.gettext(common) if common else common
        return MAINLAND.get(c.alpha_3) or _chinese(
            translated if translated and translated != common else chinese.gettext(c.name)
        )

    return {
        c.alpha_3: Text(SHORT.get(c.alpha_3) or getattr(c, "common_name", None) or c.name, zh(c))
        for c in pycountry.countries
    }


def _sort_key(name: str, language: str) -> tuple:
    """A name's place in a list: by pinyin (with tones, then the characters) in Chinese, else by its letters
    without their accents, case aside ("Åland" among the A's, "Türkiye" before "Turkmenistan")."""
    if language.startswith("zh"):
        return (lazy_pinyin(name, style=Style.TONE3), name)
    bare = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return (bare.casefold(), name)


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
    return tuple(sorted(rows, key=lambda row: _sort_key(row[1], language)))
