"""Citations as people read them (law/citing.py): the title and the article in each language, never a file."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitentry.law.catalog import CatalogError, catalog, parse_cites
from exitentry.law.citing import article_zh, chinese_number, section_en, section_zh
from exitentry.law.provisions import RULE_FUNCTIONS  # the rule modules, each recording its @cites
from exitentry.law.rules import grounds, permits, visas
from exitentry.law.sources import Citation, UnnamedSection, cite, source

SRC = Path(__file__).resolve().parents[2] / "src" / "exitentry"
SEED_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
_VALUES = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def read_chinese_number(said: str) -> int:
    """The reader's side, written independently: 二百零四 → 204, 十八 → 18."""
    total, digit = 0, None
    for char in said:
        if char in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[char]
            digit = None
        else:
            digit = _VALUES[char]
    return total + (digit or 0)


@pytest.mark.parametrize(
    ("n", "said"),
    [
        (1, "一"),
        (10, "十"),
        (18, "十八"),
        (20, "二十"),
        (36, "三十六"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (200, "二百"),
        (204, "二百零四"),
        (1000, "一千"),
        (1005, "一千零五"),
        (1050, "一千零五十"),
        (1259, "一千二百五十九"),
    ],
)
def test_article_numbers_are_said_in_chinese_numerals_as_statutes_write_them(n: int, said: str) -> None:
    assert chinese_number(n) == said


@given(st.integers(min_value=1, max_value=9999))
def test_every_chinese_numeral_reads_back_to_its_number_with_no_doubled_or_trailing_zero(n: int) -> None:
    said = chinese_number(n)
    assert read_chinese_number(said) == n
    assert "零零" not in said and not said.endswith("零") and not said.startswith("一十")


@pytest.mark.parametrize("n", [0, -1, 10000])
def test_a_number_outside_one_to_9999_is_refused(n: int) -> None:
    with pytest.raises(ValueError):
        chinese_number(n)


@pytest.mark.parametrize(
    ("locator", "said"),
    [
        ("Art. 18", "第十八条"),
        ("Art. 16(5)", "第十六条第（五）项"),
        ("Art. 19 para. 2", "第十九条第二款"),
        ("Arts. 200–204", "第二百条至第二百零四条"),
        ("Art. 6(13)", "第六条第（十三）项"),
        ("Art. 16(1)–(3)", "第十六条第（一）项至第（三）项"),
        ("Art. 19 para. 2(1)", "第十九条第二款第（一）项"),
        ("Chapter III", "第三章"),
        ("Chapter IV", "第四章"),
        ("Materials", None),
    ],
)
def test_an_article_locator_is_put_into_chinese_by_rule(locator: str, said: str | None) -> None:
    assert article_zh(locator) == said


HEADINGS = {"Materials (family)": "申请材料（探亲）", "Points for Attention": "注意事项", "Notes": "注意事项"}


@pytest.mark.parametrize(
    ("section", "said"),
    [
        ("Points for Attention 4", "注意事项第4项"),
        ("Materials (family) b.i", "申请材料（探亲）（b）（i）"),
        ("Materials (family) b", "申请材料（探亲）（b）"),
        ("Notes (5)", "注意事项（5）"),
        ("Notes (1)-(2)", "注意事项（1）至（2）"),
    ],
)
def test_a_guides_heading_takes_its_chinese_name_and_keeps_its_item_number(section: str, said: str) -> None:
    assert section_zh(section, HEADINGS) == said


@pytest.mark.parametrize(
    ("section", "en", "zh"),
    [
        ("4. How to apply b", "4. How to apply, item (b)", "四、办理方式（b）"),
        ("Materials (family) b.ii", "Materials (family), item (b)(ii)", "申请材料（探亲）（b）（ii）"),
        ("Materials (Chinese origin) a", "Materials (Chinese origin), item (a)", "申请材料（华裔）（a）"),
        ("Points for Attention 4", "Points for Attention 4", "注意事项第4项"),
        ("Art. 16(5)", "Art. 16(5)", "第十六条第（五）项"),
    ],
)
def test_a_guides_lettered_item_is_set_apart_from_its_heading_as_the_guide_marks_it(
    section: str, en: str, zh: str
) -> None:
    """The guides mark sub-items "a." and "i." under a heading; a citation names the item in brackets
    after the heading, never glued to its last word ("4. How to apply b", "四、办理方式b")."""
    headings = dict(source("bj-one-stop").sections) | dict(source("bj-personal-affairs").sections)
    assert section_en(section) == en
    assert section_zh(section, headings) == zh


def test_a_heading_with_no_chinese_name_cannot_be_said() -> None:
    with pytest.raises(UnnamedSection, match="Legal Reminders"):
        section_zh("Legal Reminders 6", HEADINGS)


def test_a_citation_is_labelled_with_the_title_people_know_and_the_article_in_each_language() -> None:
    label = cite("regulations", "Art. 18").label
    assert label.zh == "《中华人民共和国外国人入境出境管理条例》第十八条"
    assert label.en == (
        "Regulations of the People's Republic of China on the Administration of the Entry and Exit of Foreigners,"
        " Art. 18"
    )
    guide = cite("bj-personal-affairs", "Materials (family) b.i").label
    assert guide.zh == "《北京市外国人私人事务类居留许可及延期办事指南》申请材料（探亲）（b）（i）"
    assert guide.en == "Beijing guide to personal affairs residence permits, Materials (family), item (b)(i)"


@pytest.mark.parametrize(
    ("source_id", "en"),
    [
        (
            "regulations",
            "Regulations of the People's Republic of China on the Administration of the Entry and Exit of Foreigners",
        ),
        ("exit-entry-law", "Exit and Entry Administration Law of the People's Republic of China"),
        ("civil-code", "Civil Code of the People's Republic of China"),
        ("holidays-measures", "National Measures on Holidays for Annual Festivals and Memorial Days"),
        (
            "pr-measures",
            "Measures for the Administration of Examination and Approval of Foreigners' Permanent Residence in China",
        ),
    ],
)
def test_a_statute_is_cited_by_its_full_official_title_in_english_as_in_chinese(
    source_id: str, en: str
) -> None:
    """The Chinese labels give a statute's full title (中华人民共和国…); the English ones do too, the same
    title as the source's own less only its revision note ("(2025 revision)")."""
    src = source(source_id)
    named = src.short_title or src.title
    assert named.en == en
    assert re.sub(r" \([^()]*\)$", "", src.title.en) == en
    assert re.sub(r"（[^（）]*）$", "", src.title.zh) == named.zh
    assert named.zh.startswith("中华人民共和国") == ("People's Republic of China" in en)


def test_a_citation_as_a_string_is_its_english_label_not_its_seed_file() -> None:
    citation = cite("bj-personal-affairs", "Materials")
    assert str(citation) == citation.label.en
    assert source("bj-personal-affairs").seed_file not in str(citation)


def test_a_citations_json_keeps_the_machine_fields_and_adds_both_labels() -> None:
    as_dict = cite("regulations", "Art. 16(5)").as_dict()
    assert as_dict["source"] == "regulations" and as_dict["section"] == "Art. 16(5)"
    assert as_dict["seed_file"] == source("regulations").seed_file
    assert as_dict["title_zh"] == source("regulations").title.zh
    assert as_dict["label_zh"] == "《中华人民共和国外国人入境出境管理条例》第十六条第（五）项"
    assert as_dict["label_en"].endswith(", Art. 16(5)")


def test_a_citations_json_is_made_once_and_leaves_it_equal_to_the_same_citation() -> None:
    shown, fresh = cite("regulations", "Art. 18"), Citation("regulations", "Art. 18")
    assert shown.as_dict() is shown.as_dict()
    assert shown == fresh and hash(shown) == hash(fresh) and repr(shown) == repr(fresh)
    assert fresh.as_dict() == shown.as_dict()


def test_a_cite_naming_a_section_with_no_chinese_name_fails_to_load_naming_the_cite() -> None:
    with pytest.raises(CatalogError, match=r"grounds\.yaml: x: cite 'bj-personal-affairs: Opening Times 2'"):
        parse_cites(["bj-personal-affairs: Opening Times 2"], "grounds.yaml: x")
    with pytest.raises(UnnamedSection, match="sources.yaml"):
        cite("regulations", "Article eighteen")


def catalog_citations() -> dict[Citation, str]:
    """Every citation the loaded catalog holds (procedures, obligations, halls, visas, grounds, permits,
    parameters) and the rule functions."""
    found: dict[Citation, str] = {}

    def walk(value: object, where: str) -> None:
        if isinstance(value, Citation):
            found.setdefault(value, where)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name), f"{where}.{f.name}")
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{where}[{key}]")
        elif isinstance(value, tuple | list | frozenset):
            for item in value:
                walk(item, where)

    walk(catalog(), "catalog")
    walk(grounds._kinds(), "grounds")
    walk(visas._data(), "visas")
    walk(permits.validity_lines(), "permits")
    walk(tuple(catalog().parameters), "parameters")
    walk(RULE_FUNCTIONS, "rule functions")
    return found


