"""Every procedure in the catalog, from draft to collected, through the one-time notice and a pause."""

from __future__ import annotations

import pytest

from case_helpers import (
    accepted,
    approval_validity,
    filed_as_filed_in_life,
    hall_accepts,
    hall_receives,
    started,
    submitted,
    upload_everything,
)
from exitentry.accounts.audit import verify
from exitentry.accounts.models import Role
from exitentry.appointments.opening import hall_changes
from exitentry.cases import lifecycle, notices, services
from exitentry.cases.deadlines import case_deadlines
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case
from exitentry.law.catalog import catalog
from exitentry.law.clocks import MET
from exitentry.law.model import FEE_CHARGED, FEE_STAGES, PAID_AT
from factories import PROCEDURES, TODAY, actor, applicant, officer

pytestmark = pytest.mark.django_db

D1, D2, D3 = TODAY.replace(day=3), TODAY.replace(day=5), TODAY.replace(day=6)


@pytest.mark.parametrize("procedure_id", PROCEDURES)
def test_an_application_goes_from_draft_to_collected(procedure_id: str) -> None:
    procedure = catalog().procedure(procedure_id)
    user, case = filed_as_filed_in_life(procedure_id)
    hall = officer(case.hall_id)
    supervisor = officer(case.hall_id, role=Role.SUPERVISOR)
    clerk = actor(hall)
    if lifecycle.has_pre_examination(procedure):
        services.pre_examine(clerk, case, on=TODAY)
    hall_receives(clerk, case, on=TODAY)
    if services.outstanding(case, TODAY):
        notice = services.notify_deficiency(clerk, case, on=D1)
        assert notice.items and all(item["cite"] for item in notice.items)
        upload_everything(user, case)
        services.resubmit(actor(user), case, on=D2)
    receipt = hall_accepts(clerk, case, on=D2)
    assert receipt.number == f"{case.reference}-R"
    task = services.open_task(clerk, case, "interview")
    services.close_task(clerk, task, "The applicant confirmed the purpose of residence.")
    decider = clerk
    if lifecycle.needs_ministry(procedure):
        services.forward_to_ministry(clerk, case)
        decider = actor(supervisor)
    services.decide(decider, case, "approved", validity=approval_validity(case), on=D3)
    services.issue(clerk, case, on=D3)
    services.mark_ready(clerk, case, on=D3)
    if rest := services.fee_of(case, D3).outstanding:  # what is not paid at acceptance
        services.record_payment(clerk, case, rest, "cash", on=D3)
    services.collect(clerk, case, on=D3)

    case.refresh_from_db()
    assert case.state == State.COLLECTED
    assert case.permit is not None
    assert case.permit.replay() == case.permit.particulars()
    assert [e.to_state for e in case.events.all()][-4:] == ["approved", "issued", "ready", "collected"]
    for deadline in case_deadlines(case, D3):
        assert deadline.status == MET, deadline
    assert verify().ok


def test_a_pause_for_missing_materials_moves_the_processing_deadline_by_the_working_days_waited() -> None:
    user = applicant()
    case = submitted(user, "rp-personal-affairs")
    clerk = actor(officer(case.hall_id))
    hall_receives(clerk, case, on=TODAY)  # Monday 2 November 2026: 7 working days end 11 November
    services.notify_deficiency(clerk, case, on=TODAY.replace(day=4))
    upload_everything(user, case)
    services.resubmit(actor(user), case, on=TODAY.replace(day=9))  # three working days paused
    [processing] = [d for d in case_deadlines(case, TODAY.replace(day=9)) if d.clock == "processing"]
    assert processing.deadline.due == TODAY.replace(day=16)
    assert processing.deadline.paused_working_days == 3


def test_while_the_notice_is_unanswered_the_processing_clock_shows_paused() -> None:
    user = applicant()
    case = submitted(user, "rp-personal-affairs")
    clerk = actor(officer(case.hall_id))
    hall_receives(clerk, case, on=TODAY)
    services.notify_deficiency(clerk, case, on=TODAY)
    [processing] = [d for d in case_deadlines(case, TODAY.replace(day=30)) if d.clock == "processing"]
    assert processing.status == "paused"


