"""What a Chinese page's text must not hold: a half-width bracket, colon, semicolon, comma or question mark
where Chinese is written, or a space around a full-width bracket or a quotation mark in Chinese, after a
full-width sentence or clause mark (。，、；：！？) or a closing bracket, or before an opening one (``{% sep %}``
and ``|bracketed`` in the templates write them)."""

from __future__ import annotations

import re

HAN = "\u4e00-\u9fff"
STRAY = re.compile(
    rf"[{HAN}）][ \u00a0]+\(|[\w）][ \u00a0]+（"  # a space before a bracket after Chinese, or before a full-width one
    rf"|[（(]\s|\s）"  # a space inside a full-width bracket
    rf"|\([^()<]*[{HAN}][^()<]*\)"  # Chinese in half-width brackets
    r"|[。，、；：！？）」』》][ \u00a0]+[^\s·]"  # a space after a full-width mark or closing bracket (" · " parts items)
    r"|\S[ \u00a0]+[「『《]"  # a space before a full-width opening bracket
    rf"|[{HAN}）]:"  # a half-width colon after Chinese
    rf"|[{HAN}）][;,?]|[;,?] ?[{HAN}（]"  # a half-width semicolon, comma or question mark touching Chinese
    rf"|\(\d+\)\s*[{HAN}]"  # an item numbered "(1)" before Chinese: the law writes "（一）"
    rf"|[{HAN}，。：；、）][ \u00a0]+[“‘]|[”’][ \u00a0]+[{HAN}，。：；、（]"  # a space around a quote in Chinese
    rf"|[。！？][ \u00a0]+[{HAN}（“]"  # a space after a full-width full stop, before the next sentence
)


def stray(response, *, whole: bool = False) -> list[str]:
    """The places the page's text (its markup taken out) breaks the rules above: in its ``<main>``, or
    ``whole`` (its header and footer too)."""
    assert response.status_code == 200
    page = response.content.decode()
    body = page[page.index("<main") :] if "<main" in page and not whole else page
    text = re.sub(r"<(script|style)\b.*?</\1>", "", body, flags=re.S)
    text = re.sub(r"<[^>]+>", "", text)
    return [m.group(0) for m in STRAY.finditer(text)]
