"""The officers' console: the work queue of the user's halls, and a case page with its intake checklist
and the steps its state allows.

For officers and supervisors (``policy.is_hall_side``); the cases are exactly ``access.cases_for(user)``.
Each step is a form that works without JavaScript (POST, then a redirect to the case page) and, with
htmx, swaps the case panel in place. A refused step answers 422 with the message beside its field.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET, require_POST

from exitentry.accounts import policy
from exitentry.accounts.audit import Actor, record_list
from exitentry.appointments.opening import hall_changes
from exitentry.bilingual import in_both
from exitentry.cases import access, lifecycle, services
from exitentry.cases.deadlines import decision_late, notice_pauses_a_clock
from exitentry.cases.lifecycle import QUEUE_STATES, IllegalTransition, Side
from exitentry.cases.models import Case, Decision, Material, Payment, VerificationTask
from exitentry.cases.reads import CaseLists
from exitentry.compliance import services as enforcement
from exitentry.law.catalog import catalog
from exitentry.law.intake import PASSPORT_ITEMS, one_time_notice, originals_wait, recheck_after_notice
from exitentry.law.rules.grounds import MATERIALS_NOT_PROVIDED, ground_for, refusal_cite, refusal_grounds
from exitentry.law.rules.permits import validity_range
from exitentry.law.text import Text
from exitentry.web import advisor, durations
from exitentry.web import case_pages as pages
from exitentry.web.paging import page_of
from exitentry.web.templatetags.lawtext import cny

hall_side = pages.signed_in(policy.is_hall_side)

# The hall's steps without input, in the order a case goes through them (the applicant withdraws).
SIMPLE_STEPS = tuple(s for s in lifecycle.SIMPLE_STEPS if Side.HALL in lifecycle.TABLE[s].sides)
# Project policy: the final steps wait for a ticked box (``confirm``), on the form and on the server.
CONFIRMED_STEPS = frozenset({"decide", "issue", "refuse_short"})


# --- the queue -----------------------------------------------------------------------------------


@require_GET
@hall_side
def queue(request: HttpRequest) -> HttpResponse:
    """Open cases of the user's halls: the undecided ones first, the decision due first (none last), then
    the oldest submission; after them the decided ones awaiting issue or collection, the oldest decision
    first."""
    on = pages.today()
    halls = sorted(policy.hall_ids(request.user))
    hall = request.GET.get("hall") if request.GET.get("hall") in halls else ""
    cases = (
        access.cases_for(request.user)
        .filter(state__in=QUEUE_STATES)
        .select_related("person")
        .order_by(
            F("decided_on").asc(nulls_first=True),
            F("decision_due").asc(nulls_last=True),
            "submitted_on",
            "pk",
        )
    )
    if hall:
        cases = cases.filter(hall_id=hall)
    page = page_of(request, cases)
    rows = [
        {
            "case": case,
            "title": pages.procedure_title(case.procedure_id),
            "late": decision_late(case.decision_due, case.decided_on, on),
            "decided": case.decided_on is not None,
        }
        for case in page
    ]
    record_list(pages.actor(request), "queue", page.number, [row["case"].pk for row in rows])
    choices = [(h, services.hall_label(h)) for h in halls]
    context = {"page": page, "rows": rows, "today": on, "halls": choices, "hall": hall}
    return render(request, "web/queue.html", context)


# --- one case ------------------------------------------------------------------------------------


def _intake(case: Case, on: date, materials: list[Material]) -> dict:
    """The required items, each with its state on the one-time list, the source that says the hall sees
    its original (if one does), the files received for it and, for the passport, the one the hall holds
    (``services.held_passport``); ``wait`` says why acceptance waits for
    originals not yet marked seen."""
    files: dict[str, list[Material]] = {}
    for m in materials:
        files.setdefault(m.material_id, []).append(m)
    try:
        advice = services.advice_for(case, on)
        outstanding = services.outstanding(case, on, materials, advice)
        required = services.required(case, on, advice)
        unseen = services.originals_unseen(case, on, materials)
    except services.Refused as exc:
        return {
            "error": pages.explain(exc.message),
            "items": [],
            "outstanding": (),
            "other_files": files,
            "wait": None,
        }
    found = {d.item.id: d for d in outstanding}
    items = [
        {
            "id": r.id,
            "text": r.text,
            "why": r.why,
            "cite": r.cite,
            "original": r.original,
            "deficiency": found.get(r.id),
        }
        for r in required
    ]
    held = case.travel_document if services.held_passport(case) else None
    for item in items:
        item["files"] = files.pop(item["id"], [])
        item["held"] = held if item["id"] in PASSPORT_ITEMS else None
        # a file's defect is said beside the file (``_review_files.html``), not again under the item
        item["said_beside"] = any(m.defective for m in item["files"])
    wait = dict(zip(("text", "cite"), originals_wait(unseen), strict=True)) if unseen else None
    return {"error": "", "items": items, "outstanding": outstanding, "other_files": files, "wait": wait}


def _validity(case: Case, on: date, posted: QueryDict | dict) -> dict:
    """What the approval form offers: the law's validity range for the permit, and a years-months-days
    picker set to what was posted, else the validity asked for (or the one the law fixes), its years
    running to the range's upper bound (the service still refuses what lies outside the range)."""
    work = catalog().procedure(case.procedure_id).casework
    permit_type = work.permit_type or (case.permit.permit_type if case.permit else None)
    rng = validity_range(work.permit, permit_type, on) if work.action != "endorsement" else None
    if rng is None:
        return {"range": None}
    fixed = rng.fixed_for(case.person.birth_date, on)
    asked = str(fixed) if fixed is not None else str(case.facts.get("validity") or "")
    value = durations.from_parts(posted, "validity") or asked
    picker = durations.picker("validity", value, longest=fixed or rng.maximum)
    return {"range": rng, "asked": asked, "picker": picker}