def test_the_receipt_for_a_residence_permit_is_valid_15_working_days_and_the_decision_is_due_within_it() -> (
    None
):
    user = applicant()
    case, clerk = accepted(user, "rp-work")
    receipt = case.receipt
    assert receipt.valid_until == TODAY.replace(day=23)  # 15 working days after Monday 2 November 2026
    assert Case.objects.get(pk=case.pk).decision_due == receipt.valid_until


def test_a_visa_extension_receipt_is_valid_7_working_days() -> None:
    user = applicant()
    case = submitted(user, "visa-extension")
    clerk = actor(officer(case.hall_id))
    hall_receives(clerk, case, on=TODAY)
    upload_everything(user, case)
    assert hall_accepts(clerk, case, on=TODAY).valid_until == TODAY.replace(day=11)


def test_accepting_with_materials_missing_is_refused_and_changes_nothing() -> None:
    case = submitted(applicant(), "rp-personal-affairs")
    clerk = actor(officer(case.hall_id))
    hall_receives(clerk, case, on=TODAY)
    with pytest.raises(services.Refused, match="one-time notice"):
        hall_accepts(clerk, case, on=TODAY)
    case.refresh_from_db()
    assert case.state == State.RECEIVED and not hasattr(case, "receipt_cache")
    assert case.events.count() == 2


def test_a_refusal_cites_an_article_21_ground_and_issues_nothing() -> None:
    user = applicant()
    case, clerk = accepted(user, "rp-extension")
    with pytest.raises(
        services.Refused, match="is not one of the grounds for refusing.*refusal-fraud \\(Art. 21\\(2\\)\\)"
    ):
        services.decide(clerk, case, "refused", ground_id="void-damaged-lost-stolen-robbed", on=TODAY)
    decision = services.decide(clerk, case, "refused", ground_id="refusal-fraud", on=TODAY)
    assert decision.outcome == "refused"
    case.refresh_from_db()
    assert case.closed_on == case.decided_on == TODAY  # closed, as a withdrawal or a collection closes it
    with pytest.raises(lifecycle.IllegalTransition):
        services.issue(clerk, case, on=TODAY)


def test_an_approval_outside_the_laws_validity_range_is_refused() -> None:
    user = applicant()
    case, clerk = accepted(user, "rp-study")
    with pytest.raises(services.Refused, match="at least 180 days") as refused:
        services.decide(clerk, case, "approved", validity="P90D", on=TODAY)
    assert refused.value.field == "validity"
    assert (
        not hasattr(Case.objects.get(pk=case.pk), "decision")
        or Case.objects.get(pk=case.pk).state == "accepted"
    )


def test_an_approval_for_a_hundred_thousand_years_is_refused_saying_the_longest_length() -> None:
    case, clerk = accepted(applicant(), "rp-study")
    with pytest.raises(services.Refused, match="at most 100 years") as refused:
        services.decide(clerk, case, "approved", validity="P99999Y", on=TODAY)
    assert refused.value.field == "validity"


def test_a_decision_waits_for_open_verification_tasks() -> None:
    user = applicant()
    case, clerk = accepted(user, "rp-work")
    services.open_task(clerk, case, "site_visit")
    with pytest.raises(services.Refused, match="open verification tasks"):
        services.decide(clerk, case, "approved", validity="P1Y", on=TODAY)


def test_permanent_residence_is_decided_only_by_a_supervisor_after_forwarding_to_the_ministry() -> None:
    user = applicant()
    case, clerk = accepted(user, "pr-application")
    with pytest.raises(lifecycle.IllegalTransition, match="forward it first"):
        services.decide(clerk, case, "approved", validity="P10Y", on=TODAY)
    services.forward_to_ministry(clerk, case)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.decide(clerk, case, "approved", validity="P10Y", on=TODAY)
    supervisor = actor(officer(case.hall_id, role=Role.SUPERVISOR))
    assert services.decide(supervisor, case, "approved", validity="P10Y", on=TODAY).outcome == "approved"


