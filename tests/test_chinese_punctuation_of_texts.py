"""Chinese text punctuates as Chinese: every Chinese translation (the .po), every Chinese string of the law
core (its catalog and parameter files, its Python) and of the apps' Python (the demo's printed accounts
too), the templates and the OpenAPI document in either language writes brackets, commas, colons,
semicolons and question marks full width (（）,：；？) where they touch Chinese, never the half-width
"(8610)" of English text. Format placeholders (``%(day)s``, ``{day}``), links and markup are not text and
are left out first."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
import pytest
from tests.api import openapi_texts

from exitentry.law.files import LAW_DIR, read_yaml

SRC = Path(__file__).resolve().parents[1] / "src" / "exitentry"
PO = SRC / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
CHINESE = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’"  # ideographs, full-width marks, quotes
NOT_TEXT = re.compile(r"%\(\w+\)[sdfi]|\{\w*\}|https?://\S+|<[^>]*>")
HALF_WIDTH = re.compile(
    rf"[{CHINESE}] ?[(),:;?!]|[(),:;?!] ?[{CHINESE}]"  # a half-width mark touching Chinese
    rf"|\([^()]*[{CHINESE}][^()]*\)"  # Chinese inside half-width brackets
)


def half_width(text: str) -> list[str]:
    """The half-width marks of ``text`` that touch Chinese, with what they touch."""
    if not HAN.search(text):
        return []
    return [m.group(0) for m in HALF_WIDTH.finditer(NOT_TEXT.sub("", text))]


def translations() -> list[tuple[str, str]]:
    entries = polib.pofile(str(PO))
    return [
        (entry.msgid, said)
        for entry in entries
        if not entry.obsolete
        for said in ([entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values()))
    ]


def strings(data: object):
    """Every string a data file holds, keys and values."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from strings(key)
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)
    elif isinstance(data, str):
        yield data


def law_data_texts() -> list[tuple[str, str]]:
    return [
        (path.relative_to(LAW_DIR).as_posix(), text)
        for path in sorted(LAW_DIR.rglob("*.yaml"))
        for text in strings(read_yaml(path))
    ]


def code_texts(paths: list[Path], root: Path) -> list[tuple[str, str]]:
    """The string literals of ``paths``, less docstrings (written for programmers, in English with Chinese
    terms quoted) and the patterns given to ``re`` (a regular expression is not text)."""
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        left_out = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        } | {
            id(arg)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            for arg in node.args
        }
        found += [
            (f"{path.relative_to(root).as_posix()}:{node.lineno}", node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in left_out
        ]
    return found


def law_code_texts() -> list[tuple[str, str]]:
    return code_texts(sorted(LAW_DIR.rglob("*.py")), LAW_DIR)


def app_code_texts() -> list[tuple[str, str]]:
    """The string literals of the Django apps and the command line (the law core's apart): the demo's
    printed accounts, the API's schema descriptions, the texts the apps write in both languages."""
    return code_texts([p for p in sorted(SRC.rglob("*.py")) if LAW_DIR not in p.parents], SRC)


TEMPLATE_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)


def template_texts() -> list[tuple[str, str]]:
    """The lines of every template, less its tags and variables (what they print is checked where it is
    written)."""
    return [
        (f"{path.relative_to(SRC).as_posix()}:{number}", line)
        for path in sorted(SRC.rglob("templates/**/*.html")) + sorted(SRC.rglob("templates/**/*.txt"))
        for number, line in enumerate(TEMPLATE_CODE.sub("", path.read_text(encoding="utf-8")).splitlines(), 1)
    ]


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("前往前请致电(8610)84020101。", True),
        ("工作类, 学习类", True),
        ("请输入验证码:", True),
        ("前往前请致电（8610）84020101。", False),
        ("资料之间有出入（%(field)s）：", False),
        ("{day}为调休上班日", False),
        ("请前往 https://example.org/a,(b) 办理", False),
        ("截至北京时间24:00", False),
        ("Ticket 12 (counter 3): wait", False),
    ],
)
def test_half_width_marks_touching_chinese_are_found_and_placeholders_links_and_english_are_not(text, wrong):
    assert bool(half_width(text)) is wrong


def test_every_chinese_translation_punctuates_full_width():
    wrong = {msgid: found for msgid, said in translations() if (found := half_width(said))}
    assert wrong == {}


def test_every_chinese_text_of_the_law_cores_data_punctuates_full_width():
    wrong = [(where, text) for where, text in law_data_texts() if half_width(text)]
    assert wrong == []


def test_every_chinese_string_of_the_law_cores_code_punctuates_full_width():
    wrong = [(where, text) for where, text in law_code_texts() if half_width(text)]
    assert wrong == []


def test_every_chinese_string_of_the_apps_code_punctuates_full_width():
    wrong = [(where, text) for where, text in app_code_texts() if half_width(text)]
    assert wrong == []


def test_every_chinese_text_of_the_templates_punctuates_full_width():
    wrong = [(where, text) for where, text in template_texts() if half_width(text)]
    assert wrong == []


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_every_chinese_text_of_the_openapi_document_punctuates_full_width(client, lang):
    """Chinese glossed in an English description too (a state's Chinese name in brackets)."""
    document = client.get("/api/v1/openapi.json", {"lang": lang}).json()
    wrong = [(where, text) for where, text in openapi_texts.texts(document) if half_width(text)]
    assert wrong == []
