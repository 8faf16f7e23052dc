"""Make the fonts in this folder from Debian's Noto packages (run by hand; not used at run time).

The PDFs embed four fonts, all SIL Open Font License 1.1 (``OFL.txt``), none with a Reserved Font Name:

- ``NotoSans-Regular.ttf``, ``NotoSans-Bold.ttf``: Latin with every diacritic (Vietnamese too), Greek
  and Cyrillic, from ``fonts-noto-core``;
- ``NotoSansArabic-Regular.ttf``: Arabic, Persian and Urdu letters with the tables a shaper needs
  (GSUB, GPOS), from ``fonts-noto-core``;
- ``NotoSansSC-Regular.ttf``: Noto Sans CJK SC from ``fonts-noto-cjk``, cut to GB 2312 (its 6,763 hanzi
  and its symbols), the CJK punctuation and the full-width forms, its CFF outlines converted to TrueType
  ones (reportlab embeds TrueType outlines only). A rarer character falls back to STSong-Light, the CJK
  font a PDF reader supplies (``documents.pdf``).

Hinting is dropped (the PDFs are printed and read zoomed, not shown at small pixel sizes), which with
the cut keeps the four files at about 2.5 MB. With fontTools installed (``pip install fonttools``)::

    apt-get download fonts-noto-core fonts-noto-cjk && for d in *.deb; do dpkg-deb -x "$d" x; done
    python src/exitentry/documents/fonts/build.py x/usr/share/fonts

The files committed were made from fonts-noto-core 20201225-1 and fonts-noto-cjk 1:20220127+repack1-1
(Debian 12) with fontTools 4.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

LATIN = [
    (0x0020, 0x024F),  # Basic Latin, Latin-1, Latin Extended-A and -B
    (0x0250, 0x036F),  # IPA, spacing modifiers, combining diacritics
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x052F),  # Cyrillic and its supplement
    (0x1AB0, 0x1AFF),  # combining diacritics extended
    (0x1DC0, 0x1EFF),  # combining supplement, Latin Extended Additional (Vietnamese)
    (0x1F00, 0x1FFF),  # Greek extended
    (0x2000, 0x20CF),  # punctuation, super- and subscripts, currency
    (0x2100, 0x218F),  # letterlike symbols, number forms
    (0x2C60, 0x2C7F),  # Latin Extended-C
    (0x2DE0, 0x2DFF),  # Cyrillic Extended-A
    (0xA640, 0xA69F),  # Cyrillic Extended-B
    (0xA720, 0xA7FF),  # Latin Extended-D
    (0xAB30, 0xAB6F),  # Latin Extended-E
    (0xFB00, 0xFB06),  # Latin ligatures
]


def _ranges(pairs: list[tuple[int, int]]) -> set[int]:
    return {c for lo, hi in pairs for c in range(lo, hi + 1)}


def gb2312() -> set[int]:
    found = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):  # a gap in the table
                found.add(ord(bytes([row, cell]).decode("gb2312")))
    return found


def _subset(font, unicodes: set[int], *, layout: bool) -> None:
    from fontTools import subset

    options = subset.Options()
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.layout_features = ["*"] if layout else []
    options.drop_tables += ["VORG", "vhea", "vmtx", "BASE"] + ([] if layout else ["GSUB", "GPOS", "GDEF"])
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)


def _cff_to_truetype(font) -> None:
    """CFF (cubic) outlines to TrueType (quadratic) ones, as fontTools' otf2ttf recipe does."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["head"].glyphDataFormat = 0
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    del font["CFF "]
    font.sfntVersion = "\0\1\0\0"


def main(fonts_dir: str) -> None:
    from fontTools.ttLib import TTCollection, TTFont

    root = Path(fonts_dir)
    for name in ("NotoSans-Regular", "NotoSans-Bold"):
        font = TTFont(root / "truetype/noto" / f"{name}.ttf")
        _subset(font, _ranges(LATIN), layout=True)
        font.save(HERE / f"{name}.ttf")
    arabic = TTFont(root / "truetype/noto/NotoSansArabic-Regular.ttf")
    _subset(arabic, set(arabic.getBestCmap()), layout=True)
    arabic.save(HERE / "NotoSansArabic-Regular.ttf")
    cjk = TTCollection(root / "opentype/noto/NotoSansCJK-Regular.ttc").fonts[2]  # the SC face
    assert cjk["name"].getDebugName(4) == "Noto Sans CJK SC"
    _subset(cjk, gb2312() | _ranges([(0x20, 0x7E), (0x3000, 0x303F), (0xFF00, 0xFFEF)]), layout=False)
    _cff_to_truetype(cjk)
    cjk.save(HERE / "NotoSansSC-Regular.ttf")
    for path in sorted(HERE.glob("*.ttf")):
        print(f"{path.name}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(*sys.argv[1:])