def _context(request: HttpRequest, case: Case, lists: CaseLists, errors: dict | None = None) -> dict:
    user, on = request.user, pages.today()
    # the case is the hall's record for good; the person's records today only while it has work with them
    reads_person = access.reads_person(user, case.person_id, on)
    shown = pages.case_context(case, lists, on, standing=reads_person)
    intake = _intake(case, on, lists.materials)
    may_verify = pages.allowed(user, case, "verify")
    fee = shown["fee"]
    owed = fee is not None and fee.outstanding > 0
    decides = pages.allowed(user, case, "decide", Decision.Outcome.APPROVED)
    steps = [s for s in SIMPLE_STEPS if pages.allowed(user, case, s)]
    at_counter = pages.allowed(user, case, "receive") or pages.allowed(user, case, "accept")
    counter_closed = services.counter_closed(case, on, hall_changes(case.hall_id, on)) if at_counter else None
    return {
        **shown,
        "reads_person": reads_person,
        "late": decision_late(case.decision_due, case.decided_on, on),
        "intake": intake,
        "no_entry": enforcement.no_entry_barring(case.person, case.submitted_on or on),
        "tasks": lists.tasks,
        "task_kinds": VerificationTask.Kind.choices,
        "may_verify": may_verify,
        "may_review": pages.allowed(user, case, "review_materials"),
        "may_paper": case.received_on is not None and pages.allowed(user, case, "review_materials"),
        "counter_closed": counter_closed,
        "may_receive": not counter_closed and pages.allowed(user, case, "receive"),
        "may_notify": pages.allowed(user, case, "notify_deficiency")
        and bool(intake["outstanding"])
        and not lists.notices,  # at one time: after it, the items are re-checked (``recheck``)
        "recheck": _recheck(case, lists, intake, shown["procedure"]),
        "short_ground": _short_ground(user, case, lists, intake, on),
        "may_accept": not counter_closed
        and pages.allowed(user, case, "accept")
        and not intake["error"]
        and not intake["outstanding"],
        "missing_questions": [advisor.question_for(f, "", "") for f in services.missing_facts(case, on)]
        if pages.allowed(user, case, "record_facts")
        else [],
        "may_decide": decides,
        "decision_blocked": services.decision_blocked(case, lists.tasks) if decides else None,
        "confirmed_steps": CONFIRMED_STEPS,
        "ministry": lifecycle.needs_ministry(shown["procedure"]),
        "steps": steps,
        "validity": _validity(case, on, request.POST if errors else {}) if decides else None,
        "refusal_grounds": refusal_grounds(shown["procedure"], on) if decides else (),
        "refusal_cite": refusal_cite(shown["procedure"]) if decides else None,
        "may_pay": fee is not None and fee.outstanding_now > 0 and pages.allowed(user, case, "pay"),
        "may_exempt": owed and pages.allowed(user, case, "exempt_fee"),
        "payment_methods": dict(Payment.Method.choices),
        "errors": errors or {},
        "posted": request.POST if errors else QueryDict(),
        "htmx": pages.is_htmx(request),
    }


