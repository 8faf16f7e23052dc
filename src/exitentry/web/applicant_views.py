"""The applicant's side: my applications and one application's page (``apply_views`` starts one).

For applicants, proxies and unit handlers (``policy.may_start_case``); the cases listed are exactly
``access.cases_for(user)``. Every step goes through ``cases.services`` with the signed-in user as the
actor; a refusal is shown beside its field (HTTP 422), and with htmx only the case panel is sent back.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.contrib import messages
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_http_methods, require_POST

from exitentry import upload_limit
from exitentry.accounts import policy
from exitentry.accounts.audit import record_list
from exitentry.appointments import services as appointments
from exitentry.appointments import withdrawals
from exitentry.cases import access, expiry, services
from exitentry.cases.deadlines import notice_pauses_a_clock
from exitentry.cases.lifecycle import BOOKABLE, TAKES_MATERIALS, IllegalTransition, State
from exitentry.cases.models import Case
from exitentry.cases.reads import CaseLists
from exitentry.law.catalog import catalog
from exitentry.law.intake import one_time_notice
from exitentry.law.model import Procedure
from exitentry.law.rules.permits import longest_validity
from exitentry.web import advisor, durations
from exitentry.web import case_pages as pages
from exitentry.web.booking_views import not_booked_here
from exitentry.web.material_checklist import checklist, item_names
from exitentry.web.paging import page_of
from exitentry.web.pick_up import pick_up

applicant_side = pages.signed_in(policy.may_start_case)
SAYS_WHERE_TO_BOOK = BOOKABLE | {State.DRAFT}  # a draft is told already, as a case that may book


# --- the list ---------------------------------------------------------------------------------------


@require_http_methods(["GET"])
@applicant_side
def my_cases(request: HttpRequest) -> HttpResponse:
    cases = (
        access.cases_for(request.user)
        .select_related("person")
        .prefetch_related("pauses")
        .order_by(F("created_at").desc(), F("pk").desc())
    )
    page = page_of(request, cases)
    on = pages.today()
    rows = [
        {
            "case": case,
            "title": pages.procedure_title(case.procedure_id),
            "nearest": pages.nearest_deadline(pages.deadlines(case, on)),
        }
        for case in page
    ]
    record_list(pages.actor(request), "case-list", page.number, [row["case"].pk for row in rows])
    return render(request, "web/my_cases.html", {"page": page, "rows": rows, "today": on})


# --- one application --------------------------------------------------------------------------------


def _context(request: HttpRequest, case: Case, lists: CaseLists, errors: dict | None = None) -> dict:
    user, on = request.user, pages.today()
    materials, materials_error = None, ""
    if case.state in TAKES_MATERIALS:  # a closed case lists its files, not what today's rules would ask
        try:
            materials = checklist(case, on, lists.materials)
        except services.Refused as exc:
            materials_error = pages.explain(exc.message)
    may_upload = pages.allowed(user, case, "upload")
    # the case is the filer's history for good; the person's records, its files and passport only under a mandate
    reads_person = access.reads_person(user, case.person_id, on)
    shown = pages.case_context(
        case, lists, on, standing=reads_person, papers=access.reads_papers(user, case, on)
    )
    drafting = case.state == State.DRAFT and pages.allowed(user, case, "edit")
    to_change, not_met = services.answers_not_met(case, on) if drafting else ((), ())
    unfit = services.unfit_answers(case, on) if drafting else {}
    not_asked = services.answers_not_asked(case, on) if drafting else ()
    facts = catalog().facts_on(on)
    posted = request.POST if errors else {}
    questions = (
        _draft_questions(case, on, shown["procedure"], (*to_change, *unfit), posted) if drafting else []
    )
    refused = (errors or {}).get("answers_fact", "")
    given = (
        _draft_answers(
            case, on, shown["procedure"], {*(q.name for q in questions), *not_asked}, posted, refused
        )
        if drafting
        else []
    )
    beside_answer = any(a["refused"] for a in given)
    may_submit = pages.allowed(user, case, "submit")
    may_resubmit = pages.allowed(user, case, "resubmit")
    outstanding = [r.deficiency for r in materials.rows if r.deficiency] if materials else ()
    beside = {
        *(("hall_id", "facts", "missing_confirmed") if may_submit else ()),
        *(("missing_confirmed",) if may_resubmit else ()),
        *(("material_id", "file") if may_upload and outstanding else ()),
        *(("answers",) if questions or beside_answer else ()),
    }
    return {
        **shown,
        "reads_person": reads_person,
        "mandate_days": access.MANDATE_GRACE.days,
        "expires_on": expiry.expires_on(case),
        "expiry_days_left": expiry.days_left(case, on),
        "expiry_period": expiry.period().days,
        "expiry_capped": expiry.capped(case),
        "expiry_longest": expiry.longest().days,
        "materials": lists.materials if reads_person else (),
        "material_names": item_names(case.procedure_id, case.submitted_on or on),
        "checklist": materials,
        "one_time_notice": one_time_notice(shown["procedure"]),
        "may_upload": may_upload,
        "outstanding": outstanding,
        "outstanding_error": materials_error,
        "may_submit": may_submit,
        "draft_questions": questions,
        # each open question with the stored answer it replaces where that no longer fits (why, the rule)
        "draft_asked": [
            {
                "q": q,
                "unfit": (u := unfit.get(q.name)),
                "stored": advisor.show_stored(facts[q.name], u.value) if u else "",
            }
            for q in questions
        ],
        "draft_answers": given,
        # stored answers the procedure does not ask (not read, never asked again), as the page writes answers
        "draft_not_asked": _not_asked(case, not_asked, on),
        "refused_beside_answer": beside_answer,
        "not_met": not_met,
        "halls": [(h, services.hall_label(h)) for h in services.hall_choices(shown["procedure"], case.facts)],
        "may_resubmit": may_resubmit,
        "may_withdraw": pages.allowed(user, case, "withdraw"),
        "may_book": pages.allowed(user, case, "book"),
        **(not_booked_here(case) if case.state in SAYS_WHERE_TO_BOOK else {}),
        "in_person": services.comes_in_person(case, on),
        "booking": (booking := appointments.active_booking(case)),
        "pick_up": pick_up(case),
        "withdrawn": withdrawals.reason(booking) if booking else None,
        "restored": withdrawals.restorations([booking]).get(booking.pk) if booking else None,
        "errors": _once(errors or {}, beside),
        "largest_upload": upload_limit.largest_hint(),
        "posted": posted,
        "htmx": pages.is_htmx(request),
    }


def _draft_questions(case: Case, on: date, procedure: Procedure, to_change, posted) -> list:
    """What a draft asks: the facts the rules still need, then the answers a requirement does not meet,
    each set to the answer posted or stored."""
    names = dict.fromkeys((*(f.id for f in services.missing_facts(case, on)), *to_change))
    return [_question(name, case, on, procedure, posted) for name in names]


def _draft_answers(case: Case, on: date, procedure: Procedure, apart: set[str], posted, refused: str) -> list:
    """The answers a draft's filer gave and may change (not the registry's, which only the hall corrects,
    nor those ``apart``: asked again above, or no longer asked), in the catalog's order: the answer as
    people read it, and its question set to it (to the answer posted where it was ``refused``)."""
    facts, held = catalog().facts_on(on), {*case.facts_from_registry, *apart}
    return [
        {
            "shown": advisor.show_answer(fact, case.facts[name]),
            "question": _question(name, case, on, procedure, posted if name == refused else {}),
            "refused": name == refused,
        }
        for name, fact in facts.items()
        if name in case.facts and name not in held and not fact.derived_from
    ]


def _not_asked(case: Case, names: tuple[str, ...], on: date) -> list[dict[str, str]]:
    """The stored answers the procedure does not ask, each beside its question (the law's numbers in force
    ``on`` filled in) as the page writes answers; a name the catalog no longer knows has no question to
    show it by and is left out."""
    facts = catalog().facts_on(on)
    return [
        {"name": name, "question": facts[name].question.get(get_language() or "en"), "shown": show}
        for name in names
        if name in facts and (show := advisor.show_stored(facts[name], case.facts[name]))
    ]


def _question(name: str, case: Case, on: date, procedure: Procedure, posted) -> advisor.Question:
    """A fact's question set to the answer posted or stored; a duration's years run to the law's longest
    validity (``longest_validity``: Exit and Entry Administration Law Arts. 30 and 34), as the officer's form."""
    fact = catalog().facts_on(on)[name]
    given = durations.from_parts(posted, name) if fact.type == "duration" else posted.get(name)
    stored = case.facts.get(name)
    question = advisor.question_for(fact, given or _form_value(stored), "")
    return (
        replace(question, longest=longest_validity(procedure.casework, on))
        if fact.type == "duration"
        else question
    )


