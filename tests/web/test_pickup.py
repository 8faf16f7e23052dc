"""From approval to collection, as the hall and the applicant see it: the officer's buttons name actions and
the flash says what happened; an extension's decision prints the validity the case page shows; at "Ready for
pick-up" the case page says where to collect, with what, and who may; the intake appointment ends without
telling the applicant that no visit is needed any more."""

from __future__ import annotations

import io

import pytest
from page_world import html, pages_today  # noqa: F401 - pages_today is an autouse fixture
from pypdf import PdfReader

from case_helpers import accepted, approval_validity, client_for
from exitentry.cases import services
from exitentry.cases.lifecycle import State
from factories import TODAY, applicant, officer

pytestmark = pytest.mark.django_db


def approved(procedure_id: str = "rp-extension", validity: str = ""):
    user = applicant()
    case, clerk = accepted(user, procedure_id)
    services.decide(clerk, case, "approved", validity=validity or approval_validity(case, TODAY), on=TODAY)
    return user, case, clerk


@pytest.mark.parametrize(
    "language, steps",
    [
        (
            "en",
            (
                ("issue", "Permit issued.", "Mark ready for pick-up"),
                ("mark_ready", "Permit ready for pick-up.", "Record collection"),
                ("collect", "Permit collected.", None),
            ),
        ),
        (
            "zh-hans",
            (
                ("issue", "证件已签发。", "标记为可领取"),
                ("mark_ready", "证件可领取。", "登记领取"),
                ("collect", "证件已领取。", None),
            ),
        ),
    ],
)
def test_the_officer_steps_are_actions_and_the_flash_says_what_happened(language, steps) -> None:
    _, case, _ = approved()
    hall = client_for(officer(case.hall_id))
    base = f"/{language}/console/cases/{case.pk}"
    if due := services.fee_of(case, TODAY).due:
        assert (
            hall.post(f"{base}/record_payment/", {"amount_cny": str(due), "method": "card"}).status_code
            == 302
        )
    for step, flash, next_button in steps:
        page = html(hall.post(f"{base}/{step}/", {"confirm": "on"}, follow=True))
        assert flash in page
        assert "Done:" not in page and "已办理" not in page
        if next_button:
            assert f">{next_button}</button>" in page


def _pdf_text(response) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.mark.parametrize("language, validity", [("en", "2 years"), ("zh-hans", "2年")])
def test_an_extension_decision_prints_the_extension_as_the_page_does(language, validity) -> None:
    user, case, clerk = approved("rp-extension", "P2Y")
    services.issue(clerk, case, on=TODAY)
    case.permit.refresh_from_db()
    until = case.permit.valid_until
    mine = client_for(user)
    page = html(mine.get(f"/{language}/my/{case.pk}/"))
    printed = "".join(_pdf_text(mine.get(f"/api/v1/cases/{case.pk}/documents/decision")).split())
    assert "Permitextendeduntil" in printed and "证件有效期延长至" in printed
    assert "Permitvalidfrom" not in printed and "证件有效期自" not in printed
    assert "2years" in printed and "2年" in printed
    day = until.strftime("%-d %B %Y") if language == "en" else f"{until.year}年{until.month}月{until.day}日"
    assert validity in page and day in page


@pytest.mark.parametrize(
    "language, bring, proxy, hours",
    [
        ("en", "acceptance receipt", "someone else may collect", "Monday"),
        ("zh-hans", "受理回执", "他人代领", "周一"),
    ],
)
def test_ready_for_pick_up_says_where_with_what_and_who(language, bring, proxy, hours) -> None:
    user, case, clerk = approved()
    services.issue(clerk, case, on=TODAY)
    services.mark_ready(clerk, case, on=TODAY)
    page = html(client_for(user).get(f"/{language}/my/{case.pk}/"))
    assert 'class="pick-up"' in page
    section = page.split('class="pick-up"', 1)[1].split("</section>", 1)[0]
    assert case.receipt.number in section and bring in section
    assert hours in section and proxy in section
    case.refresh_from_db()
    assert case.state == State.READY
