"""The request validator's (pydantic's) messages in Chinese, by the kind of error it names, so every
422 says in both languages what is wrong with a field."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping

from exitentry.law.text import Text

# pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/) -> Chinese, with the
# error's context values by name.
_ZH = {
    "missing": "缺少此项。",
    "extra_forbidden": "不接受此项。",
    "string_type": "此项须为文字。",
    "string_too_short": "此项至少须有{min_length}个字符。",
    "string_too_long": "此项最多{max_length}个字符。",
    "string_pattern_mismatch": "此项的格式不符合要求（{pattern}）。",
    "int_type": "此项须为整数。",
    "int_parsing": "此项须为整数。",
    "int_from_float": "此项须为整数，不能带小数。",
    "float_type": "此项须为数字。",
    "float_parsing": "此项须为数字。",
    "bool_type": "此项须为是或否（true/false）。",
    "bool_parsing": "此项须为是或否（true/false）。",
    "greater_than": "此项须大于{gt}。",
    "greater_than_equal": "此项须不小于{ge}。",
    "less_than": "此项须小于{lt}。",
    "less_than_equal": "此项须不大于{le}。",
    "date_type": "此项须为日期（年-月-日）。",
    "date_parsing": "此项须为日期（年-月-日）。",
    "date_from_datetime_parsing": "此项须为日期（年-月-日）。",
    "date_from_datetime_inexact": "此项须为日期，不含时间。",
    "datetime_type": "此项须为日期时间（ISO 8601）。",
    "datetime_parsing": "此项须为日期时间（ISO 8601）。",
    "datetime_from_date_parsing": "此项须为日期时间（ISO 8601）。",
    "enum": "此项须为以下之一：{expected}。",
    "literal_error": "此项须为以下之一：{expected}。",
    "dict_type": "此项须为对象。",
    "model_type": "此项须为对象。",
    "model_attributes_type": "此项须为对象。",
    "list_type": "此项须为列表。",
    "too_short": "此项至少须有{min_length}项。",
    "too_long": "此项最多{max_length}项。",
    "json_invalid": "请求体不是有效的 JSON。",
    "json_type": "请求体不是有效的 JSON。",
    "value_error": "此项的值不符合要求。",
}
_ANY = "此项的值不符合要求。"


_CHOICE = re.compile(r"('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^,'\"]+?)(, | or |$)")
_CHOICE_LISTS = ("enum", "literal_error")  # their ``expected`` is a list of choices joined in English


# the empty choice (``''``) in words: a pair of quotation marks with nothing in them says nothing
_EMPTY = "留空"


def _choice(written: str) -> str:
    """One choice as pydantic writes it (a Python literal: ``'30'``, ``"it's"``, ``1``) as Chinese quotes it."""
    if written[:1] not in ("'", '"'):
        return written
    value = ast.literal_eval(written)
    return f"“{value}”" if value else _EMPTY


def choices_in_chinese(expected: str) -> str:
    """pydantic's English list of choices (``'', 'a', 'b' or 'c'``) joined as Chinese joins it, each in
    Chinese quotation marks and the empty one in words (``留空、“a”、“b”或“c”``); a list it cannot read back
    is left as it is."""
    out, at = [], 0
    while at < len(expected):
        found = _CHOICE.match(expected, at)
        if found is None:
            return expected
        out.append(_choice(found.group(1)) + {", ": "、", " or ": "或", "": ""}[found.group(2)])
        at = found.end()
    return "".join(out)


def validation_text(error: Mapping[str, object]) -> Text:
    """One of pydantic's errors (``type``, ``msg``, ``ctx``) in English and in Chinese."""
    context = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    if error.get("type") in _CHOICE_LISTS and "expected" in context:
        context["expected"] = choices_in_chinese(context["expected"])
    try:
        zh = _ZH.get(str(error.get("type")), _ANY).format(**context)
    except (KeyError, IndexError):
        zh = _ANY
    return Text(str(error.get("msg", "")), zh)