def _form_value(value: object) -> str:
    """A stored answer as a form field holds it (a yes or no as ``true``/``false``, as the options)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _once(errors: dict, beside: set[str]) -> dict:
    """A refusal the page shows beside its field (``beside``) is not said again at the top."""
    if errors.get("step") and any(errors.get(field) == errors["step"] for field in beside):
        return {key: value for key, value in errors.items() if key != "step"}
    return errors


SCREEN = pages.CaseScreen("web/my_case.html", "web/_my_case_panel.html", "web:my_case", _context)
_page, _done, _refused = SCREEN.page, SCREEN.done, SCREEN.refused


@require_http_methods(["GET"])
@applicant_side
def my_case(request: HttpRequest, case_id: int) -> HttpResponse:
    return _page(request, pages.visible_case(request, case_id))


@applicant_side
def upload_too_large(request: HttpRequest, case_id: int) -> HttpResponse:
    """A body past any upload (``upload_limit``): the case page again, the largest size beside the file
    field, 413 (htmx swaps it, as a 422)."""
    message = pages.explain(upload_limit.too_large())
    return _page(request, pages.visible_case(request, case_id), {"file": message, "step": message}, 413)


@upload_limit.answered_by(upload_too_large)
@require_POST
@applicant_side
def upload(request: HttpRequest, case_id: int) -> HttpResponse:
    case = pages.visible_case(request, case_id)
    material_id = request.POST.get("material_id", "")
    file = request.FILES.get("file")
    if file is None:
        errors = {"file": gettext("Choose a file to upload."), "step": gettext("Choose a file to upload.")}
        return _page(request, case, errors, status=422)
    try:
        services.upload_material(
            pages.actor(request),
            case,
            material_id,
            file,
            translated=request.POST.get("translated") == "on",
            on=pages.today(),
        )
    except (services.Refused, IllegalTransition) as exc:
        return _refused(request, case_id, "upload", exc)
    return _done(request, case_id, gettext("Received: %(name)s.") % {"name": file.name})


@require_POST
@applicant_side
def answer(request: HttpRequest, case_id: int) -> HttpResponse:
    """Give the answers a draft's rules still need (``services.update_facts``, as the API's PATCH)."""
    case = pages.visible_case(request, case_id)
    try:
        services.update_facts(
            pages.actor(request), case, advisor.read_answers(request.POST, catalog().facts), on=pages.today()
        )
    except services.Refused as exc:  # beside the questions, with the rule's sources
        errors = pages.refusal(exc, "edit", case)
        errors["answers"], errors["answers_cite"] = errors.pop("facts", errors["step"]), exc.cite
        errors["answers_fact"] = exc.field.partition(".")[2]  # shown beside that answer if it was given
        return _page(request, case, errors, status=422)
    except IllegalTransition as exc:
        return _refused(request, case_id, "edit", exc)
    return _done(request, case_id, gettext("The answers are recorded."))


@require_POST
@applicant_side
def submit(request: HttpRequest, case_id: int) -> HttpResponse:
    case = pages.visible_case(request, case_id)
    on = pages.today()
    if _unconfirmed(request, case, "submit", on):
        why = gettext("Confirm that you submit without the missing materials listed above.")
        return _page(request, case, {"missing_confirmed": why, "step": why}, status=422)
    try:
        services.submit(pages.actor(request), case, request.POST.get("hall_id", ""), on=on)
    except (services.Refused, IllegalTransition) as exc:
        return _refused(request, case_id, "submit", exc)
    return _done(request, case_id, gettext("Your application is submitted."))


def _unconfirmed(request: HttpRequest, case: Case, action: str, on: date) -> bool:
    """Whether ``action`` (submit, resubmit) would send the case with required items not uploaded and the
    filer has not ticked that it knows: a confirm step, not a block (the hall lists what is missing or
    defective at one time, ``law.intake``). For a submission the items missing; for a resubmission those
    the one-time notice still waits for, missing or defective."""
    if request.POST.get("missing_confirmed") == "on" or not pages.allowed(request.user, case, action):
        return False
    try:
        listed = checklist(case, on, list(case.materials.all()))
    except services.Refused:
        return False  # the step itself says what the rules still need
    return bool(listed.missing if action == "submit" else listed.deficient)


@require_POST
@applicant_side
def resubmit(request: HttpRequest, case_id: int) -> HttpResponse:
    case = pages.visible_case(request, case_id)
    if _unconfirmed(request, case, "resubmit", pages.today()):
        why = gettext("Confirm that you resubmit without the missing materials listed above.")
        return _page(request, case, {"missing_confirmed": why, "step": why}, status=422)
    try:
        services.resubmit(pages.actor(request), case, on=pages.today())
    except (services.Refused, IllegalTransition) as exc:
        return _refused(request, case_id, "resubmit", exc)
    if notice_pauses_a_clock(pages.deadlines(case, pages.today())):
        return _done(
            request, case_id, gettext("The missing materials are resubmitted; the clock runs again.")
        )
    return _done(request, case_id, gettext("The missing materials are resubmitted."))


@require_http_methods(["GET", "POST"])
@applicant_side
def withdraw(request: HttpRequest, case_id: int) -> HttpResponse:
    """A confirmation page, then the withdrawal (POST): it cannot be undone."""
    case = pages.visible_case(request, case_id)
    if request.method == "POST":
        try:
            services.withdraw(pages.actor(request), case, on=pages.today())
        except (services.Refused, IllegalTransition) as exc:
            return _refused(request, case_id, "withdraw", exc)
        messages.success(request, gettext("Your application is withdrawn."))
        return redirect("web:my_case", case_id=case_id)
    if not pages.allowed(request.user, case, "withdraw"):
        return _page(request, case, {"step": pages.illegal("withdraw", case.state)}, status=422)
    return render(
        request,
        "web/withdraw.html",
        {"case": case, "title": pages.procedure_title(case.procedure_id)},
    )
