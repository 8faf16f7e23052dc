"""The officers' console over HTTP: the work queue, a case page with its intake checklist and steps, a case
taken from received to collected by POSTs, refusals that change nothing, and who may open what."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from advisor_forms import forms
from page_world import (  # noqa: F401 - pages_today is an autouse fixture
    HALL_SIDE,
    ROLES,
    client_for,
    html,
    make_world,
    pages_today,
    pdf,
)

from audit_helpers import APPEND_STATEMENTS
from case_helpers import (
    approval_validity,
    hall_accepts,
    hall_receives,
    sign_in,
    started,
    submitted,
    upload_everything,
    without_tokens,
)
from exitentry.accounts.audit import Actor, record
from exitentry.accounts.models import AuditEntry, Role
from exitentry.cases import services
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case, CaseEvent, Decision, Material, Payment, Receipt, VerificationTask
from factories import (
    TODAY,
    PersonFactory,
    UnitFactory,
    UserFactory,
    actor,
    applicant,
    eligible_facts,
    officer,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
SEED_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")


def queue_references(page: str) -> list[str]:
    return re.findall(r'href="/\w+(?:-\w+)?/console/cases/\d+/">(BJ\d+)</a>', page)


def received(user=None, procedure_id: str = "rp-work") -> Case:
    user = user or applicant()
    case = submitted(user, procedure_id)
    hall_receives(actor(officer(case.hall_id)), case, on=TODAY)
    return case


def accepted(user=None, procedure_id: str = "rp-work") -> Case:
    user = user or applicant()
    case = received(user, procedure_id)
    upload_everything(user, case)
    hall_accepts(actor(officer(case.hall_id)), case, on=TODAY)
    return case


def approved(procedure_id: str = "rp-personal-affairs") -> Case:
    """An accepted case approved: its fee, paid when the permit is issued, is due (``law.model.FEE_CHARGED``)."""
    case = accepted(procedure_id=procedure_id)
    services.decide(
        actor(officer(case.hall_id)), case, "approved", validity=approval_validity(case), on=TODAY
    )
    return case


def state_of(case: Case) -> str:
    return Case.objects.values_list("state", flat=True).get(pk=case.pk)


# --- the queue -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Work queue", "Decision due", "late", "Materials received at the hall"]),
        ("zh-hans", ["待办队列", "决定截止日", "已超期", "大厅已收件"]),
    ],
)
def test_the_queue_lists_the_halls_open_cases_due_first_and_marks_the_late_ones(lang, words):
    hall = "reception-hall"
    due_later = accepted()
    due_soon = accepted()
    late = accepted()
    no_receipt_old = received()
    no_receipt_new = received()
    Case.objects.filter(pk=due_later.pk).update(decision_due=TODAY + timedelta(days=9))
    Case.objects.filter(pk=due_soon.pk).update(decision_due=TODAY + timedelta(days=2))
    Case.objects.filter(pk=late.pk).update(decision_due=TODAY - timedelta(days=1))
    Case.objects.filter(pk=no_receipt_old.pk).update(submitted_on=TODAY - timedelta(days=3))
    closed = submitted(applicant(), "rp-work")
    services.withdraw(actor(closed.submitted_by), closed, on=TODAY)
    elsewhere = submitted(applicant(), "rp-work")
    Case.objects.filter(pk=elsewhere.pk).update(hall_id="shunyi")
    draft = started(applicant(), "rp-work")
    response = client_for(officer(hall)).get(f"/{lang}/console/")
    assert response.status_code == 200
    page = html(response)
    for word in words:
        assert word in page, word
    order = [late, due_soon, due_later, no_receipt_old, no_receipt_new]
    assert queue_references(page) == [Case.objects.get(pk=c.pk).reference for c in order]
    assert page.count('<tr class="late">') == 1
    assert draft.reference is None


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_queue_puts_undecided_work_first_and_decided_cases_after_under_their_own_heading(lang):
    """A case decided long ago (its decision due early) is no work to decide: it comes after every
    undecided one, the oldest decision first, under a heading of its own."""
    late = accepted()
    due_soon = accepted()
    decided_early, decided_later = accepted(), accepted()
    Case.objects.filter(pk=late.pk).update(decision_due=TODAY - timedelta(days=1))
    Case.objects.filter(pk=due_soon.pk).update(decision_due=TODAY + timedelta(days=2))
    for case, days in ((decided_early, 9), (decided_later, 3)):
        Case.objects.filter(pk=case.pk).update(
            state=State.ISSUED,
            decided_on=TODAY - timedelta(days=days),
            decision_due=TODAY - timedelta(days=20),
        )
    page = html(client_for(officer("reception-hall")).get(f"/{lang}/console/"))
    order = [late, due_soon, decided_early, decided_later]
    assert queue_references(page) == [Case.objects.get(pk=c.pk).reference for c in order]
    heading = "Decided: to issue or hand over" if lang == "en" else "已作出决定：待签发或交付"
    assert page.count(heading) == 1
    assert page.index(heading) > page.index(Case.objects.get(pk=due_soon.pk).reference)


def test_the_queue_is_paginated_by_fifty():
    for case in make_cases(51, "reception-hall"):
        assert case.pk
    user = officer("reception-hall")
    first = html(client_for(user).get("/en/console/"))
    assert len(queue_references(first)) == 50 and "Page 1 of 2" in first
    assert len(queue_references(html(client_for(user).get("/en/console/?page=2")))) == 1


def make_cases(n: int, hall: str) -> list[Case]:
    """``n`` open cases at ``hall``, written in bulk (the queue reads rows; how they got there is not its business)."""
    submitter = applicant()
    people = PersonFactory.create_batch(n)
    return Case.objects.bulk_create(
        Case(
            reference=f"BJ2026{90000000 + i:08d}",
            procedure_id="rp-work",
            person=people[i],
            submitted_by=submitter,
            acting_as="self",
            hall_id=hall,
            state=State.ACCEPTED if i % 2 else State.RECEIVED,
            submitted_on=TODAY - timedelta(days=i % 7),
            decision_due=TODAY + timedelta(days=i % 5) if i % 2 else None,
        )
        for i in range(n)
    )


@pytest.mark.parametrize("n", [1, 10, 100])
def test_the_queue_takes_the_same_number_of_queries_whatever_the_number_of_cases(
    n, django_assert_num_queries
):
    make_cases(n, "reception-hall")
    record(Actor(None), "test.setup", "test", 0)  # the audit chain has begun, as in any running system
    client = client_for(officer("reception-hall"))
    # session, user, the device of the session's second factor (django-otp), the user's halls, count, the
    # page's rows with their people; and one audit entry for the page (``APPEND_STATEMENTS``; no
    # savepoint of its own)
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get("/en/console/")
    assert len(queue_references(html(response))) == min(n, 50)


QUEUE_QUERIES = 6 + APPEND_STATEMENTS


def test_the_queue_records_which_cases_were_shown():
    case = received()
    user = officer(case.hall_id)
    client_for(user).get("/en/console/")
    entry = AuditEntry.objects.get(actor=user, action="case.list")
    assert entry.new == {"cases": [case.pk]}


# --- the case page -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Intake checklist", "missing", "Issue the one-time notice", "Date of birth", "History"]),
        ("zh-hans", ["收件清单", "缺少", "出具一次性告知书", "出生日期", "办理记录"]),
    ],
)
def test_the_case_page_shows_the_intake_checklist_and_the_steps_the_state_allows(lang, words):
    case = received()
    response = client_for(officer(case.hall_id)).get(f"/{lang}/console/cases/{case.pk}/")
    assert response.status_code == 200
    page = html(response)
    for word in words:
        assert word in page, word
    missing = services.outstanding(case, TODAY)
    assert page.count('class="intake-item"') == len(missing)
    actions = {
        f["attrs"]["action"].rstrip("/").rsplit("/", 1)[-1]
        for f in forms(page)
        if "step" in f["attrs"].get("class", "")
    }
    assert actions == {"notify_deficiency"}  # not accept: items are missing; rp-work states no fee


def test_reading_the_case_page_writes_an_audit_entry_naming_the_officer():
    case = received()
    user = officer(case.hall_id)
    client_for(user).get(f"/en/console/cases/{case.pk}/")
    entry = AuditEntry.objects.filter(action="case.read").get()
    assert (entry.actor, entry.actor_name, entry.object_id) == (user, user.username, str(case.pk))


def test_every_step_form_works_without_javascript_and_with_htmx():
    case = received()
    page = html(client_for(officer(case.hall_id)).get(f"/en/console/cases/{case.pk}/"))
    steps = [f for f in forms(page) if f["attrs"].get("hx-post")]
    assert steps
    for form in steps:
        attrs = form["attrs"]
        assert attrs["method"] == "post" and attrs["action"] == attrs["hx-post"]
        assert attrs["hx-target"] == "#case-panel"
        assert any(h.get("name") == "csrfmiddlewaretoken" for h in form["hidden"])


# --- a case from received to collected, by POSTs -------------------------------------------------


def test_an_officer_takes_a_case_from_received_to_collected_with_the_applicant_resubmitting_in_between():
    user = applicant()
    case = submitted(user, "rp-personal-affairs")
    hall = client_for(officer(case.hall_id))
    mine = client_for(user)
    base = f"/en/console/cases/{case.pk}"

    assert hall.post(f"{base}/receive/", {"applicant_present": "yes"}).status_code == 302
    assert state_of(case) == State.RECEIVED
    missing = services.outstanding(case, TODAY)
    assert missing

    notified = hall.post(f"{base}/notify_deficiency/", follow=True)
    assert notified.status_code == 200
    notice = case.deficiency_notices.get()
    assert f"One-time notice {notice.number} issued" in html(notified)
    assert [item["id"] for item in notice.items] == [d.item.id for d in missing]
    applicant_page = html(mine.get(f"/en/my/{case.pk}/"))
    for item in notice.items:
        assert item["text"]["en"] in applicant_page

    for item in notice.items:
        uploaded = mine.post(
            f"/en/my/{case.pk}/upload/", {"material_id": item["id"], "file": pdf(f"{case.pk}-{item['id']}")}
        )
        assert uploaded.status_code == 302, html(uploaded)
    assert mine.post(f"/en/my/{case.pk}/resubmit/").status_code == 302
    assert state_of(case) == State.RECEIVED

    for material in case.materials.all():  # the guide: every original is verified (Points for Attention 2)
        reviewed = hall.post(f"/en/console/materials/{material.pk}/review/", {"original_seen": "on"})
        assert reviewed.status_code == 302
    accept = hall.post(f"{base}/accept/", follow=True)
    receipt = Receipt.objects.get(case=case)
    assert f"Accepted: receipt {receipt.number} issued." in html(accept)
    assert (
        hall.post(f"{base}/decide/", {"outcome": "approved", "validity": "P2Y", "confirm": "on"}).status_code
        == 302
    )
    assert Decision.objects.get(case=case).validity == "P2Y"
    due = services.fee_of(case, TODAY).due
    assert hall.post(f"{base}/record_payment/", {"amount_cny": str(due), "method": "card"}).status_code == 302
    for step, state in (("issue", State.ISSUED), ("mark_ready", State.READY), ("collect", State.COLLECTED)):
        assert hall.post(f"{base}/{step}/", {"confirm": "on"}).status_code == 302
        assert state_of(case) == state
    history = [e.action for e in CaseEvent.objects.filter(case=case)]
    assert history == [
        "submit",
        "receive",
        "notify_deficiency",
        "resubmit",
        "accept",
        "decide",
        "issue",
        "mark_ready",
        "collect",
    ]
    final = html(hall.get(f"{base}/"))
    assert "Collected" in final and "No step is open at this stage." in final
    assert f"Due CNY {due:,}, paid CNY {due:,}." in final  # the fee's history stays on the case


def test_with_htmx_a_step_sends_back_only_the_case_panel():
    case = received()
    upload_everything(case.submitted_by, case)
    response = client_for(officer(case.hall_id)).post(
        f"/zh-hans/console/cases/{case.pk}/accept/", headers=HTMX
    )
    assert response.status_code == 200
    panel = html(response)
    assert panel.startswith('<section id="case-panel"') and "<html" not in panel
    assert "已受理（已出具回执）" in panel and "受理回执" in panel
    assert state_of(case) == State.ACCEPTED


# --- refusals change nothing --------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True], ids=["plain post", "htmx"])
def test_accepting_a_case_the_hall_has_not_received_is_refused_with_a_message_and_changes_nothing(htmx):
    case = submitted(applicant(), "rp-work")
    events = CaseEvent.objects.count()
    response = client_for(officer(case.hall_id)).post(
        f"/en/console/cases/{case.pk}/accept/", headers=HTMX if htmx else {}
    )
    assert response.status_code == 422
    page = html(response)
    assert "“Accept and issue the receipt” is not possible for this application now: it is Submitted." in page
    assert 'role="alert"' in page
    assert state_of(case) == State.SUBMITTED
    assert not Receipt.objects.exists() and CaseEvent.objects.count() == events


def test_accepting_a_draft_is_404_because_the_hall_does_not_see_drafts():
    case = started(applicant(), "rp-work")
    response = client_for(officer("reception-hall")).post(f"/en/console/cases/{case.pk}/accept/")
    assert response.status_code == 404
    assert state_of(case) == State.DRAFT


def test_the_refusal_is_in_chinese_on_a_chinese_page():
    case = submitted(applicant(), "rp-work")
    response = client_for(officer(case.hall_id)).post(f"/zh-hans/console/cases/{case.pk}/accept/")
    assert response.status_code == 422
    assert "此项申请当前状态为“已提交”，不能办理“受理并出具回执”。" in html(response)


def test_accepting_with_items_missing_is_refused_naming_what_to_do():
    case = received()
    response = client_for(officer(case.hall_id)).post(f"/en/console/cases/{case.pk}/accept/")
    assert response.status_code == 422
    assert re.search(
        r"\d+ item\(s\) are missing or defective: issue the one-time notice first\.", html(response)
    )
    assert state_of(case) == State.RECEIVED


def test_a_validity_the_law_does_not_allow_is_refused_beside_the_field():
    case = accepted()
    response = client_for(officer(case.hall_id)).post(
        f"/en/console/cases/{case.pk}/decide/",
        {
            "outcome": "approved",
            "validity__years": "6",
            "validity__months": "0",
            "validity__days": "0",
            "confirm": "on",
        },
    )
    assert response.status_code == 422
    page = html(response)
    assert (
        '<p class="error" id="validity-error">The validity must be at most 5 years; 6 years was given.</p>'
        in page
    )
    assert '<option value="6" selected>6</option>' in page  # the years given stay in the picker
    assert "P6Y" not in without_tokens(page) and "P5Y" not in without_tokens(page)
    assert not Decision.objects.exists() and state_of(case) == State.ACCEPTED


@pytest.mark.parametrize("procedure_id", ["rp-work", "rp-personal-affairs"])
def test_the_validity_picker_offers_only_the_years_the_law_allows(procedure_id):
    """A residence permit runs at most 5 years (Exit and Entry Administration Law Art. 30): the years
    select stops there, the months and days stay as they were."""
    case = accepted(procedure_id=procedure_id)
    page = html(client_for(officer(case.hall_id)).get(f"/en/console/cases/{case.pk}/"))
    years = re.search(r'<select name="validity__years"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert re.findall(r'<option value="(\d+)"', years) == [str(n) for n in range(6)]
    months = re.search(r'<select name="validity__months"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert len(re.findall("<option ", months)) == 12


def test_a_first_residence_permit_is_refused_only_on_the_ground_the_seeds_name_for_it():
    """Regulations Art. 21 reaches extensions, renewals, reissues and stay permits; a first residence permit
    is refused on the first-refusal ground in force on the day (before 7 December 2026, Art. 34(4))."""
    case = accepted()  # a first work-type residence permit
    client = client_for(officer(case.hall_id))
    page = html(client.get(f"/en/console/cases/{case.pk}/"))
    assert 'value="first-refusal-law-grounds"' in page and 'value="refusal-fraud"' not in page
    response = client.post(
        f"/en/console/cases/{case.pk}/decide/",
        {"outcome": "refused", "ground_id": "refusal-fraud", "confirm": "on"},
    )
    assert response.status_code == 422 and not Decision.objects.exists()


def test_from_7_december_2026_a_first_permit_is_refused_only_on_the_law_s_article_31(monkeypatch):
    """The Art. 34(4) ground is no longer offered from the day its Law Art. 31 successor is in force."""
    case = accepted()  # a first work-type residence permit
    monkeypatch.setattr("exitentry.web.case_pages.beijing_today", lambda: date(2026, 12, 7))
    page = html(client_for(officer(case.hall_id)).get(f"/en/console/cases/{case.pk}/"))
    assert 'value="first-refusal-law-art-31"' in page and 'value="first-refusal-law-grounds"' not in page


def test_a_refusal_cites_an_article_21_ground():
    case = accepted(procedure_id="rp-extension")
    client = client_for(officer(case.hall_id))
    page = html(client.get(f"/en/console/cases/{case.pk}/"))
    assert 'value="refusal-fraud"' in page
    assert (
        client.post(
            f"/en/console/cases/{case.pk}/decide/",
            {"outcome": "refused", "ground_id": "refusal-fraud", "confirm": "on"},
        ).status_code
        == 302
    )
    decision = Decision.objects.get()
    assert decision.ground_id == "refusal-fraud" and state_of(case) == State.REFUSED
    shown = html(client_for(case.submitted_by).get(f"/zh-hans/my/{case.pk}/"))
    assert "不予批准" in shown and "（二）在申请过程中弄虚作假的" in shown


def test_an_unknown_step_is_404():
    case = received()
    assert client_for(officer(case.hall_id)).post(f"/en/console/cases/{case.pk}/fly/").status_code == 404


# --- materials, verification and fees -------------------------------------------------------------


def test_a_file_marked_defective_goes_on_the_one_time_notice_with_the_reason():
    user = applicant()
    case = received(user)
    upload_everything(user, case)
    material = Material.objects.filter(case=case, material_id="passport").get()
    client = client_for(officer(case.hall_id))
    response = client.post(
        f"/en/console/materials/{material.pk}/review/",
        {"defect": "The photo page is unreadable", "original_seen": "on"},
        headers=HTMX,
    )
    assert response.status_code == 200 and "The photo page is unreadable" in html(response)
    material.refresh_from_db()
    assert material.defect == "The photo page is unreadable" and material.original_seen
    assert client.post(f"/en/console/cases/{case.pk}/notify_deficiency/").status_code == 302
    [item] = case.deficiency_notices.get().items
    assert (item["id"], item["kind"], item["reason"]["en"]) == (
        "passport",
        "defective",
        "The photo page is unreadable",
    )


def test_a_verification_task_is_opened_and_must_be_closed_before_the_decision():
    case = accepted()
    client = client_for(officer(case.hall_id))
    base = f"/en/console/cases/{case.pk}"
    assert client.post(f"{base}/open_task/", {"kind": "interview"}).status_code == 302
    task = VerificationTask.objects.get()
    blocked = client.post(f"{base}/decide/", {"outcome": "approved", "validity": "P2Y", "confirm": "on"})
    assert blocked.status_code == 422 and "Close the open verification tasks first." in html(blocked)
    empty = client.post(f"/en/console/tasks/{task.pk}/close/", {"outcome": " "})
    assert empty.status_code == 422 and "Say what the verification found." in html(empty)
    assert client.post(f"/en/console/tasks/{task.pk}/close/", {"outcome": "Confirmed"}).status_code == 302
    assert (
        client.post(
            f"{base}/decide/", {"outcome": "approved", "validity": "P2Y", "confirm": "on"}
        ).status_code
        == 302
    )


@pytest.mark.parametrize("htmx", [False, True])
def test_a_refusal_beside_its_field_is_said_once_on_the_page(htmx):
    """A validity of nothing, a payment of more than is due: said beside the field, not a second time above
    the panel; a refusal with no place beside a field is still said above it."""
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    case = accepted(procedure_id="rp-personal-affairs")
    client = client_for(officer(case.hall_id))
    base = f"/en/console/cases/{case.pk}"
    nothing = {"validity__years": "0", "validity__months": "0", "validity__days": "0"}
    zero = client.post(f"{base}/decide/", {"outcome": "approved", **nothing, "confirm": "on"}, **headers)
    assert zero.status_code == 422
    [said] = re.findall(r'<p class="error" id="validity-error">([^<]+)</p>', html(zero))
    assert html(zero).count(said) == 1 and "step-error" not in html(zero)
    services.decide(
        actor(officer(case.hall_id)), case, "approved", validity=approval_validity(case), on=TODAY
    )
    due = services.fee_of(case, TODAY).due
    too_much = client.post(
        f"{base}/record_payment/", {"amount_cny": str(due + 1), "method": "cash"}, **headers
    )
    assert too_much.status_code == 422
    assert html(too_much).count(f"CNY {due + 1:,} is more than is outstanding") == 1
    assert "step-error" not in html(too_much)
    early = client.post(f"{base}/collect/", {}, **headers)  # not beside any field: above the panel
    assert early.status_code == 422 and html(early).count('class="error step-error"') == 1


def test_a_payment_is_taken_against_the_fee_due_and_no_more():
    case = approved()
    due = services.fee_of(case, TODAY).due
    client = client_for(officer(case.hall_id))
    base = f"/en/console/cases/{case.pk}"
    # the fee is paid when the permit is issued, due once it is approved: the form proposes it
    assert f'inputmode="numeric" value="{due}"' in html(client.get(f"{base}/"))
    too_much = client.post(f"{base}/record_payment/", {"amount_cny": str(due + 1), "method": "cash"})
    assert too_much.status_code == 422
    assert f"CNY {due + 1:,} is more than is outstanding: CNY {due:,} of the CNY {due:,} fee." in html(
        too_much
    )
    words = client.post(f"{base}/record_payment/", {"amount_cny": "lots", "method": "cash"})
    assert words.status_code == 422 and "Enter the amount in whole yuan." in html(words)
    paid = client.post(f"{base}/record_payment/", {"amount_cny": str(due), "method": "card"})
    assert paid.status_code == 302
    assert Payment.objects.get().amount_cny == due


@pytest.mark.parametrize(
    ("lang", "said", "recorded"),
    [
        (
            "en",
            "Enter the amount received, in whole yuan above zero; CNY {due:,} is outstanding.",
            "Payment of CNY {due:,} recorded.",
        ),
        ("zh-hans", "请填写收到的金额（大于零的整数元）；尚欠{due:,}元。", "已登记缴费{due:,}元。"),
    ],
)
@pytest.mark.parametrize("typed", ["-5", "0"])
def test_a_payment_of_nothing_or_less_is_refused_saying_so_with_amounts_as_the_page_writes_them(
    lang, said, recorded, typed
):
    """A newcomer's finding: "-5" was answered "800 CNY of the 800 CNY fee is outstanding."."""
    case = approved()
    due = services.fee_of(case, TODAY).due
    client = client_for(officer(case.hall_id))
    base = f"/{lang}/console/cases/{case.pk}"
    refused = client.post(f"{base}/record_payment/", {"amount_cny": typed, "method": "cash"})
    page = html(refused)
    assert refused.status_code == 422 and said.format(due=due) in page and " CNY of the" not in page
    assert not Payment.objects.exists()
    paid = client.post(f"{base}/record_payment/", {"amount_cny": str(due), "method": "cash"}, follow=True)
    assert recorded.format(due=due) in html(paid)