def _recheck(case: Case, lists: CaseLists, intake: dict, procedure) -> dict | None:
    """Once the one-time notice's materials are resubmitted and something it listed is still marked: re-check
    the items, no second notice (``law.intake.recheck_after_notice``, citing ``one_time_notice``)."""
    if case.state != lifecycle.State.RECEIVED or not lists.notices or not intake["outstanding"]:
        return None
    return {"text": recheck_after_notice(lists.notices[0].number), "cite": one_time_notice(procedure)}


def _short_ground(user, case: Case, lists: CaseLists, intake: dict, on: date):
    """The ground the hall may refuse the case on while it is re-checked after the resubmission and still
    short (``services.refuse_short_of_materials``: Regulations Art. 21(1)), or None."""
    if not lists.notices or not intake["outstanding"] or not pages.allowed(user, case, "refuse_short"):
        return None
    return ground_for("refusal", MATERIALS_NOT_PROVIDED, on)


SCREEN = pages.CaseScreen("web/hall_case.html", "web/_hall_case_panel.html", "web:hall_case", _context)
_page, _done, _refused = SCREEN.page, SCREEN.done, SCREEN.refused


@require_GET
@hall_side
def hall_case(request: HttpRequest, case_id: int) -> HttpResponse:
    return _page(request, pages.visible_case(request, case_id))


# --- the steps -----------------------------------------------------------------------------------

Step = Callable[[Actor, Case, QueryDict, date], str]


def _simple(action: str) -> Step:
    service = getattr(services, action)

    def run(who: Actor, case: Case, data: QueryDict, on: date) -> str:
        service(who, case, on=on)
        return gettext("%(happened)s.") % {"happened": pages.explain(lifecycle.done_label(action))}

    return run


def _receive(who: Actor, case: Case, data: QueryDict, on: date) -> str:
    """No answer (or an unknown one) is None, which the service refuses: the officer says for every case
    whether the applicant is present."""
    present = {"yes": True, "no": False}.get(data.get("applicant_present", ""))
    changes = hall_changes(case.hall_id, on)
    case = services.receive(who, case, changes=changes, applicant_present=present, on=on)
    if notice_pauses_a_clock(pages.deadlines(case, on)):  # the processing clock has started
        return gettext("The materials are received; the processing clock runs.")
    return gettext("The materials are received.")


def _notify(who: Actor, case: Case, data: QueryDict, on: date) -> str:
    notice = services.notify_deficiency(who, case, on=on)
    if notice_pauses_a_clock(pages.deadlines(case, on)):
        return gettext("One-time notice %(number)s issued; the clock is paused.") % {"number": notice.number}
    return gettext("One-time notice %(number)s issued; the time limit has not started yet.") % {
        "number": notice.number
    }


def _accept(who: Actor, case: Case, data: QueryDict, on: date) -> str:
    receipt = services.accept(who, case, on=on, changes=hall_changes(case.hall_id, on))
    return gettext("Accepted: receipt %(number)s issued.") % {"number": receipt.number}


def _on_paper(who: Actor, case: Case, data: QueryDict, on: date) -> str:
    services.receive_on_paper(who, case, data.get("material_id", ""), on=on)
    return gettext("Recorded as received on paper at the counter, original seen.")


def _record_facts(who: Actor, case: Case, data: QueryDict, on: date) -> str:
    services.record_missing_facts(who, case, advisor.read_answers(data, catalog().facts), on=on)
    return gettext("The answers are recorded.")


def _open_task(who: Actor, case: Case, data: QueryDict, on: date) -> str:
    task = services.open_task(who, case, data.get("kind", ""))
    return gettext("Verification task opened: %(kind)s.") % {"kind": task.get_kind_display()}


