"""The personal-affairs advisor, first application and extension: each asks only what its own rules depend
on (seed 000), so a minor's extension is never asked whether it is a first application in China (Points
for Attention 5), and both reach the same checklist."""

from __future__ import annotations

import pytest
from advisor_forms import asked, form_with_class, hidden_fields
from test_advisor import answer

pytestmark = pytest.mark.django_db

FIRST, EXTENSION = "rp-personal-affairs", "rp-personal-affairs-extension"
# A 17-year-old child visiting a parent on an S1 visa, asking for two years (planned Mon 21 Sep 2026).
CHILD = {
    "household_registration_in_china": "false",
    "ground": "family",
    "family_relation": "child",
    "birth_date": "2009-01-01",
    "validity": {"years": "2", "months": "0", "days": "0"},
    "visa_category": "S1",
    "first_application_in_china": "true",
    "limited_mobility": "false",
    "high_level_talent": "false",
    "first_entry": "true",
    "inviter_guarantees_expenses": "false",
    "documents_in_other_language": "false",
    "visa_requires_residence_permit": "true",
}


def questions(client, lang: str, procedure_id: str, answers: dict[str, object]) -> tuple[list[str], str]:
    """The questions the advisor asks in turn, each answered from ``answers``, and the page it ends on."""
    url = f"/{lang}/advisor/{procedure_id}/"
    html, names = client.get(url).content.decode(), []
    while 'class="question"' in html and len(names) < 40:
        name = asked(html)
        names.append(name)
        data = hidden_fields(form_with_class(html, "question")) | answer(name, answers[name])
        html = client.post(url, data).content.decode()
    return names, html


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_minors_extension_asks_what_its_rules_need_and_no_first_application_question(
    client, beijing_at, lang
):
    first, first_page = questions(client, lang, FIRST, CHILD)
    extension, extension_page = questions(client, lang, EXTENSION, CHILD)
    assert first == [
        "household_registration_in_china",
        "ground",
        "birth_date",
        "family_relation",
        "validity",
        "visa_category",
        "first_application_in_china",
        "limited_mobility",
        "high_level_talent",  # a first application only: Art. 19 para. 2
        "documents_in_other_language",
        "visa_requires_residence_permit",
    ]
    assert extension == [
        "household_registration_in_china",
        "ground",
        "birth_date",
        "family_relation",
        "validity",
        "visa_category",
        "limited_mobility",
        "first_entry",  # a first entry: the good stay record is not asked (Art. 19 para. 2)
        "inviter_guarantees_expenses",
        "documents_in_other_language",
    ]
    for page in (first_page, extension_page):
        assert ("Your checklist" if lang == "en" else "您的材料清单") in page
        assert '<td class="amount"><strong>' in page
    fee = '<td class="amount"><strong>{}</strong></td>'.format("CNY 800" if lang == "en" else "800元")
    assert fee in first_page and fee in extension_page
    nationality = "as proof of nationality" if lang == "en" else "作为国籍证明"  # Points for Attention 5
    assert nationality in first_page and nationality not in extension_page
