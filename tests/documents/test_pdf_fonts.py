"""The names people have print as written: every character the documents show is set in a font embedded in
the PDF that has a glyph for it. Checked by reading the PDF as a viewer does (pypdf): each text-showing
operator's codes, looked up in the embedded font program itself (fontTools) and in its ToUnicode map."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream

from exitentry.documents.pdf import render_decision, render_deficiency_notice, render_receipt

from .test_pdf import decision, notice, party, receipt

NAMES = {
    "Cyrillic": ("Иванова Мария Сергеевна", "伊玛丽"),
    "Arabic": ("فاطمة حداد", "哈法蒂"),
    "Vietnamese": ("Nguyễn Thị Minh Khai", "阮氏明开"),
    "Chinese": ("Zhāng Wěi", "张伟"),
}
RENDER = {
    "receipt": (render_receipt, receipt),
    "notice": (render_deficiency_notice, notice),
    "decision": (render_decision, decision),
}


def _to_unicode(font) -> dict[int, str]:
    """A simple font's ToUnicode CMap: code -> text (reportlab writes bfchar entries)."""
    data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    table = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            chars = bytes.fromhex(text).decode("utf-16-be")
            if chars != "\0":
                table[int(code, 16)] = chars
    return table


def shown(pdf: bytes) -> list[tuple[str, int, int, str]]:
    """Every character code the pages show: (font name, code, glyph id in the embedded font, its text)."""
    reader = PdfReader(io.BytesIO(pdf))
    out = []
    for page in reader.pages:
        fonts = {name: ref.get_object() for name, ref in page["/Resources"]["/Font"].items()}
        programs, unicode = {}, {}
        current = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                current = operands[0]
                continue
            if operator not in (b"Tj", b"TJ", b"'", b'"'):
                continue
            strings = operands[0] if operator == b"TJ" else operands[-1:]
            for string in strings:
                if isinstance(string, int | float):
                    continue
                codes = (
                    string.get_original_bytes() if hasattr(string, "get_original_bytes") else bytes(string)
                )
                if not codes:
                    continue
                font = fonts[current]
                descriptor = font.get("/FontDescriptor")
                assert descriptor is not None and "/FontFile2" in descriptor.get_object(), (
                    f"{font['/BaseFont']} is not embedded"
                )
                if current not in programs:
                    program = TTFont(io.BytesIO(descriptor.get_object()["/FontFile2"].get_data()))
                    programs[current] = program["cmap"].getcmap(1, 0).cmap, program.getGlyphOrder()
                    unicode[current] = _to_unicode(font)
                cmap, order = programs[current]
                for code in codes:
                    glyph = cmap.get(code, ".notdef")
                    out.append(
                        (str(font["/BaseFont"]), code, order.index(glyph), unicode[current].get(code, ""))
                    )
    return out


def arabic_line(pdf: bytes) -> str:
    """The text pypdf reads off the page in the Arabic font, as a viewer's copy would give it."""
    found = []

    def visit(text, cm, tm, font, size) -> None:
        if font and "Arabic" in str(font.get("/BaseFont")) and text.strip():
            found.append(text.strip())

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return " ".join(found)


@pytest.mark.parametrize("kind", list(RENDER))
@pytest.mark.parametrize("script", list(NAMES))
def test_every_character_shown_has_a_glyph_in_an_embedded_font(script: str, kind: str) -> None:
    name, chinese = NAMES[script]
    render, make = RENDER[kind]
    pdf = render(
        make(applicant=party(name=name, chinese_name=chinese)), token="tok", base_url="https://bj.example.cn"
    )
    codes = shown(pdf)
    notdef = [(font, hex(code)) for font, code, glyph, _ in codes if glyph == 0]
    assert notdef == [], f"codes drawn as .notdef: {notdef[:10]}"
    fonts = {font.split("+", 1)[-1] for font, *_ in codes}
    assert fonts <= {"NotoSans-Regular", "NotoSans-Bold", "NotoSansArabic-Regular", "NotoSansCJKsc-Regular"}
    text = "".join(t for *_, t in codes)
    assert chinese in text
    if script == "Arabic":
        # shaped: the letters in their joined forms and ligatures (Arabic Presentation Forms; NFKC takes
        # them back to the letters), the words laid out right to left, so read off the line from the left
        # they come last word first
        arabic = [t for f, _, _, t in codes if "Arabic" in f and t.strip()]
        assert arabic and all(unicodedata.name(t).startswith("ARABIC") for t in arabic)
        assert any("FORM" in unicodedata.name(t) for t in arabic)  # initial, medial, final forms
        line = arabic_line(pdf)
        assert unicodedata.normalize("NFKC", line) == " ".join(reversed(name.split()))
    else:
        assert name in text


def test_a_name_no_embedded_font_has_falls_back_to_the_readers_cjk_font_not_to_a_box() -> None:
    """A hanzi outside GB 2312 (here 㐀, CJK Extension A): STSong-Light, which the reader supplies."""
    pdf = render_receipt(receipt(applicant=party(chinese_name="王㐀")), token="tok", base_url="https://x.cn")
    reader = PdfReader(io.BytesIO(pdf))
    names = {str(ref.get_object()["/BaseFont"]) for ref in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any(n.startswith("/STSong-Light") for n in names)
    assert "王㐀" in reader.pages[0].extract_text()