def test_only_a_supervisor_decides_on_permanent_residence_after_the_ministry():
    user = applicant()
    case = accepted(user, "pr-application")
    hall = client_for(officer(case.hall_id))
    assert hall.post(f"/en/console/cases/{case.pk}/forward_to_ministry/").status_code == 302
    assert state_of(case) == State.MINISTRY_REVIEW
    assert "step-approve" not in html(hall.get(f"/en/console/cases/{case.pk}/"))
    boss = client_for(officer(case.hall_id, role=Role.SUPERVISOR))
    assert "step-approve" in html(boss.get(f"/en/console/cases/{case.pk}/"))


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "may be granted: under 18: 5 years; otherwise 10 years."),
        ("zh-hans", "可批准期限：未满18周岁：5年；其他：10年。"),
    ],
)
def test_the_approval_form_gives_the_pr_cards_validity_by_the_adult_age_of_the_parameters(lang, words):
    case = accepted(applicant(), "pr-application")
    services.forward_to_ministry(actor(officer(case.hall_id)), case)
    boss = client_for(officer(case.hall_id, role=Role.SUPERVISOR))
    assert words in html(boss.get(f"/{lang}/console/cases/{case.pk}/"))


# --- who may open what -------------------------------------------------------------------------------


def expected_status(role: str, whose: str, page: str) -> int:
    if role == "anonymous":
        return 302
    if role not in HALL_SIDE:
        return 403
    if page == "queue":
        return 200
    return 200 if whose == "own" else 404


