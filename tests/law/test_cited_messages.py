"""The law core's refusals and answers name the document of every article they cite, with its title from
``sources.yaml``, in both languages: the officer, the unit and the holder read which document it is."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import exitentry.law
from cited_text import bare
from exitentry.law.files import read_yaml
from exitentry.law.rules import endings, grounds, verification
from exitentry.law.rules.enforcement import ExitDeadlineTooLong
from exitentry.law.rules.public_notice import NOTICE_GROUND
from exitentry.law.rules.stay import max_extension_days
from exitentry.law.rules.unit_reports import ReportRefused, effect
from exitentry.law.rules.visas import UnknownVisaCategory, visa_category
from exitentry.law.sources import source

REGULATIONS = source("regulations").short_title
LAW_DIR = Path(exitentry.law.__file__).parent
KINDS = ("visa", "stay-permit", "residence-permit", "pr-card", "work-permit", "exit-document")


@pytest.mark.parametrize("ending", endings.ENDINGS)
@pytest.mark.parametrize("kind", KINDS)
def test_why_a_document_cannot_be_ended_names_the_regulations(kind: str, ending: str) -> None:
    for ground in ("", NOTICE_GROUND):
        why = endings.out_of_reach(kind, ending, ground)
        if why is not None:
            assert bare(why.en, why.zh) == []
            assert REGULATIONS.en in why.en and f"《{REGULATIONS.zh}》" in why.zh


def test_an_expired_permit_is_neither_voided_nor_cancelled_citing_arts_34_and_35() -> None:
    why = grounds.ending_refusal(date(2026, 1, 31), date(2026, 2, 1))
    assert bare(why.en, why.zh) == []
    assert f"{REGULATIONS.en}, Art. 34" in why.en and f"《{REGULATIONS.zh}》第三十五条" in why.zh


def test_a_student_event_for_an_employee_is_refused_naming_art_26_with_its_title() -> None:
    with pytest.raises(ReportRefused) as refused:
        effect("student-graduated", "employee", date(2026, 6, 1))
    said = refused.value.text
    assert bare(said.en, said.zh) == [] and f"《{REGULATIONS.zh}》第二十六条" in said.zh


def test_only_a_verification_desk_checks_status_under_art_27_of_the_regulations() -> None:
    said = verification.NOT_A_VERIFIER
    assert bare(said.en, said.zh) == [] and said.en.endswith(f"({REGULATIONS.en}, Art. 27).")


def test_an_order_to_leave_longer_than_art_33_allows_says_which_document() -> None:
    said = ExitDeadlineTooLong(20, 15).text
    assert bare(said.en, said.zh) == [] and f"({REGULATIONS.en}, Art. 33)" in said.en


def _texts(data: object):
    """Every bilingual text (a mapping with ``en`` and ``zh``) in a catalog file's data."""
    if isinstance(data, dict):
        if isinstance(data.get("en"), str) and "zh" in data:
            yield data["en"], str(data["zh"])
        for value in data.values():
            yield from _texts(value)
    elif isinstance(data, list):
        for value in data:
            yield from _texts(value)


def test_every_text_of_the_catalog_and_the_parameters_names_the_document_of_its_article() -> None:
    found = [
        f"{path.name}: {said}"
        for path in sorted(Path(LAW_DIR).rglob("*.yaml"))
        for en, zh in _texts(read_yaml(path))
        for said in bare(en, zh)
    ]
    assert found == []


def test_an_extension_said_to_exceed_the_original_stay_is_refused_naming_art_14_with_its_title() -> None:
    with pytest.raises(ValueError) as refused:
        max_extension_days(10, 20)
    assert bare(str(refused.value), "") == [] and f"{REGULATIONS.en}, Art. 14" in str(refused.value)


def test_an_unknown_visa_category_is_refused_naming_art_6_with_its_title() -> None:
    with pytest.raises(UnknownVisaCategory) as refused:
        visa_category("Y", date(2026, 1, 5))
    assert bare(str(refused.value), "") == [] and f"{REGULATIONS.en}, Art. 6" in str(refused.value)


def test_the_too_long_order_to_leave_says_which_document_in_its_log_message_too() -> None:
    said = str(ExitDeadlineTooLong(20, 15))
    assert bare(said, "") == [] and f"({REGULATIONS.en}, Art. 33)" in said