def code_citations() -> list[Citation]:
    """The citations written in the code as ``cite("source", "section")``."""
    calls = re.compile(r'cite\(\s*"([\w-]+)",\s*f?"([^"]+)"\s*\)')
    return [
        Citation(*m.groups())
        for path in SRC.rglob("*.py")
        for m in calls.finditer(path.read_text(encoding="utf-8"))
        if "{" not in m.group(2)
    ]


def test_the_catalog_holds_citations_of_every_kind_of_source() -> None:
    sources = {c.source for c in catalog_citations()}
    assert {"regulations", "bj-personal-affairs", "bj-one-stop", "bj-zgc-pr", "exit-entry-law"} <= sources
    assert len(catalog_citations()) > 150
    assert len(code_citations()) > 10


def test_every_citation_in_the_catalog_and_the_code_reads_in_both_languages_with_no_file_name() -> None:
    wrong = []
    for citation in [*catalog_citations(), *code_citations()]:
        label, src = citation.label, source(citation.source)
        zh_section = label.zh.removeprefix(f"《{(src.short_title or src.title).zh}》")
        if (
            not zh_section
            or LATIN_WORD.search(zh_section)
            or SEED_FILE.search(label.zh + label.en)
            or section_en(citation.section) not in label.en
        ):
            wrong.append((citation, label))
    assert wrong == []


SHORT_TITLES = re.compile(
    r"Regulations on the Administration of the Entry and Exit of Foreigners"
    r"|Exit and Entry Administration Law(?! of the People's Republic of China)(?=, Art|\))"
)


def test_no_page_or_message_retypes_a_statutes_english_title_in_a_shorter_form_than_its_chinese() -> None:
    """The English citation names the full official title, as the Chinese does (sources.yaml); a template,
    message or catalog text that cites a statute takes it from there (``{% cited %}``, ``{% citation %}``,
    ``cite(...).label``) or writes it in full, never the short form the Chinese does not use."""
    retyped = [
        f"{path.relative_to(SRC)}:{n}"
        for path in sorted(SRC.rglob("*"))
        if path.suffix in {".py", ".html", ".txt", ".yaml"} and "migrations" not in path.parts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SHORT_TITLES.search(line)
    ]
    assert retyped == []