PAGES = {
    "queue": lambda case: "/en/console/",
    "case page": lambda case: f"/en/console/cases/{case.pk}/",
}


@pytest.fixture
def world():
    return make_world()


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("whose", ["own", "other"])
def test_each_role_gets_what_the_policy_says_on_each_console_page(world, page, role, whose):
    case = world.own[role] if whose == "own" else world.other
    response = world.client(role).get(PAGES[page](case))
    assert response.status_code == expected_status(role, whose, page)
    if response.status_code == 302:
        assert response["Location"].startswith("/en/sign-in/?next=/en/console/")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("whose", ["own", "other"])
def test_each_role_gets_what_the_policy_says_on_a_step(world, role, whose):
    case = world.own[role] if whose == "own" else world.other
    response = world.client(role).post(f"/en/console/cases/{case.pk}/receive/", {"applicant_present": "yes"})
    case.refresh_from_db()
    if expected_status(role, whose, "case page") == 200:
        assert response.status_code == 302 and response["Location"] == f"/en/console/cases/{case.pk}/"
        assert case.state == State.RECEIVED
    else:
        assert response.status_code == expected_status(role, whose, "case page")
        assert case.state == State.SUBMITTED


def test_an_officer_elsewhere_sees_no_case_of_another_hall():
    case = received()
    stranger = client_for(officer("shunyi"))
    assert case.reference not in html(stranger.get("/en/console/"))
    assert stranger.get(f"/en/console/cases/{case.pk}/").status_code == 404
    material = services.upload_material(actor(case.submitted_by), case, "passport", pdf("x"), on=TODAY)
    assert stranger.post(f"/en/console/materials/{material.pk}/review/", {"defect": "x"}).status_code == 404
    assert (
        client_for(UserFactory(role=Role.INSTITUTION)).get(f"/en/materials/{material.pk}/").status_code == 403
    )