def test_an_applicant_may_withdraw_before_the_decision_and_not_after() -> None:
    user = applicant()
    case = submitted(user, "rp-work")
    services.withdraw(actor(user), case, on=TODAY)
    assert case.state == State.WITHDRAWN
    other = submitted(user, "rp-work")
    clerk = actor(officer(other.hall_id))
    hall_receives(clerk, other, on=TODAY)
    upload_everything(user, other)
    hall_accepts(clerk, other, on=TODAY)
    services.decide(clerk, other, "approved", validity="P1Y", on=TODAY)
    with pytest.raises(lifecycle.IllegalTransition, match="withdraw"):
        services.withdraw(actor(user), other, on=TODAY)


def test_a_unit_may_file_online_but_an_ordinary_employee_must_come_in_person_to_hand_it_in() -> None:
    from exitentry.accounts.models import Role
    from factories import PersonFactory, UnitFactory, UserFactory, eligible_facts

    handler = UserFactory(role=Role.UNIT, unit=UnitFactory())
    facts = eligible_facts("rp-work")
    case = services.start_case(
        actor(handler), procedure_id="rp-work", person=PersonFactory(), facts=facts, on=TODAY, entered=True
    )
    services.submit(actor(handler), case, "chaoyang", on=TODAY)
    clerk = actor(officer("chaoyang"))
    with pytest.raises(services.Refused, match="in person") as refused:
        services.receive(
            clerk, case, applicant_present=False, on=TODAY, changes=hall_changes(case.hall_id, TODAY)
        )
    assert refused.value.field == "applicant_present"
    hall_receives(clerk, case, on=TODAY)
    assert "trustee-id-copy" not in {d.item.id for d in services.outstanding(case, TODAY)}


def test_a_high_level_talents_unit_may_hand_it_in_with_the_trustees_id_copy() -> None:
    from exitentry.accounts.models import Role
    from factories import PersonFactory, UnitFactory, UserFactory, eligible_facts

    handler = UserFactory(role=Role.UNIT, unit=UnitFactory())
    facts = {**eligible_facts("rp-work"), "high_level_talent": True}
    case = services.start_case(
        actor(handler), procedure_id="rp-work", person=PersonFactory(), facts=facts, on=TODAY, entered=True
    )
    services.submit(actor(handler), case, "chaoyang", on=TODAY)
    services.receive(
        actor(officer("chaoyang")),
        case,
        applicant_present=False,
        on=TODAY,
        changes=hall_changes(case.hall_id, TODAY),
    )
    assert "trustee-id-copy" in {d.item.id for d in services.outstanding(case, TODAY)}


def test_an_issued_visa_extension_moves_the_last_day_of_stay_by_the_days_granted() -> None:
    from factories import eligible_facts

    user = applicant()
    facts = {**eligible_facts("visa-extension"), "original_stay_days": 30, "requested_extension_days": 10}
    case = submitted(user, "visa-extension", facts=facts)
    before = case.permit.valid_until
    clerk = actor(officer(case.hall_id))
    hall_receives(clerk, case, on=TODAY)
    upload_everything(user, case)
    hall_accepts(clerk, case, on=TODAY)
    with pytest.raises(services.Refused, match="from 1 to 30 days"):
        services.decide(clerk, case, "approved", validity="P31D", on=TODAY)
    services.decide(clerk, case, "approved", validity="P10D", on=TODAY)
    services.issue(clerk, case, on=TODAY)
    case.permit.refresh_from_db()
    assert (case.permit.valid_until - before).days == 10
    assert case.permit.events.last().kind == "extension"


def test_a_first_residence_permit_is_not_refused_on_an_article_21_ground() -> None:
    """Art. 21 lists grounds for not approving "the extension, renewal or reissuance of visas and residence
    permits, or [issuing] stay permits"; a first permit decided before 7 December 2026 cited Regulations
    Art. 34(4), and its decision reprints that ground, whatever the catalog offers today."""
    case, clerk = accepted(applicant(), "rp-personal-affairs")
    with pytest.raises(services.Refused, match="first-refusal-law-grounds \\(Art. 34\\(4\\)\\)") as refused:
        services.decide(clerk, case, "refused", ground_id="refusal-fraud", on=TODAY)
    assert refused.value.field == "ground_id"
    decision = services.decide(clerk, case, "refused", ground_id="first-refusal-law-grounds", on=TODAY)
    assert decision.outcome == "refused"
    said = notices.decision(case).refusal_ground
    assert (
        [c.en for c in said.cite][0]
        == "Regulations of the People's Republic of China on the Administration of the Entry and Exit of Foreigners, Art. 34(4)"
    )


