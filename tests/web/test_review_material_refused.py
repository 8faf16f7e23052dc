"""The officer's check of a received file refuses a note past its length (or a step the case's state does
not allow) with the case page again, the reason beside that file's field and status 422, as every other
step of the page does; never a server error (a newcomer tester's finding: a 400-character note, sent
without the page's ``maxlength``, raised ``Refused`` uncaught)."""

from __future__ import annotations

import json

import pytest

from case_helpers import client_for, submitted, upload_everything
from exitentry.cases.models import Case, Material
from factories import applicant, officer

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def received_with_files():
    user = applicant()
    case = submitted(user, "rp-personal-affairs")
    hall = client_for(officer(case.hall_id))
    received = hall.post(
        f"/api/v1/cases/{case.pk}/receive",
        json.dumps({"applicant_present": True}),
        content_type="application/json",
    )
    assert received.status_code == 200
    upload_everything(user, case)
    return case, hall


@pytest.mark.parametrize(
    ("lang", "field", "note", "said"),
    [
        ("en", "defect", "x" * 400, "Shorten this to at most 300 characters (400 given)."),
        ("zh-hans", "defect_zh", "照" * 301, "最多300个字符（现为301个）。"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_a_note_past_its_length_is_the_page_again_with_the_reason_beside_that_files_field(
    lang, field, note, said, htmx
):
    case, hall = received_with_files()
    first, second = case.materials.order_by("pk")[:2]
    answer = hall.post(
        f"/{lang}/console/materials/{second.pk}/review/",
        {field: note, "original_seen": "on"},
        headers=HTMX if htmx else {},
    )
    assert answer.status_code == 422
    page = answer.content.decode()
    assert ("<html" in page) is not htmx
    box = f'id="{field.replace("_", "-")}-{second.pk}"'
    assert f'<p class="error" id="{field.replace("_", "-")}-{second.pk}-error">{said}</p>' in page
    assert page.count(said) == 1 and "Traceback" not in page
    tag = page[page.rindex("<input", 0, page.index(box)) : page.index(">", page.index(box))]
    assert 'aria-invalid="true"' in tag and note in tag  # what was typed stays, to shorten it
    other = f'id="{field.replace("_", "-")}-{first.pk}"'
    assert "aria-invalid" not in page[page.index(other) : page.index(">", page.index(other))]
    second.refresh_from_db()
    assert (second.defect, second.defect_zh, second.original_seen) == ("", "", False)


def test_a_review_the_cases_state_no_longer_allows_is_refused_on_the_page_not_a_server_error():
    case, hall = received_with_files()
    material = case.materials.order_by("pk").first()
    Case.objects.filter(pk=case.pk).update(state="withdrawn")
    answer = hall.post(f"/en/console/materials/{material.pk}/review/", {"defect": "Blurred"})
    assert answer.status_code == 422
    assert "is not possible for this application now" in answer.content.decode()
    assert Material.objects.get(pk=material.pk).defect == ""