def test_a_stored_file_is_served_to_the_hall_and_the_read_is_audited():
    case = received()
    material = services.upload_material(actor(case.submitted_by), case, "passport", pdf("passport"), on=TODAY)
    user = officer(case.hall_id)
    response = client_for(user).get(f"/en/materials/{material.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # downloaded, never shown in the site's origin (a PDF viewer runs scripts), and never sniffed
    assert response["Content-Disposition"] == 'attachment; filename="passport.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    entry = AuditEntry.objects.get(action="material.read")
    assert (entry.actor, entry.object_id, entry.new) == (user, str(material.pk), {"case": case.pk})


def test_a_case_pages_citations_lead_to_the_sources_page_and_a_late_clock_keeps_its_tag_readable(
    client,
) -> None:
    from case_helpers import submitted
    from factories import applicant, officer

    case = submitted(applicant(), "rp-work")
    sign_in(client, officer(case.hall_id))
    body = client.get(f"/en/console/cases/{case.pk}/").content.decode()
    assert 'href="/en/sources/#source-regulations"' in body
    assert 'class="clock-row status-' not in body


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        (
            "en",
            [
                "Regulations of the People&#x27;s Republic of China on the Administration of the Entry and Exit of Foreigners, Art. 16(",
                "Beijing guide to personal affairs residence permits, Materials</a>",
            ],
        ),
        (
            "zh-hans",
            [
                "《中华人民共和国外国人入境出境管理条例》第十六条第（",
                "《北京市外国人私人事务类居留许可及延期办事指南》申请材料</a>",
            ],
        ),
    ],
)
def test_the_case_page_cites_by_document_title_and_article_in_its_language_never_by_file_name(lang, labels):
    case = accepted(procedure_id="rp-personal-affairs")
    body = html(client_for(officer(case.hall_id)).get(f"/{lang}/console/cases/{case.pk}/"))
    for label in labels:
        assert label in body
    assert not SEED_FILE.search(body)


