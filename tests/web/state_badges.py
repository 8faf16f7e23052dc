"""Reading a permit's state badge off a page: its words, and the citation linked after it."""

from __future__ import annotations

import re


def badge(fragment: str) -> str:
    """The words of the first state badge in ``fragment`` (its mark left out)."""
    said = re.search(r'<strong class="permit-state [^"]*">(.*?)</strong>', fragment, re.S).group(1)
    return re.sub(r'<span class="mark"[^>]*>.*?</span>', "", said).strip()


def badge_cite(fragment: str) -> str:
    """The linked citation that follows the first state badge in ``fragment`` (a space apart in English, none
    in Chinese)."""
    after = fragment[fragment.index("</strong>") :]
    return re.match(
        r'</strong> ?<span class="cites"><a class="cite" href="[^"]*" title="[^"]*">([^<]*)</a>', after
    ).group(1)
