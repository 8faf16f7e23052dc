"""The officer writes what is wrong with a file in English and Chinese (the Chinese optional): the
bilingual one-time notice prints each language's line, and says in Chinese when the note is in English
only (and the other way round); the page and the API take and show both."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from case_helpers import client_for, submitted, upload_everything
from exitentry.law.calendar import beijing_today
from factories import applicant, hall_day, officer

pytestmark = pytest.mark.django_db
HALL_DAY = hall_day(beijing_today())


def received_with_files():
    user = applicant()
    case = submitted(user, "rp-personal-affairs")
    hall = client_for(officer(case.hall_id))
    assert (
        hall.post(
            f"/api/v1/cases/{case.pk}/receive",
            json.dumps({"applicant_present": True}),
            content_type="application/json",
        ).status_code
        == 200
    )
    upload_everything(user, case)
    return case, hall, client_for(user)


def notice_text(client, case) -> str:
    pdf = client.get(f"/api/v1/cases/{case.pk}/documents/deficiency").content
    return "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_officer_writes_the_defect_in_both_languages_on_the_page_and_the_notice_prints_each():
    case, hall, mine = received_with_files()
    material = case.materials.order_by("pk").first()
    page = hall.get(f"/zh-hans/console/cases/{case.pk}/").content.decode()
    assert 'name="defect_zh"' in page
    saved = hall.post(
        f"/zh-hans/console/materials/{material.pk}/review/",
        {"defect": "Photo has a blue background", "defect_zh": "照片为蓝色背景"},
    )
    assert saved.status_code == 302
    assert hall.post(f"/zh-hans/console/cases/{case.pk}/notify_deficiency/").status_code == 302
    flat = notice_text(mine, case)
    assert "存在问题：照片为蓝色背景" in flat and "Whatiswrong:Photohasabluebackground" in flat
    assert "存在问题：Photo" not in flat
    listed = hall.get(f"/api/v1/cases/{case.pk}").json()["materials"]
    mark = next(m for m in listed if m["id"] == material.pk)
    assert (mark["defect"], mark["defect_zh"]) == ("Photo has a blue background", "照片为蓝色背景")


def test_a_defect_in_one_language_only_is_said_so_in_the_other_over_the_api():
    case, hall, mine = received_with_files()
    first, second = case.materials.order_by("pk")[:2]
    for material, body in (
        (first, {"defect": "Photo has a blue background"}),
        (second, {"defect_zh": "复印件不清晰"}),
    ):
        patched = hall.patch(
            f"/api/v1/materials/{material.pk}", json.dumps(body), content_type="application/json"
        )
        assert patched.status_code == 200
    assert hall.post(
        f"/api/v1/cases/{case.pk}/deficiency-notices", "{}", content_type="application/json"
    ).status_code in (200, 201)
    flat = notice_text(mine, case)
    assert "存在问题：民警以原文注明（未译）：Photohasabluebackground" in flat
    assert "Whatiswrong:Theofficer'snote,inChineseaswritten:复印件不清晰" in flat


@pytest.mark.parametrize(
    ("lang", "english", "chinese"),
    [
        (
            "en",
            "What is missing or wrong, in English. Leave both empty if the file is in order.",
            "What is missing or wrong, in Chinese. If you leave one language empty, the notice says your note "
            "follows in the other language as written.",
        ),
        (
            "zh-hans",
            "缺少或不符合要求之处（英文）。文件无问题时两栏均留空。",
            "缺少或不符合要求之处（中文）。如有一种语言留空，告知书会在该语言中注明：您的说明以另一种语言按原文附后。",
        ),
    ],
)
def test_the_defect_fields_say_plainly_what_to_write_and_what_an_empty_language_does(lang, english, chinese):
    case, hall, _ = received_with_files()
    page = hall.get(f"/{lang}/console/cases/{case.pk}/").content.decode()
    assert english in page and chinese in page
