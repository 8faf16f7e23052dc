"""Whether a text names the document of every article it cites: "…Foreigners, Art. 34", "Civil Code Art. 1259"
or "Art. 35 of the Regulations of …" in English, 《…》第三十四条 in Chinese, and the Regulations and the Law only by their full
official titles in both languages ("… of the People's Republic of China …"; the Law never the "Exit-Entry Law")."""

from __future__ import annotations

import re

_ARTICLE_EN = re.compile(r"\bArts?\. \d+")
_TITLED_EN = re.compile(
    r"(?:Foreigners|Law|Code|China|Memorial Days|\(2004\)),? Arts?\. \d+"
    r"|Arts?\. \d+(?:\(\d+\))?(?: and \d+)? of the (?:Regulations (?:on|of)|Exit and Entry)"
)
# In Chinese an article follows the title's closing bracket, or another article of a list (第一条、第二条).
_BARE_ZH = re.compile(r"(?<![》至、和])第[一二三四五六七八九十百零]+条")
SHORTER_TITLES = ("《外国人入境出境管理条例》", "《出境入境管理法》")
SHORTER_TITLES_EN = (
    "Exit-Entry Law",
    "Regulations on the Administration of the Entry and Exit of Foreigners",
    "Exit and Entry Administration Law, ",
)


def bare(en: str, zh: str) -> list[str]:
    """What in ``en`` and ``zh`` names an article without its document, or a document by a shorter title."""
    found = []
    if len(_ARTICLE_EN.findall(en)) != len(_TITLED_EN.findall(en)) or any(t in en for t in SHORTER_TITLES_EN):
        found.append(en)
    if _BARE_ZH.search(zh) or any(title in zh for title in SHORTER_TITLES):
        found.append(zh)
    return found