def test_an_exit_document_is_refused_on_its_own_conditions_not_on_article_21() -> None:
    """Art. 21 reaches visas, residence and stay permits; an exit document (Art. 23) is refused as not
    meeting the conditions of Art. 23, the procedure's own source."""
    case, clerk = accepted(applicant(), "exit-without-passport")
    with pytest.raises(services.Refused, match="does not meet the conditions of the procedure"):
        services.decide(clerk, case, "refused", ground_id="refusal-fraud", on=TODAY)
    decision = services.decide(clerk, case, "refused", ground_id="refusal-conditions-not-met", on=TODAY)
    assert decision.outcome == "refused"
    said = notices.decision(case).refusal_ground
    assert said.text.en.startswith("Refused: the application does not meet the conditions of")
    assert [c.en for c in said.cite] == [
        "Regulations of the People's Republic of China on the Administration of the Entry and Exit of Foreigners, Art. 23"
    ]


def test_a_one_stop_renewal_is_handed_in_by_the_unit_but_not_by_a_person_acting_alone() -> None:
    """Seed 002, 6. Notes (1): an applicant who applies to renew "may entrust the inviting unit or specialized
    service agencies with the application"; a person acting alone (a relative) is not named."""
    from exitentry.accounts.models import Role
    from factories import PersonFactory, UnitFactory, UserFactory, eligible_facts

    procedure = "one-stop-work-permits-renewal"
    for user, taken in (
        (UserFactory(role=Role.PROXY), False),
        (UserFactory(role=Role.UNIT, unit=UnitFactory()), True),
    ):
        case = started(user, procedure, person=PersonFactory(), facts=eligible_facts(procedure))
        services.submit(actor(user), case, "one-stop-counter", on=TODAY)
        clerk = actor(officer("one-stop-counter"))
        services.pre_examine(clerk, case, on=TODAY)
        changes = hall_changes(case.hall_id, TODAY)
        if taken:
            services.receive(clerk, case, applicant_present=False, on=TODAY, changes=changes)
            continue
        with pytest.raises(
            services.Refused, match="Only the inviting unit or a specialised service agency"
        ) as no:
            services.receive(clerk, case, applicant_present=False, on=TODAY, changes=changes)
        assert no.value.field == "applicant_present"


@pytest.mark.parametrize(
    ("agency", "claimed"),
    [
        pytest.param(
            False, "agency", id="a person acting alone may not file as a specialised service agency"
        ),
        pytest.param(
            True, "proxy", id="an agency's account may not file as the inviting individual or a relative"
        ),
    ],
)
def test_a_proxy_account_files_only_as_what_it_is(agency, claimed) -> None:
    """Regulations Art. 19 names the inviting entity or individual, the applicant's relatives and specialised
    service agencies: an account acts as the one it is (an agency's staff through its unit), never as another."""
    from factories import PersonFactory, UnitFactory, UserFactory

    user = UserFactory(role=Role.PROXY, unit=UnitFactory(kind="agency") if agency else None)
    with pytest.raises(services.Refused) as refused:
        started(user, "rp-personal-affairs", person=PersonFactory(), acting_as=claimed)
    assert refused.value.field == "acting_as"


def test_every_state_has_a_stage_the_law_cores_fee_rule_reads() -> None:
    """Lifecycle only maps states to the law core's fee stages; the rule of what is charged when is the law's."""
    assert set(lifecycle.FEE_STAGE) == set(State.values)
    assert set(lifecycle.FEE_STAGE.values()) == set(FEE_STAGES)
    assert set(FEE_CHARGED) == set(PAID_AT)
    assert all(
        set(by) <= set(FEE_STAGES) and set(by.values()) <= {"now", "later"} for by in FEE_CHARGED.values()
    )