def test_a_step_the_procedure_rules_out_says_why_beneath_the_state_sentence():
    case = submitted(applicant(), "rp-work")
    response = client_for(officer(case.hall_id)).post(f"/en/console/cases/{case.pk}/pre_examine/")
    assert response.status_code == 422
    assert "has no pre-examination" in html(response)


def test_a_step_the_state_rules_out_is_said_once():
    case = submitted(applicant(), "rp-work")
    page = html(client_for(officer(case.hall_id)).post(f"/en/console/cases/{case.pk}/accept/"))
    assert 'class="detail"' not in page


def test_an_officer_of_two_halls_narrows_the_queue_to_one_of_them():
    here = submitted(applicant(), "rp-work")
    there = submitted(applicant(), "rp-work")
    there.hall_id = "zhongguancun"
    there.save()
    client = client_for(officer(here.hall_id, "zhongguancun"))
    both = html(client.get("/en/console/"))
    assert here.reference in both and there.reference in both and "All my halls" in both
    one = html(client.get("/en/console/", {"hall": "zhongguancun"}))
    assert there.reference in one and here.reference not in one
    foreign = html(client.get("/en/console/", {"hall": "shunyi"}))  # not theirs: the whole queue again
    assert here.reference in foreign and there.reference in foreign


def filed_by_a_unit() -> Case:
    handler = UserFactory(role=Role.UNIT, unit=UnitFactory())
    case = services.start_case(
        actor(handler),
        procedure_id="rp-work",
        person=PersonFactory(),
        facts=eligible_facts("rp-work"),
        on=TODAY,
        entered=True,
    )
    return services.submit(actor(handler), case, "chaoyang", on=TODAY)


