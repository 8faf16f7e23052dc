"""A citation as people read it: the document's short title and the article or section, in both languages.

The catalog writes a section the English way ("Art. 16(5)", "Art. 19 para. 2", "Arts. 200–204",
"Materials (family) b.i"). Articles are put into Chinese by rule, the way Chinese statutes number them
(第十六条第（五）项, 第十九条第二款, 第二百条至第二百零四条); a guide's headings, and remarks such as
"(no fee is stated)", are put into Chinese from the source's own ``sections`` in sources.yaml, any
trailing item numbering carried over. A guide's lettered item is set apart in brackets, the guide's own
markers, in both languages: "Materials (family), item (b)(i)" / 申请材料（探亲）（b）（i）. A section with no
Chinese name is an error (``UnnamedSection``), so the catalog refuses to load rather than print English
on a Chinese page.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from exitentry.law.text import Text

if TYPE_CHECKING:
    from exitentry.law.sources import Source

_DIGITS = "零一二三四五六七八九"
_UNITS = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

_ITEMS = r"\((?P<item>\d+)\)(?:\s*[–-]\s*\((?P<item_to>\d+)\))?"
_ARTICLE = re.compile(
    rf"^Arts?\. (?P<art>\d+)(?:\s*[–-]\s*(?P<art_to>\d+))?(?: para\. (?P<para>\d+))?(?:{_ITEMS})?$"
)
_CHAPTER = re.compile(r"^Chapter (?P<roman>[IVXLC]+)$")
_TRAILING_ITEM = re.compile(
    r"^(?P<body>.*\S) (?P<item>\d+|\(\d+\)(?:\s*[–-]\s*\(\d+\))?|[a-z](?:\.[ivx]+)?)$"
)
# A guide's lettered sub-item, as the catalog writes it ("4. How to apply b", "Materials (family) b.i"):
# the guides mark them "a." under a heading and "i." under a letter.
_LETTERED_ITEM = re.compile(r"^(?P<body>.*\S) (?P<letter>[a-z])(?:\.(?P<sub>[ivx]+))?$")
_TRAILING_REMARK = re.compile(r"^(?P<body>.*\S) \((?P<remark>[^()]+)\)$")


class UnnamedSection(LookupError):
    """A cited section that cannot be said in Chinese: add its heading to the source's ``sections``."""


def chinese_number(n: int) -> str:
    """``n`` (1 to 9999) in Chinese numerals as statutes write them: 十八, 一百一十, 二百零四, 一千二百五十九."""
    if not 0 < n < 10000:
        raise ValueError(f"article numbers run from 1 to 9999, not {n}")
    out, pending_zero = [], False
    for value, unit in _UNITS:
        digit, n = divmod(n, value)
        if digit:
            if pending_zero:
                out.append("零")
            out.append(_DIGITS[digit] + unit)
            pending_zero = False
        elif out:
            pending_zero = True
    said = "".join(out)
    return said[1:] if said.startswith("一十") else said  # 十八, not 一十八


def article_zh(locator: str) -> str | None:
    """An article locator ("Art. 16(5)", "Art. 19 para. 2", "Arts. 200–204", "Chapter III") in Chinese.

    None when ``locator`` is not one, so the caller can try the source's headings instead.
    """
    if m := _CHAPTER.match(locator):
        return f"第{chinese_number(_roman(m['roman']))}章"
    m = _ARTICLE.match(locator)
    if m is None:
        return None
    said = f"第{chinese_number(int(m['art']))}条"
    if m["art_to"]:
        said += f"至第{chinese_number(int(m['art_to']))}条"
    if m["para"]:
        said += f"第{chinese_number(int(m['para']))}款"
    if m["item"]:
        said += f"第（{chinese_number(int(m['item']))}）项"
        if m["item_to"]:
            said += f"至第（{chinese_number(int(m['item_to']))}）项"
    return said


def section_zh(section: str, headings: dict[str, str]) -> str:
    """``section`` in Chinese: an article by rule, a heading or remark from ``headings``, items carried over.

    ``UnnamedSection`` when some part of it has no Chinese name.
    """
    if section in headings:
        return headings[section]
    said = article_zh(section)
    if said is not None:
        return said
    if m := _TRAILING_ITEM.match(section):
        return section_zh(m["body"], headings) + _item_zh(m["item"])
    if (m := _TRAILING_REMARK.match(section)) and m["remark"] in headings:
        return f"{section_zh(m['body'], headings)}（{headings[m['remark']]}）"
    raise UnnamedSection(f"no Chinese name for {section!r}")


def section_en(section: str) -> str:
    """``section`` as an English reader reads it: a guide's lettered item set apart from its heading
    ("4. How to apply b" → "4. How to apply, item (b)"; "Materials (family) b.i" → "…, item (b)(i)");
    any other section as the catalog writes it."""
    if (m := _LETTERED_ITEM.match(section)) and article_zh(section) is None:
        return f"{m['body']}, item {_lettered(m['letter'], m['sub'])}"
    return section


@cache
def label(src: Source, section: str, *, one_line: bool = False) -> Text:
    """The citation in both languages: "Regulations …, Art. 18" / 《中华人民共和国外国人入境出境管理条例》第十八条;
    ``one_line``: by the source's shortest name (``Source.one_line``) where it has one.

    A citation that was not checked on loading (the holiday notices' whole-document citation, one read
    back from an old record) and has no Chinese section name is named in Chinese by its title alone.
    """
    name = (src.one_line if one_line else None) or src.short_title or src.title
    said = section_label(src, section)
    return Text(f"{name.en}, {said.en}", f"《{name.zh}》{said.zh}")


@cache
def section_label(src: Source, section: str) -> Text:
    """The article or section alone, as ``label`` says it: "4. How to apply, item (b)" / 四、办理方式（b）;
    empty in Chinese for a section with no Chinese name (see ``label``)."""
    try:
        zh = section_zh(section, dict(src.sections))
    except UnnamedSection:
        zh = ""
    return Text(section_en(section), zh)


def _item_zh(item: str) -> str:
    """A guide's item number in Chinese typography: "4" → 第4项, "(5)" → （5）, the lettered "b.i" → （b）（i）."""
    if item.isdigit():
        return f"第{item}项"
    if item[0].isalpha():
        letter, _, sub = item.partition(".")
        return _lettered(letter, sub).replace("(", "（").replace(")", "）")
    return re.sub(r"\s*[–-]\s*", "至", item).replace("(", "（").replace(")", "）")


def _lettered(letter: str, sub: str | None) -> str:
    """A lettered item and its roman sub-item in brackets, the guide's own markers: "(b)", "(b)(i)"."""
    return f"({letter})" + (f"({sub})" if sub else "")


def _roman(numeral: str) -> int:
    values = [_ROMAN[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
