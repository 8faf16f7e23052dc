"""The public page of ordinary visas (Regulations Arts. 6-8), in both languages, from the law core."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from exitentry.law.calendar import BEIJING

pytestmark = pytest.mark.django_db

# Art. 6's letters in its order, written out by hand; K only from 2025-10-01 (the 2025 revision).
LETTERS = ("C", "D", "F", "G", "J1", "J2", "K", "L", "M", "Q1", "Q2", "R", "S1", "S2", "X1", "X2", "Z")
# The categories whose applicants apply to enter and reside, so always interviewed (Art. 8(1) with Art. 6).
ALWAYS_INTERVIEWED = {"D", "J1", "Q1", "S1", "X1", "Z"}


def visa_sections(html: str) -> dict[str, str]:
    """Each category's article on the page, by its letter, in page order."""
    found = re.findall(r'<article class="visa-category" id="visa-([A-Z0-9]+)".*?</article>', html, re.S)
    bodies = re.findall(r'<article class="visa-category".*?</article>', html, re.S)
    return dict(zip(found, bodies, strict=True))


def test_every_category_in_force_is_listed_in_the_order_of_art_6(client, beijing_at) -> None:
    sections = visa_sections(client.get("/en/visas/").content.decode())
    assert tuple(sections) == LETTERS


def test_before_the_2025_revision_there_is_no_k_visa(client, beijing_at) -> None:
    beijing_at(datetime(2025, 9, 30, 10, 0, tzinfo=BEIJING))
    sections = visa_sections(client.get("/en/visas/").content.decode())
    assert tuple(sections) == tuple(c for c in LETTERS if c != "K")


def test_each_category_says_whether_every_applicant_is_interviewed(client, beijing_at) -> None:
    sections = visa_sections(client.get("/en/visas/").content.decode())
    always = {code for code, body in sections.items() if "always, as its applicants apply to enter" in body}
    assert always == ALWAYS_INTERVIEWED
    assert all("when one of the circumstances above applies" in sections[c] for c in set(LETTERS) - always)


def test_a_categorys_own_materials_name_the_case_they_are_for(client, beijing_at) -> None:
    sections = visa_sections(client.get("/en/visas/").content.decode())
    assert "For tourism in a group: An invitation letter" in sections["L"]
    assert "For family reunion: An invitation letter" in sections["Q1"]
    assert "young foreign science and technology talents" in sections["K"]


def test_the_common_materials_and_interview_circumstances_cite_their_articles(client, beijing_at) -> None:
    html = client.get("/en/visas/").content.decode()
    common = html.split('id="common-h"')[1].split("</section>")[0]
    assert "The passport or other international travel document" in common
    assert "Any other application material the visa authority asks for" in common
    assert "Art. 7 para. 2" in common
    interview = html.split('id="interview-h"')[1].split("</section>")[0]
    assert interview.count('class="rule"') == 4
    assert "refused entry or ordered to leave" in interview and "Art. 8(3)" in interview


def test_the_chinese_page_reads_in_chinese(client, beijing_at) -> None:
    html = client.get("/zh-hans/visas/").content.decode()
    sections = visa_sections(html)
    assert "发给入境永久居留的人员" in sections["D"]
    assert "以团体形式入境旅游的：" in sections["L"]
    shown = re.sub(r"<[^>]+>", " ", html.split("<main")[1])
    assert "visa" not in shown.lower() and "Art." not in shown
    assert "到出入境大厅办理：<a" in html and "</a>。</p>" in html  # Chinese punctuation around the link


def test_the_home_page_and_every_pages_menu_link_to_it(client, beijing_at) -> None:
    assert 'href="/en/visas/"' in client.get("/en/").content.decode()
    assert 'href="/zh-hans/visas/"' in client.get("/zh-hans/halls/").content.decode()