def test_receiving_a_case_filed_for_someone_else_asks_who_hands_it_in_and_presumes_no_one():
    case = filed_by_a_unit()
    browser = client_for(officer("chaoyang"))
    page = html(browser.get(f"/en/console/cases/{case.pk}/"))
    radios = re.findall(r'<input type="radio" name="applicant_present"[^>]*>', page)
    # two answers: none chosen for the officer; the server, not a browser bubble, says one is missing
    assert len(radios) == 2 and all("required" not in r and "checked" not in r for r in radios)
    events = CaseEvent.objects.count()
    response = browser.post(f"/en/console/cases/{case.pk}/receive/")
    assert response.status_code == 422
    assert "Choose who hands in the materials" in html(response)
    assert state_of(case) == State.SUBMITTED and CaseEvent.objects.count() == events
    zh = browser.post(f"/zh-hans/console/cases/{case.pk}/receive/", {"applicant_present": "maybe"})
    assert zh.status_code == 422 and "请选择递交材料的人" in html(zh)
    assert (
        browser.post(f"/en/console/cases/{case.pk}/receive/", {"applicant_present": "yes"}).status_code == 302
    )
    case.refresh_from_db()
    assert case.state == State.RECEIVED and case.applicant_present is True


def test_receiving_the_applicants_own_case_records_them_in_person_and_presumes_nothing():
    case = submitted(applicant(), "rp-work")
    browser = client_for(officer(case.hall_id))
    page = html(browser.get(f"/en/console/cases/{case.pk}/"))
    radios = re.findall(r'<input type="radio" name="applicant_present"[^>]*>', page)
    # the one answer the law allows (Art. 16) is chosen; the POST still has to say it
    assert len(radios) == 1 and 'value="yes"' in radios[0] and "checked" in radios[0]
    assert (
        "hands it in in person (Regulations of the People&#x27;s Republic of China on the Administration of the Entry and Exit of Foreigners, Art. 16)"
        in page
    )
    unanswered = browser.post(f"/en/console/cases/{case.pk}/receive/")
    assert unanswered.status_code == 422 and "Choose who hands in the materials" in html(unanswered)
    assert state_of(case) == State.SUBMITTED
    assert (
        browser.post(f"/en/console/cases/{case.pk}/receive/", {"applicant_present": "yes"}).status_code == 302
    )
    case.refresh_from_db()
    assert case.state == State.RECEIVED and case.applicant_present is True


