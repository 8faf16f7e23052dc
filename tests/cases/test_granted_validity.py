"""What follows a residence permit's validity follows the validity the officer grants, not the one applied
for: the fee band (seed 000, Timeline and Fees: 400 yuan under one year, 1,000 yuan for three to five
years), and the health certificate asked above one year (Regulations Art. 16 para. 2), which an approval
may not require after the hall accepted the application without it."""

from __future__ import annotations

import io
import re

import pytest

from case_helpers import accepted, client_for
from exitentry.cases import notices, services
from exitentry.cases.models import Decision
from exitentry.law.advice import advise
from exitentry.law.examples import eligible_facts
from exitentry.law.text import day_text
from factories import TODAY, applicant

pytestmark = pytest.mark.django_db

PROCEDURE = "rp-personal-affairs"


def applied_for(validity: str):
    """A personal-affairs permit applied for with ``validity``, accepted; and the officer."""
    user = applicant()
    facts = eligible_facts(PROCEDURE, TODAY)
    facts["validity"] = validity
    return accepted(user, PROCEDURE, facts=facts)


def test_the_fee_is_the_band_of_the_validity_granted_once_it_is_decided() -> None:
    case, clerk = applied_for("P3Y")
    assert services.fee_of(case, TODAY).due == 1000
    services.decide(clerk, case, "approved", validity="P200D", on=TODAY)
    case.refresh_from_db()
    fee = services.fee_of(case, TODAY)
    law = advise(PROCEDURE, {**case.facts, "validity": "P200D"}, TODAY)
    assert fee.due == law.fee_total_cny == 400  # the band under one year
    assert [(p.line.id, p.amount) for p in fee.parts] == [("residence-permit-fee", 400)]


def test_the_decision_the_case_page_and_the_api_say_the_fee_of_the_validity_granted() -> None:
    case, clerk = applied_for("P3Y")
    services.decide(clerk, case, "approved", validity="P200D", on=TODAY)
    services.issue(clerk, case, on=TODAY)
    case.refresh_from_db()
    printed = " ".join(line.text.en for line in notices.decision(case).fee)
    assert "CNY 400" in printed and "1,000" not in printed
    user = case.submitted_by
    page = client_for(user).get(f"/en/my/{case.pk}/").content.decode()
    fee_section = re.sub(r"\s+", " ", page)
    assert "CNY 400" in fee_section and "CNY 1,000" not in fee_section
    api = client_for(user).get(f"/api/v1/cases/{case.pk}").json()["fee"]
    assert api["due_cny"] == 400


def test_the_hall_takes_no_more_than_the_fee_of_the_validity_granted() -> None:
    case, clerk = applied_for("P3Y")
    services.decide(clerk, case, "approved", validity="P200D", on=TODAY)
    services.issue(clerk, case, on=TODAY)
    services.mark_ready(clerk, case, on=TODAY)
    with pytest.raises(services.Refused) as refused:
        services.record_payment(clerk, case, 1000, "cash", on=TODAY)
    assert "CNY 400" in refused.value.message.en
    services.record_payment(clerk, case, 400, "cash", on=TODAY)
    case.refresh_from_db()
    assert services.fee_of(case, TODAY).outstanding == 0
    assert services.collect(clerk, case, on=TODAY).state == "collected"


def test_an_approval_that_would_need_a_health_certificate_not_asked_for_is_refused_citing_art_16() -> None:
    case, clerk = applied_for("P1Y")  # one year exactly: no health certificate asked
    assert "health-certificate" not in {a.id for a in case.advice_on(TODAY).materials}
    with pytest.raises(services.Refused) as refused:
        services.decide(clerk, case, "approved", validity="P5Y", on=TODAY)
    assert refused.value.field == "validity"
    message = refused.value.message
    assert "5 years" in message.en and "health" in message.en.lower() and "1 year" in message.en
    assert "5年" in message.zh and "体格检查" in message.zh and "1年" in message.zh
    assert ("regulations", "Art. 16 para. 2") in {(c.source, c.section) for c in refused.value.cite}
    assert not Decision.objects.exists()


@pytest.mark.parametrize("validity", ["P1Y", "P200D"])
def test_an_approval_that_needs_nothing_more_than_was_applied_for_is_taken(validity) -> None:
    case, clerk = applied_for("P1Y")
    assert services.decide(clerk, case, "approved", validity=validity, on=TODAY).validity == validity


def test_an_application_that_included_the_health_certificate_may_be_granted_any_validity_in_range() -> None:
    case, clerk = applied_for("P2Y")  # more than a year: the health certificate was asked and received
    assert "health-certificate" in {a.id for a in case.advice_on(TODAY).materials}
    assert services.decide(clerk, case, "approved", validity="P5Y", on=TODAY).validity == "P5Y"


def test_the_officer_page_refuses_a_validity_needing_a_health_certificate_beside_the_field() -> None:
    case, clerk = applied_for("P1Y")
    response = client_for(clerk.user).post(
        f"/en/console/cases/{case.pk}/decide/",
        {
            "outcome": "approved",
            "validity__years": "5",
            "validity__months": "0",
            "validity__days": "0",
            "confirm": "on",
        },
    )
    assert response.status_code == 422
    error = re.search(r'<p class="error" id="validity-error">(.*?)</p>', response.content.decode(), re.S)
    assert error is not None and "health" in error.group(1).lower()
    assert not Decision.objects.exists()


def _pdf_words(pdf: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_a_receipt_reprinted_after_an_approval_of_another_fee_keeps_its_fee_and_points_to_the_decision() -> (
    None
):
    """The receipt is the acceptance day's document: reprinted, it keeps the fee of the validity applied
    for, and one line says the fee due follows the validity granted, pointing to the decision notice."""
    case, clerk = applied_for("P3Y")
    assert notices.receipt(case).fee_granted is None
    services.decide(clerk, case, "approved", validity="P200D", on=TODAY)
    case.refresh_from_db()
    doc = notices.receipt(case)
    assert doc.fee_cny == 1000  # as it said on the day of acceptance
    said = doc.fee_granted.text
    assert "follows the validity granted" in said.en and "200 days" in said.en
    assert "decision notice" in said.en and day_text(TODAY).en in said.en
    assert "批准的有效期" in said.zh and "200日" in said.zh and "决定书" in said.zh and "。" in said.zh
    words = _pdf_words(notices.render("receipt", case, "https://example.test"))
    assert "CNY 1,000" in words and "follows the validity granted" in words


def test_a_receipt_reprinted_after_an_approval_of_the_same_fee_says_nothing_more() -> None:
    case, clerk = applied_for("P3Y")
    services.decide(clerk, case, "approved", validity="P4Y", on=TODAY)  # the same band: 1,000 yuan
    case.refresh_from_db()
    assert notices.receipt(case).fee_granted is None
    assert "follows the validity granted" not in _pdf_words(
        notices.render("receipt", case, "https://example.test")
    )
