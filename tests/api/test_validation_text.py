"""The validator's messages in Chinese: a list of choices is joined as Chinese joins it (、 and 或), each
choice in Chinese quotation marks and the empty one in words."""

from __future__ import annotations

import pytest

from exitentry.api.validation_text import validation_text


@pytest.mark.parametrize(
    "expected, zh",
    [
        ("'', '30', '60', '90', 'expired' or 'void'", "留空、“30”、“60”、“90”、“expired”或“void”"),
        ("'a' or 'b'", "“a”或“b”"),
        ("'only'", "“only”"),
        ("'a, b' or 'c'", "“a, b”或“c”"),  # a comma inside a choice is the choice's own
        ("\"it's\" or 'b'", "“it's”或“b”"),  # a choice with a quote, as Python writes it
        ("1, 2 or 3", "1、2或3"),
    ],
)
def test_the_choices_are_joined_in_chinese(expected, zh) -> None:
    for kind in ("literal_error", "enum"):
        text = validation_text(
            {"type": kind, "msg": f"Input should be {expected}", "ctx": {"expected": expected}}
        )
        assert text.zh == f"此项须为以下之一：{zh}。"
        assert " or " not in text.zh