def step_form(page: str, step: str) -> str:
    found = re.search(rf'<form[^>]*class="step step-{step}".*?</form>', page, re.S)
    return found.group(0) if found else ""


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_decision_and_the_issue_wait_for_a_ticked_confirmation(lang):
    """Approving (validity prefilled), refusing and issuing are final: each form asks for a ticked box,
    which the server checks too (a POST without it changes nothing)."""
    case = accepted(procedure_id="rp-personal-affairs")
    client = client_for(officer(case.hall_id))
    base = f"/{lang}/console/cases/{case.pk}"
    page = html(client.get(f"{base}/"))
    for step in ("approve", "refuse"):
        assert re.search(r'<input type="checkbox" name="confirm" required', step_form(page, step))
    approve = {"outcome": "approved", "validity": "P2Y"}
    unconfirmed = client.post(f"{base}/decide/", approve)
    word = "Tick the box to confirm." if lang == "en" else "请勾选以确认。"
    assert unconfirmed.status_code == 422 and word in html(unconfirmed)
    assert not Decision.objects.filter(case=case).exists()
    assert client.post(f"{base}/decide/", {**approve, "confirm": "on"}).status_code == 302
    due = services.fee_of(case, TODAY).due
    paid = client.post(f"{base}/record_payment/", {"amount_cny": str(due), "method": "card"})
    assert paid.status_code == 302
    assert re.search(r'name="confirm" required', step_form(html(client.get(f"{base}/")), "issue"))
    assert client.post(f"{base}/issue/").status_code == 422 and state_of(case) == State.APPROVED
    assert client.post(f"{base}/issue/", {"confirm": "on"}).status_code == 302
    assert state_of(case) == State.ISSUED


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_decision_forms_give_way_to_the_reason_while_a_verification_task_is_open(lang):
    """The page says before the click what the service would answer (one rule: ``decision_blocked``)."""
    case = accepted()
    client = client_for(officer(case.hall_id))
    base = f"/{lang}/console/cases/{case.pk}"
    assert client.post(f"{base}/open_task/", {"kind": "interview"}).status_code == 302
    page = html(client.get(f"{base}/"))
    assert not step_form(page, "approve") and not step_form(page, "refuse")
    reason = "Close the open verification tasks first." if lang == "en" else "请先完成未结的核查任务。"
    assert reason in page
    task = VerificationTask.objects.get()
    assert client.post(f"/{lang}/console/tasks/{task.pk}/close/", {"outcome": "OK"}).status_code == 302
    page = html(client.get(f"{base}/"))
    assert step_form(page, "approve") and step_form(page, "refuse") and reason not in page


