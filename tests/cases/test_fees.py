"""The fee is paid at the hall, from the receipt of the materials until collection at the latest: the part the
law core says is paid at acceptance before the receipt is issued, and the permit handed over only once the
fee is paid in full or waived with a reason; its history stays on the case."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from case_helpers import (
    accepted,
    approval_validity,
    client_for,
    hall_receives,
    received_in_full,
    submitted,
)
from exitentry.accounts.models import AuditEntry, Role
from exitentry.appointments.opening import hall_changes
from exitentry.cases import notices, services
from exitentry.cases.lifecycle import IllegalTransition, State
from exitentry.cases.models import Case, FeeExemption, Payment, Receipt
from exitentry.law.rules.grounds import CONDITIONS_NOT_MET
from exitentry.law.text import Text
from factories import TODAY, actor, applicant, officer

pytestmark = pytest.mark.django_db


def ready(user):
    """A personal-affairs permit issued and ready for pick-up, nothing paid; and the officer."""
    case, clerk = accepted(user, "rp-personal-affairs")
    services.decide(clerk, case, "approved", validity=approval_validity(case), on=TODAY)
    services.issue(clerk, case, on=TODAY)
    services.mark_ready(clerk, case, on=TODAY)
    return case, clerk


def api_post(client, path: str, body: dict):
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")


def test_a_fee_is_not_recorded_on_a_withdrawn_case_through_the_services() -> None:
    user = applicant()
    case = submitted(user, "rp-personal-affairs")
    clerk = actor(officer(case.hall_id))
    hall_receives(clerk, case, on=TODAY)
    services.withdraw(actor(user), case, on=TODAY)
    with pytest.raises(IllegalTransition) as refused:
        services.record_payment(clerk, case, 1, "cash", on=TODAY)
    assert "no fee is taken for a case that is Withdrawn" in refused.value.text.en
    assert "已撤回" in refused.value.text.zh
    assert not Payment.objects.exists()


def test_a_fee_is_refused_with_409_on_a_withdrawn_case_through_the_api() -> None:
    user = applicant()
    case = submitted(user, "rp-personal-affairs")
    hall = officer(case.hall_id)
    hall_receives(actor(hall), case, on=TODAY)
    services.withdraw(actor(user), case, on=TODAY)
    r = api_post(client_for(hall), f"/cases/{case.pk}/payments", {"amount_cny": 1, "method": "cash"})
    assert r.status_code == 409
    problem = r.json()["detail"][0]
    assert (
        problem["field"] == "state"
        and "Withdrawn" in problem["message"]
        and "已撤回" in problem["message_zh"]
    )
    assert not Payment.objects.exists()


def test_a_permit_is_not_collected_while_its_fee_is_unpaid_and_the_refusal_says_what_is_outstanding() -> None:
    case, clerk = ready(applicant())
    due = services.fee_of(case, TODAY).due
    services.record_payment(clerk, case, 100, "cash", on=TODAY)
    with pytest.raises(services.Refused) as refused:
        services.collect(clerk, case, on=TODAY)
    assert refused.value.field == "fee"
    assert (
        f"CNY {due - 100:,} of the CNY {due:,} fee is outstanding (paid: CNY 100)" in refused.value.message.en
    )
    assert f"尚欠{due - 100:,}元" in refused.value.message.zh
    assert Case.objects.get(pk=case.pk).state == State.READY
    services.record_payment(clerk, case, due - 100, "card", on=TODAY)
    assert services.collect(clerk, case, on=TODAY).state == State.COLLECTED


def test_the_api_refuses_collection_with_422_until_the_fee_is_paid() -> None:
    case, clerk = ready(applicant())
    hall = client_for(clerk.user)
    r = hall.post(f"/api/v1/cases/{case.pk}/collect")
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "fee"
    due = services.fee_of(case, TODAY).due
    assert (
        api_post(hall, f"/cases/{case.pk}/payments", {"amount_cny": due, "method": "card"}).status_code == 201
    )
    collected = hall.post(f"/api/v1/cases/{case.pk}/collect")
    assert collected.status_code == 200
    fee = collected.json()["fee"]
    assert {k: fee[k] for k in ("due_cny", "paid_cny", "outstanding_cny", "exemption")} == {
        "due_cny": due,
        "paid_cny": due,
        "outstanding_cny": 0,
        "exemption": None,
    }
    assert [(p["paid_at"], p["paid_cny"], p["outstanding_cny"]) for p in fee["parts"]] == [("issue", due, 0)]
    assert [p["amount_cny"] for p in collected.json()["payments"]] == [due]


def test_a_fee_exemption_with_its_reason_lets_the_permit_be_collected_and_is_audited() -> None:
    user = applicant()
    case, clerk = ready(user)
    with pytest.raises(services.Refused, match="reason"):
        services.exempt_fee(clerk, case, "  ")
    with pytest.raises(PermissionDenied):
        services.exempt_fee(actor(user), case, "I would rather not pay")
    hall = client_for(clerk.user)
    r = api_post(hall, f"/cases/{case.pk}/fee-exemption", {"reason": "Waived by the director's order 12"})
    assert r.status_code == 201 and r.json()["reason"] == "Waived by the director's order 12"
    again = api_post(hall, f"/cases/{case.pk}/fee-exemption", {"reason": "twice"})
    assert again.status_code == 422
    assert FeeExemption.objects.get().recorded_by == clerk.user
    assert AuditEntry.objects.filter(action="case.exempt_fee", object_id=str(case.pk)).count() == 1
    assert services.collect(clerk, case, on=TODAY).state == State.COLLECTED
    detail = hall.get(f"/api/v1/cases/{case.pk}").json()
    assert detail["fee"]["exemption"]["reason"] == "Waived by the director's order 12"
    assert detail["fee"]["outstanding_cny"] == 0
    for page in (hall.get(f"/en/console/cases/{case.pk}/"), client_for(user).get(f"/en/my/{case.pk}/")):
        assert "Fee waived: Waived by the director&#x27;s order 12" in page.content.decode()


def test_a_fee_paid_in_full_is_not_waived() -> None:
    case, clerk = ready(applicant())
    services.record_payment(clerk, case, services.fee_of(case, TODAY).due, "cash", on=TODAY)
    with pytest.raises(services.Refused, match="paid in full"):
        services.exempt_fee(clerk, case, "too late", on=TODAY)
    assert not FeeExemption.objects.exists()


def test_the_fee_history_stays_on_both_sides_pages_after_collection() -> None:
    user = applicant()
    case, clerk = ready(user)
    due = services.fee_of(case, TODAY).due
    services.record_payment(clerk, case, due, "card", on=TODAY)
    services.collect(clerk, case, on=TODAY)
    paid = f"Due CNY {due:,}, paid CNY {due:,}."
    hall_page = client_for(clerk.user).get(f"/en/console/cases/{case.pk}/").content.decode()
    mine = client_for(user).get(f"/en/my/{case.pk}/").content.decode()
    assert paid in hall_page and "Bank card" in hall_page
    assert paid in mine and "Bank card" in mine
    zh = client_for(user).get(f"/zh-hans/my/{case.pk}/").content.decode()
    assert "已缴" in zh


def test_the_hall_waives_the_fee_on_its_page_and_both_sides_see_the_reason() -> None:
    user = applicant()
    case, clerk = ready(user)
    hall = client_for(clerk.user)
    base = f"/en/console/cases/{case.pk}"
    refused = hall.post(f"{base}/collect/")
    assert refused.status_code == 422 and "fee is outstanding" in refused.content.decode()
    assert hall.post(f"{base}/exempt_fee/", {"reason": "Hardship, order 7"}).status_code == 302
    assert hall.post(f"{base}/collect/").status_code == 302
    assert "Fee waived: Hardship, order 7" in hall.get(f"{base}/").content.decode()
    assert "Fee waived: Hardship, order 7" in client_for(user).get(f"/en/my/{case.pk}/").content.decode()


def test_no_fee_is_taken_before_the_hall_has_received_the_materials() -> None:
    case = submitted(applicant(), "rp-personal-affairs")
    clerk = actor(officer(case.hall_id))
    for step in (
        lambda: services.record_payment(clerk, case, 800, "cash", on=TODAY),
        lambda: services.exempt_fee(clerk, case, "Hardship, order 7", on=TODAY),
    ):
        with pytest.raises(IllegalTransition) as refused:
            step()
        assert "once it has received the materials" in refused.value.text.en
        assert "接收材料后" in refused.value.text.zh
    assert not Payment.objects.exists()


def accept(clerk, case):
    return services.accept(clerk, case, on=TODAY, changes=hall_changes(case.hall_id, TODAY))


def test_a_permanent_residence_application_is_accepted_only_once_its_acceptance_fee_is_paid() -> None:
    case, clerk = received_in_full(applicant())
    with pytest.raises(services.Refused) as refused:
        accept(clerk, case)
    assert refused.value.field == "fee"
    assert (
        "CNY 1,500 of the CNY 1,500 due when the application is accepted is outstanding (paid: CNY 0)"
        in refused.value.message.en
    )
    assert "尚欠1,500元" in refused.value.message.zh and "受理回执" in refused.value.message.zh
    assert Case.objects.get(pk=case.pk).state == State.RECEIVED
    assert not Receipt.objects.exists()
    services.record_payment(clerk, case, 1000, "cash", on=TODAY)
    with pytest.raises(services.Refused, match="fee"):
        accept(clerk, case)
    services.record_payment(clerk, case, 500, "card", on=TODAY)
    assert accept(clerk, case).case.state == State.ACCEPTED
    assert services.fee_of(case, TODAY).outstanding == 300  # the card fee, paid when it is issued


def test_an_exemption_recorded_at_the_counter_lets_the_application_be_accepted() -> None:
    case, clerk = received_in_full(applicant())
    services.exempt_fee(clerk, case, "Waived by the director's order 12", on=TODAY)
    assert accept(clerk, case).case.state == State.ACCEPTED


def test_an_application_with_no_fee_due_at_acceptance_is_accepted_unpaid() -> None:
    case, clerk = received_in_full(applicant(), "rp-personal-affairs")
    assert services.fee_of(case, TODAY).due_at_acceptance == 0
    assert accept(clerk, case).case.state == State.ACCEPTED
    assert not Payment.objects.exists()


def fee_parts(user, case) -> list[tuple]:
    """The case's fee parts as the API gives them to the applicant: id, amount, when paid, paid,
    outstanding, waived."""
    fee = client_for(user).get(f"/api/v1/cases/{case.pk}").json()["fee"]
    keys = ("id", "amount_cny", "paid_at", "paid_cny", "outstanding_cny", "waived")
    return [tuple(p[k] for k in keys) for p in fee["parts"]]


def test_the_case_api_gives_each_fee_part_with_when_it_is_paid_and_what_of_it_is_paid() -> None:
    """Permanent residence: 1,500 when the application is accepted and 300 when the card is issued (seed
    "Fees"); a payment counts towards the acceptance part first, as the case page and the counter count."""
    user = applicant()
    case, clerk = received_in_full(user)
    services.record_payment(clerk, case, 1000, "cash", on=TODAY)
    assert fee_parts(user, case) == [
        ("application-fee", 1500, "acceptance", 1000, 500, False),
        ("card-production-fee", 300, "issue", 0, 300, False),
    ]
    services.record_payment(clerk, case, 500, "card", on=TODAY)
    accept(clerk, case)
    assert fee_parts(user, case) == [
        ("application-fee", 1500, "acceptance", 1500, 0, False),
        ("card-production-fee", 300, "issue", 0, 300, False),
    ]
    fee = client_for(user).get(f"/api/v1/cases/{case.pk}").json()["fee"]
    assert (fee["due_cny"], fee["paid_cny"], fee["outstanding_cny"]) == (1800, 1500, 300)
    application, card = fee["parts"]
    assert application["text"]["zh"] == "永久居留申请受理费（每人）"
    assert [c["label_en"] for c in application["cite"]] == [
        "Beijing guide to foreign permanent residence, Fees (Application)"
    ]
    assert application["paid_when"] == {"en": "Paid when the application is accepted", "zh": "受理申请时缴纳"}
    assert card["paid_when"] == {
        "en": "Paid when the permit is issued, on collection",
        "zh": "发证时（领取证件时）缴纳",
    }


def test_a_waived_fee_part_shows_as_waived_in_the_case_api_and_a_paid_one_stays_paid() -> None:
    user = applicant()
    case, clerk = accepted(user, "pr-application")
    services.exempt_fee(clerk, case, "Hardship", on=TODAY)
    assert fee_parts(user, case) == [
        ("application-fee", 1500, "acceptance", 1500, 0, False),
        ("card-production-fee", 300, "issue", 0, 0, True),
    ]


def test_the_card_fee_is_what_collection_still_requires() -> None:
    user = applicant()
    case, clerk = accepted(user, "pr-application")
    services.forward_to_ministry(clerk, case)
    supervisor = actor(officer(case.hall_id, role=Role.SUPERVISOR))
    services.decide(supervisor, case, "approved", validity="P10Y", on=TODAY)
    services.issue(clerk, case, on=TODAY)
    services.mark_ready(clerk, case, on=TODAY)
    with pytest.raises(services.Refused) as refused:
        services.collect(clerk, case, on=TODAY)
    assert "CNY 300 of the CNY 1,800 fee is outstanding (paid: CNY 1,500)" in refused.value.message.en
    services.record_payment(clerk, case, 300, "cash", on=TODAY)
    assert services.collect(clerk, case, on=TODAY).state == State.COLLECTED


@pytest.mark.parametrize(
    ("lang", "part", "marked"),
    [
        (
            "en",
            '<td class="paid-when">Paid when the application is accepted</td><td class="part-state">',
            '<strong>CNY 1,500</strong> <span class="paid-at">Paid when the application is accepted.</span>',
        ),
        (
            "zh-hans",
            '<td class="paid-when">受理申请时缴纳</td><td class="part-state">',
            '<strong>1,500元</strong> <span class="paid-at">受理申请时缴纳。</span>',
        ),
    ],
)
def test_both_sides_pages_say_which_part_of_the_fee_is_due_when(lang, part, marked) -> None:
    """The refused acceptance shows the fee by its parts (tests/web/test_fee_parts_page.py has each state)."""
    user = applicant()
    case, clerk = received_in_full(user)
    hall = client_for(clerk.user)
    refused = hall.post(f"/{lang}/console/cases/{case.pk}/accept/")
    assert refused.status_code == 422
    assert ("1500" in refused.content.decode()) and part in refused.content.decode()
    assert 'name="amount_cny" type="number" min="1" step="1" inputmode="numeric" value="1500"' in (
        refused.content.decode()
    )
    assert part in client_for(user).get(f"/{lang}/my/{case.pk}/").content.decode()
    assert marked in Client().get(f"/{lang}/guide/pr-application/").content.decode()


def test_the_decision_prints_every_fee_line_the_case_page_charges() -> None:
    user = applicant()
    case, clerk = accepted(user, "pr-application")
    services.forward_to_ministry(clerk, case)
    supervisor = actor(officer(case.hall_id, role=Role.SUPERVISOR))
    services.decide(supervisor, case, "approved", validity="P10Y", on=TODAY)
    case.refresh_from_db()
    due = services.fee_of(case, TODAY).due
    lines = notices.decision(case).fee
    printed = " ".join(line.text.en for line in lines)
    assert due == 1800 and "CNY 1,500" in printed and "CNY 300" in printed
    # what of each line is paid is its status, not a reason for it
    assert [(line.why, line.status.en) for line in lines] == [
        (None, "Paid when the application is accepted; paid in full."),
        (None, "Paid when the permit is issued, on collection; due now."),
    ]


def _api_fee(user, case) -> dict:
    r = client_for(user).get(f"/api/v1/cases/{case.pk}")
    assert r.status_code == 200
    return r.json()["fee"]


def _parts(fee: dict) -> list[tuple[str, int, int, str]]:
    return [(p["paid_at"], p["paid_cny"], p["outstanding_cny"], p["due"]) for p in fee["parts"]]


def test_the_api_parts_add_up_to_what_is_outstanding_and_say_when_each_is_due() -> None:
    user = applicant()
    case, clerk = received_in_full(user)
    services.record_payment(clerk, case, 1000, "cash", on=TODAY)
    fee = _api_fee(user, case)
    assert _parts(fee) == [("acceptance", 1000, 500, "now"), ("issue", 0, 300, "later")]
    assert fee["outstanding_cny"] == 800 == sum(p["outstanding_cny"] for p in fee["parts"])


def refused_pr():
    """A PR application accepted (its acceptance fee paid), forwarded and refused: (its applicant, it)."""
    user = applicant()
    case, clerk = accepted(user, "pr-application")
    services.forward_to_ministry(clerk, case)
    supervisor = actor(officer(case.hall_id, role=Role.SUPERVISOR))
    services.decide(supervisor, case, "refused", ground_id=CONDITIONS_NOT_MET, on=TODAY)
    return user, case


def test_the_api_parts_of_a_refused_case_charge_nothing_for_the_card() -> None:
    fee = _api_fee(*refused_pr())
    assert _parts(fee) == [("acceptance", 1500, 0, "now"), ("issue", 0, 0, "not_charged")]
    assert fee["outstanding_cny"] == 0 == sum(p["outstanding_cny"] for p in fee["parts"])


def test_the_api_parts_of_a_withdrawn_case_charge_nothing_more() -> None:
    user = applicant()
    case, clerk = received_in_full(user)
    services.record_payment(clerk, case, 1000, "cash", on=TODAY)
    services.withdraw(actor(user), case)
    fee = _api_fee(user, case)
    assert _parts(fee) == [("acceptance", 1000, 0, "not_charged"), ("issue", 0, 0, "not_charged")]
    assert fee["outstanding_cny"] == 0 == sum(p["outstanding_cny"] for p in fee["parts"])


def _states(fee: dict) -> list[tuple]:
    return [(p["state"], p["state_label"]["en"], p["state_label"]["zh"]) for p in fee["parts"]]


def test_the_api_says_each_parts_state_in_the_words_of_the_case_page() -> None:
    user = applicant()
    case, clerk = received_in_full(user)
    services.record_payment(clerk, case, 1000, "cash", on=TODAY)
    fee = _api_fee(user, case)
    assert _states(fee) == [
        ("partly_paid", "CNY 1,000 paid, CNY 500 outstanding; due now", "已缴1,000元，尚欠500元；现应缴纳"),
        ("not_yet_due", "Not yet due", "尚未到缴纳时间"),
    ]
    assert [(p["state_why"], p["state_cite"]) for p in fee["parts"]] == [(None, []), (None, [])]
    services.record_payment(clerk, case, 500, "cash", on=TODAY)
    accept(clerk, case)
    services.exempt_fee(clerk, case, "Hardship", on=TODAY)
    assert _states(_api_fee(user, case)) == [
        ("paid", "Paid in full", "已全额缴纳"),
        ("waived", "Waived", "已免收"),
    ]


def test_the_api_says_why_a_part_of_a_withdrawn_case_is_not_charged_citing_its_source() -> None:
    user = applicant()
    case, clerk = received_in_full(user)
    services.withdraw(actor(user), case)
    fee = _api_fee(user, case)
    assert _states(fee) == [
        ("not_charged", "Not charged", "不收取"),
        ("not_charged", "Not charged", "不收取"),
    ]
    application, card = fee["parts"]
    assert application["state_why"]["en"].startswith("The application was withdrawn: nothing more")
    assert application["state_why"]["zh"].startswith("申请已撤回")
    assert [c["label_en"] for c in card["state_cite"]] == [
        "Beijing guide to foreign permanent residence, Fees (Issuance)"
    ]
    assert fee["summary"]["en"].startswith("Nothing is due. The application was withdrawn")


def test_the_api_says_a_refused_cases_card_fee_is_not_charged_as_no_card_is_issued() -> None:
    fee = _api_fee(*refused_pr())
    assert _states(fee) == [("paid", "Paid in full", "已全额缴纳"), ("not_charged", "Not charged", "不收取")]
    assert fee["parts"][1]["state_why"]["en"].startswith("The application was refused: no permit is issued")
    assert fee["summary"] == {
        "en": "Due CNY 1,500, paid CNY 1,500. CNY 300 is not charged. The application was refused: no permit "
        "is issued, so what is paid when the permit is issued is not charged.",
        "zh": "应缴1,500元，已缴1,500元。300元不收取。申请不予批准：不发放证件，发证时缴纳的费用不收取。",
    }
    assert [c["label_en"] for c in fee["summary_cite"]] == [
        "Beijing guide to foreign permanent residence, Fees (Issuance)"
    ]


STEPS = "Beijing guide to personal affairs residence permits, Steps"
FIRST_REFUSAL = "first-refusal-law-grounds"  # a first residence permit not issued


def test_the_api_cites_only_the_rule_behind_a_refused_residence_permits_fee_not_charged() -> None:
    """A personal-affairs permit's fee is paid on collection (seed personal affairs guide, "Steps": "Pay the
    application fee and pick up your documents"): refused, its part is not charged, citing that step only,
    not the Exit and Entry Administration Law's Art. 30 the fee line cites for its validity bands."""
    user = applicant()
    case, clerk = accepted(user, "rp-personal-affairs")
    services.decide(clerk, case, "refused", ground_id=FIRST_REFUSAL, on=TODAY)
    fee = _api_fee(user, case)
    (part,) = fee["parts"]
    assert part["state"] == "not_charged"
    assert "Art. 30" in " ".join(c["label_en"] for c in part["cite"])  # the fee line's own sources
    assert [c["label_en"] for c in part["state_cite"]] == [STEPS]
    assert [c["label_zh"] for c in part["state_cite"]] == [
        "《北京市外国人私人事务类居留许可及延期办事指南》办理步骤"
    ]
    assert fee["summary"]["en"].startswith("Nothing is due. The application was refused: no permit is issued")
    assert [c["label_en"] for c in fee["summary_cite"]] == [STEPS]


