"""The intake checklist on the officer's case page: a file's defect note said once (beside the file), and the
passport handed in at receipt shown with its original seen on its file's checkbox too."""

from __future__ import annotations

import json
import re

import pytest
from tests.web.test_defect_languages import received_with_files

from case_helpers import client_for, submitted, upload_everything
from factories import TravelDocumentFactory, applicant, officer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_files_defect_is_said_once(lang) -> None:
    case, hall, _ = received_with_files()
    material = case.materials.exclude(material_id__in=["passport", "passport-with-permit"]).order_by("pk")[0]
    hall.post(f"/{lang}/console/materials/{material.pk}/review/", {"defect": "Blurred", "defect_zh": "模糊"})
    page = hall.get(f"/{lang}/console/cases/{case.pk}/").content.decode()
    shown = re.sub(r'value="[^"]*"', "", page)
    assert shown.count("Blurred") == 1 and shown.count("模糊") == 1


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_passport_held_at_receipt_has_its_files_original_seen_ticked(lang) -> None:
    user = applicant()
    TravelDocumentFactory(person=user.person)  # the passport the person holds, kept at receipt
    case = submitted(user, "rp-personal-affairs")
    hall = client_for(officer(case.hall_id))
    body = json.dumps({"applicant_present": True})
    assert (
        hall.post(f"/api/v1/cases/{case.pk}/receive", body, content_type="application/json").status_code
        == 200
    )
    upload_everything(user, case)
    page = hall.get(f"/{lang}/console/cases/{case.pk}/").content.decode()
    passport = page[page.index('data-item="passport"') :]
    passport = passport[
        : passport.index("</li>\n      \n      <li") if "</li>\n      \n      <li" in passport else None
    ]
    assert 'class="held-passport"' in passport
    boxes = re.findall(r'<input type="checkbox" name="original_seen"[^>]*>', passport)
    assert boxes and all("checked" in box for box in boxes), boxes