@pytest.mark.parametrize(("procedure_id", "runs"), [("rp-work", False), ("rp-personal-affairs", True)])
def test_receiving_says_the_processing_clock_runs_only_where_one_started(procedure_id, runs):
    """rp-work has no processing clock (its only limit runs from the receipt): receipt starts nothing."""
    case = submitted(applicant(), procedure_id)
    hall = client_for(officer(case.hall_id))
    done = html(hall.post(f"/en/console/cases/{case.pk}/receive/", {"applicant_present": "yes"}, follow=True))
    assert "The materials are received" in done
    assert ("the processing clock runs" in done) is runs


@pytest.mark.parametrize(
    ("procedure_id", "lang", "said", "unsaid"),
    [
        ("rp-work", "en", "the time limit has not started", "paused"),
        ("rp-work", "zh-hans", "办理时限尚未起算", "暂停"),
        ("rp-personal-affairs", "en", "the clock is paused", "not started"),
        ("rp-personal-affairs", "zh-hans", "办理时限暂停计算", "尚未起算"),
    ],
)
def test_a_one_time_notice_speaks_of_the_time_limit_as_it_stands(procedure_id, lang, said, unsaid):
    """Before acceptance only a running processing clock is paused by a notice (``cases.deadlines``):
    rp-work's only limit runs from the receipt, so nothing is paused and nothing resumes."""
    user = applicant()
    case = received(user, procedure_id)
    hall = client_for(officer(case.hall_id))
    notified = html(hall.post(f"/{lang}/console/cases/{case.pk}/notify_deficiency/", follow=True))
    notice = case.deficiency_notices.get()
    flash = re.search(rf"<li class=\"message[^\"]*\">[^<]*{notice.number}[^<]*</li>", notified).group(0)
    assert said in flash and unsaid not in flash
    own = html(client_for(user).get(f"/{lang}/my/{case.pk}/"))
    resumes = "the time limit runs again" if lang == "en" else "恢复计算"
    assert (resumes in own) is (procedure_id == "rp-personal-affairs")


@pytest.mark.parametrize(
    ("lang", "pattern"),
    [
        ("en", r"Asked for: [^<;.]+; may be granted: from [^<;.]+ up to 5 years\."),
        ("zh-hans", r"申请的有效期：[^<；。]+；可批准期限：[^<；。]+至5年。"),
    ],
)
def test_the_decide_panel_says_what_was_asked_for_and_what_may_be_granted_in_one_sentence(lang, pattern):
    case = accepted()
    page = html(client_for(officer(case.hall_id)).get(f"/{lang}/console/cases/{case.pk}/"))
    help_text = re.search(r'<p class="help" id="validity-help">(.*?)<', page, re.S).group(1)
    assert re.fullmatch(pattern, help_text.strip()), help_text


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "Choose how the fee was paid: "), ("zh-hans", "请选择缴费方式：")],
)
def test_a_payment_without_its_method_asks_for_it_and_quotes_nothing_empty(lang, said):
    case = approved()
    client = client_for(officer(case.hall_id))
    refused = client.post(f"/{lang}/console/cases/{case.pk}/record_payment/", {"amount_cny": "100"})
    page = html(refused)
    assert refused.status_code == 422 and said in page
    assert "&#x27;&#x27;" not in page and "“”" not in page and not Payment.objects.exists()


@pytest.mark.parametrize(
    "lang, procedure_id, cited, not_cited",
    [
        ("en", "rp-work", "Art. 31", "Art. 21"),
        ("zh-hans", "rp-work", "第三十一条", "第二十一条"),
        ("en", "rp-extension", "Art. 21", "Art. 31"),
        ("zh-hans", "rp-extension", "第二十一条", "第三十一条"),
    ],
)
def test_the_refusal_list_is_headed_by_the_grounds_it_offers_and_names_an_article_once(
    lang, procedure_id, cited, not_cited
):
    """A first residence permit is refused on the Law's Art. 31, an extension on Regulations Art. 21
    (``law.rules.grounds.refusal_cite``); an option that is a whole article says its number once."""
    case = accepted(procedure_id=procedure_id)
    page = html(client_for(officer(case.hall_id)).get(f"/{lang}/console/cases/{case.pk}/"))
    heading = re.search(r'<label for="ground_id">(.*?)</label>', page, re.S)[1]
    assert cited in heading and not_cited not in heading
    options = re.findall(r'<option value="[^"]+"[^>]*>([^<]*)</option>', page.split('id="ground_id"')[1])
    assert options
    for option in options:
        assert not option.startswith(("Art. 31 A circumstance", "第三十一条有")), option


@pytest.mark.parametrize("lang, mark", [("en", "</a>; <a "), ("zh-hans", "</a>；<a ")])
def test_the_queue_pages_hall_day_links_are_separated(lang, mark):
    page = html(client_for(officer("reception-hall", "zhongguancun")).get(f"/{lang}/console/"))
    links = re.search(r'<p class="hall-day-links[^"]*">(.*?)</p>', page, re.S)[1]
    assert links.count("<a ") == 2 and mark in links