def _pdf_words(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_receipt_of_a_withdrawn_application_says_nothing_is_due_as_the_case_page_does() -> None:
    """A personal-affairs permit's fee is paid when the permit is issued, on collection: withdrawn after acceptance, the
    receipt still names the law's fee, and says, as the case page does, that nothing of it is due and why."""
    user = applicant()
    case, clerk = accepted(user, "rp-personal-affairs")
    assert notices.receipt(case).fee_ended is None
    services.withdraw(actor(user), case)
    case.refresh_from_db()
    said = notices.receipt(case).fee_ended
    assert said.text == services.fee_of(case, TODAY).summary.with_why
    assert said.text.en.startswith("Nothing is due. The application was withdrawn")
    assert said.cite == (Text(STEPS, "《北京市外国人私人事务类居留许可及延期办事指南》办理步骤"),)
    assert "Nothing is due. The application was withdrawn" in _pdf_words(
        notices.render("receipt", case, "https://example.test")
    )


def test_the_decision_says_each_parts_state_in_the_words_of_the_case_page() -> None:
    user = applicant()
    case, clerk = accepted(user, "pr-application")
    services.forward_to_ministry(clerk, case)
    supervisor = actor(officer(case.hall_id, role=Role.SUPERVISOR))
    services.decide(supervisor, case, "approved", validity="P10Y", on=TODAY)
    case.refresh_from_db()
    services.record_payment(clerk, case, 100, "cash", on=TODAY)
    assert [line.status for line in notices.decision(case).fee] == [
        Text("Paid when the application is accepted; paid in full.", "受理申请时缴纳；已全额缴纳。"),
        Text(
            "Paid when the permit is issued, on collection; CNY 100 paid, CNY 200 outstanding; due now.",
            "发证时（领取证件时）缴纳；已缴100元，尚欠200元；现应缴纳。",
        ),
    ]


def test_a_fee_paid_when_the_permit_is_issued_is_not_taken_before_it_is_due() -> None:
    """law.model.FEE_CHARGED: a residence permit's fee is paid when the permit is issued, on collection
    (PAID_WHEN["issue"]); the hall holding the application does not take it yet, the service refusing (409
    over the API), not only the page hiding its form."""
    user = applicant()
    case = submitted(user, "rp-personal-affairs")
    clerk = actor(officer(case.hall_id))
    hall_receives(clerk, case, on=TODAY)
    due = services.fee_of(case, TODAY).due
    with pytest.raises(IllegalTransition) as refused:
        services.record_payment(clerk, case, due, "cash", on=TODAY)
    assert f"CNY {due:,}: paid when the permit is issued, on collection" in refused.value.text.en
    assert f"{due:,}元：发证时（领取证件时）缴纳" in refused.value.text.zh
    hall = client_for(clerk.user)
    r = api_post(hall, f"/cases/{case.pk}/payments", {"amount_cny": due, "method": "cash"})
    assert r.status_code == 409 and "not payable yet" in r.json()["detail"][0]["message"]
    page = hall.get(f"/en/console/cases/{case.pk}/").content.decode()
    assert "step-record_payment" not in page
    posted = hall.post(f"/en/console/cases/{case.pk}/record_payment/", {"amount_cny": due, "method": "cash"})
    assert posted.status_code == 422 and "The fee is not payable yet" in posted.content.decode()
    assert not Payment.objects.exists()


def test_a_payment_reads_the_fee_once_and_takes_only_what_is_due_now(monkeypatch) -> None:
    """``record_payment`` reads the case's fee advice once (``fee_of``), where it read it twice (the total,
    then the parts); what is charged later stays refused and what is due now is taken."""
    case, clerk = received_in_full(applicant())
    asked = []
    advice_on = Case.advice_on

    def counted(self, on):
        asked.append(on)
        return advice_on(self, on)

    monkeypatch.setattr(Case, "advice_on", counted)
    with pytest.raises(services.Refused) as refused:
        services.record_payment(clerk, case, 1501, "cash", on=TODAY)
    assert refused.value.field == "amount_cny" and "CNY 1,500" in refused.value.message.en
    asked.clear()
    services.record_payment(clerk, case, 1500, "cash", on=TODAY)
    assert len(asked) == 1
    assert services.fee_of(case, TODAY).outstanding_now == 0