def _posted_validity(data: QueryDict) -> str:
    """The validity from the page's years-months-days picker (or an ISO 8601 ``validity`` field)."""
    return durations.from_parts(data, "validity") or data.get("validity", "").strip().upper()


def _decide(who: Actor, case: Case, data: QueryDict, on: date) -> str:
    outcome = data.get("outcome", "")
    decision = services.decide(
        who,
        case,
        outcome,
        validity=_posted_validity(data) if outcome == Decision.Outcome.APPROVED else "",
        ground_id=data.get("ground_id", "") if outcome == Decision.Outcome.REFUSED else "",
        on=on,
    )
    return gettext("Decision %(number)s: %(outcome)s.") % {
        "number": decision.number,
        "outcome": decision.get_outcome_display(),
    }


def _refuse_short(who: Actor, case: Case, data: QueryDict, on: date) -> str:
    decision = services.refuse_short_of_materials(who, case, on=on)
    return gettext("Decision %(number)s: %(outcome)s.") % {
        "number": decision.number,
        "outcome": decision.get_outcome_display(),
    }


def _pay(who: Actor, case: Case, data: QueryDict, on: date) -> str:
    try:
        amount = int(data.get("amount_cny", "").strip())
    except ValueError:
        raise services.Refused(
            "amount_cny", Text("Enter the amount in whole yuan.", "请以整数元填写金额。")
        ) from None
    services.record_payment(who, case, amount, data.get("method", ""), on=on)
    return gettext("Payment of %(amount)s recorded.") % {"amount": cny(amount)}


def _exempt(who: Actor, case: Case, data: QueryDict, on: date) -> str:
    services.exempt_fee(who, case, data.get("reason", ""), on=on)
    return gettext("The fee is waived; the reason is recorded.")


STEPS: dict[str, Step] = {
    **{action: _simple(action) for action in SIMPLE_STEPS},
    "receive": _receive,
    "notify_deficiency": _notify,
    "accept": _accept,
    "receive_on_paper": _on_paper,
    "open_task": _open_task,
    "record_facts": _record_facts,
    "decide": _decide,
    "refuse_short": _refuse_short,
    "record_payment": _pay,
    "exempt_fee": _exempt,
}


@require_POST
@hall_side
def act(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    """Take one step on the case; the services decide whether it is allowed."""
    if action not in STEPS:
        raise Http404(action)
    case = pages.visible_case(request, case_id)
    if action in CONFIRMED_STEPS and request.POST.get("confirm") != "on":
        return _refused(
            request,
            case_id,
            action,
            services.Refused("confirm", in_both(gettext_noop("Tick the box to confirm."))),
        )
    try:
        message = STEPS[action](pages.actor(request), case, request.POST, pages.today())
    except (services.Refused, IllegalTransition) as exc:
        return _refused(request, case_id, action, exc)
    return _done(request, case_id, message)


@require_POST
@hall_side
def review_material(request: HttpRequest, material_id: int) -> HttpResponse:
    """Mark a received file: original seen, or defective with the reason in English and Chinese (both
    empty: not defective)."""
    material = get_object_or_404(
        Material.objects.filter(case__in=access.cases_for(request.user)).select_related("case"),
        pk=material_id,
    )
    try:
        services.mark_material(
            pages.actor(request),
            material,
            defect=request.POST.get("defect", ""),
            defect_zh=request.POST.get("defect_zh", ""),
            original_seen=request.POST.get("original_seen") == "on",
        )
    except services.Refused as exc:  # beside that file's field (the page lists many files), once
        errors = {exc.field: pages.explain(exc.message), "material": material.pk}
        return _page(request, pages.visible_case(request, material.case_id), errors, status=422)
    except IllegalTransition as exc:
        return _refused(request, material.case_id, "review_materials", exc)
    name = gettext("received on paper at the counter") if material.on_paper else material.original_name
    return _done(request, material.case_id, gettext("Saved: %(name)s.") % {"name": name})


@require_POST
@hall_side
def close_task(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(
        VerificationTask.objects.filter(case__in=access.cases_for(request.user)), pk=task_id
    )
    try:
        services.close_task(pages.actor(request), task, request.POST.get("outcome", ""))
    except (services.Refused, IllegalTransition) as exc:
        return _refused(request, task.case_id, "close_task", exc)
    return _done(request, task.case_id, gettext("Verification task closed."))
