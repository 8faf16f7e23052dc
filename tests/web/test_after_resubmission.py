"""After the missing materials are resubmitted the officer re-checks the items the one-time notice listed
(clearing each defect, then accepting): no second notice is offered or issued, the notice being given at one
time (Regulations Art. 18 para. 2, the procedure's ``one-time-notice`` note)."""

from __future__ import annotations

import pytest
from tests.web.test_defect_languages import received_with_files

from exitentry.cases.models import DeficiencyNotice

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "lang, recheck",
    [
        ("en", "no second notice is issued"),
        ("zh-hans", "不再出具第二份告知书"),
    ],
)
def test_after_resubmission_the_officer_rechecks_the_items_and_then_accepts(lang, recheck) -> None:
    case, hall, mine = received_with_files()
    material = case.materials.order_by("pk").first()
    base = f"/{lang}/console/cases/{case.pk}"
    hall.post(f"/{lang}/console/materials/{material.pk}/review/", {"defect": "Blurred", "defect_zh": "模糊"})
    assert hall.post(f"{base}/notify_deficiency/").status_code == 302
    assert hall.post(f"{base}/resubmit/").status_code == 302
    page = hall.get(f"{base}/").content.decode()
    assert "step-notify_deficiency" not in page and recheck in page
    assert "Regulations" in page or "条例" in page  # the one-time notice's basis, cited
    again = hall.post(f"{base}/notify_deficiency/")
    assert again.status_code == 422 and recheck in again.content.decode()
    assert DeficiencyNotice.objects.count() == 1
    hall.post(f"/{lang}/console/materials/{material.pk}/review/", {"defect": "", "defect_zh": ""})
    page = hall.get(f"{base}/").content.decode()
    assert "step-accept" in page and recheck not in page
