"""What the applicant's pages and the officers' console share: the signed-in gate, the day, the case as
a page shows it, the refusals in the page's language, and reading a stored material.

Who may see and do what is asked of ``cases.access`` alone; a case the user may not see answers 404,
as if it did not exist, and a page of the other side answers 403. Every page that shows a case's personal
data records the read in the audit trail.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache, wraps
from urllib.parse import quote, urlsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET

from exitentry.accounts import policy
from exitentry.accounts.audit import Actor, record
from exitentry.accounts.middleware import page_redirect
from exitentry.cases import access, lifecycle, services
from exitentry.cases.deadlines import CaseDeadline, case_deadlines, notice_pauses_a_clock
from exitentry.cases.lifecycle import IllegalTransition, State
from exitentry.cases.models import Case, Material
from exitentry.cases.notices import extension_of
from exitentry.cases.reads import CaseLists, case_lists, passport_of
from exitentry.law.calendar import beijing_today
from exitentry.law.catalog import catalog
from exitentry.law.clocks import Pause
from exitentry.law.model import Procedure
from exitentry.law.rules.grounds import UnknownGround, decision_ground, ground
from exitentry.law.rules.residence import receipt_validity
from exitentry.law.sources import Citation
from exitentry.law.text import Text
from exitentry.registry.standing import Standing, standing

SIGN_IN_URL = reverse_lazy("web:sign_in")
PAGE_SIZE = 50
OPEN_CLOCKS = ("due", "late", "paused")


def today() -> date:
    """The day the pages apply the rules on: today in Beijing."""
    return beijing_today()


def actor(request: HttpRequest) -> Actor:
    return Actor.of(request)


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def signed_in(side: Callable[[object], bool]) -> Callable:
    """Views for signed-in users of one side: anonymous callers go to the sign-in page, others get 403.

    ``side`` is a question the policy answers about the user (``policy.may_start_case``,
    ``policy.is_hall_side``, ...).
    """

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def gated(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return to_sign_in(request)
            if not side(request.user):
                raise PermissionDenied("this page is not for your role")
            return view(request, *args, **kwargs)

        return gated

    return decorate


def to_sign_in(request: HttpRequest) -> HttpResponse:
    """Someone not signed in goes to the sign-in page, then back (``next``) to the page asked for. A form
    sent while signed out (the session ended in another tab) did nothing: the sign-in page says so, and
    sends back to the page the form was on (its ``Referer``, on this site), not to where it was posted."""
    back = request.get_full_path()
    if request.method not in ("GET", "HEAD"):
        messages.warning(
            request,
            gettext(
                "You were signed out, so nothing was sent or saved. Sign in again, then send it once more."
            ),
        )
        referer = request.headers.get("Referer", "")
        if url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure()):
            parts = urlsplit(referer)
            back = parts.path + (f"?{parts.query}" if parts.query else "")
    return page_redirect(request, f"{SIGN_IN_URL}?next={quote(back, safe='/')}")


def visible_case(request: HttpRequest, case_id: int) -> Case:
    """The case if the user may see it, with what it holds one of; 404 otherwise, as if it did not exist.
    A page reads its lists as the API does (``cases.reads.case_lists``)."""
    return get_object_or_404(
        access.cases_for(request.user).select_related(
            "person", "permit", "unit", "submitted_by", "receipt", "decision", "travel_document"
        ),
        pk=case_id,
    )


def read_case(request: HttpRequest, case: Case) -> None:
    """A page is about to show this case's personal data: the audit trail records who read it."""
    record(actor(request), "case.read", "case", case.pk)


# --- a case as a page shows it --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NoticeItem:
    kind: str
    id: str
    text: Text
    reason: Text | None
    cite: tuple[Citation, ...]
    uploaded: bool = False  # a file for it came after the notice: the hall has yet to check it


@dataclass(frozen=True, slots=True)
class Notice:
    number: str
    issued_on: date
    items: tuple[NoticeItem, ...]


def notices(lists: CaseLists) -> list[Notice]:
    """The one-time notices as issued (their items were fixed on the day of issue), each item marked
    uploaded when a file for it came after its notice (the notices are issued in the order of the case's
    ``notify_deficiency`` events)."""
    issued = iter(e.at for e in lists.events if e.action == "notify_deficiency")
    return [
        Notice(
            n.number,
            n.issued_on,
            tuple(
                NoticeItem(
                    item["kind"],
                    item["id"],
                    Text(**item["text"]),
                    Text(**item["reason"]) if item.get("reason") else None,
                    tuple(Citation(c["source"], c["section"]) for c in item.get("cite") or ()),
                    at is not None
                    and any(m.material_id == item["id"] and m.uploaded_at > at for m in lists.materials),
                )
                for item in n.items
            ),
        )
        for n, at in ((n, next(issued, None)) for n in lists.notices)
    ]


def fee(case: Case, on: date, lists: CaseLists) -> services.Fee | None:
    """Where the case's fee stands, or None where its facts do not give one (the page says so elsewhere)."""
    try:
        return services.fee_of(case, on, lists)
    except services.Refused:
        return None


def deadlines(case: Case, on: date, pauses=None) -> list[CaseDeadline]:
    """The case's clocks; ``pauses`` are its pauses where the caller has read them."""
    pauses = case.pauses.all() if pauses is None else pauses
    try:
        return case_deadlines(case, on, [Pause(p.start, p.end) for p in pauses])
    except (ValueError, LookupError):  # facts or dates the rules cannot read: the page says so elsewhere
        return []


def nearest_deadline(clocks: list[CaseDeadline]) -> CaseDeadline | None:
    """The open clock that ends first (a paused one, which has no last day, after the others)."""
    running = [d for d in clocks if d.status in OPEN_CLOCKS]
    return min(running, key=lambda d: (d.deadline.due is None, d.deadline.due or date.max), default=None)


def receipt_line(clocks: list[CaseDeadline]) -> CaseDeadline | None:
    """The law's line on the receipt: its validity, and that the holder resides legally with it."""
    return next((d for d in clocks if d.clock == "receipt-validity"), None)


def receipt_of(case: Case):
    try:
        return case.receipt
    except Case.receipt.RelatedObjectDoesNotExist:
        return None


def decision_of(case: Case):
    try:
        return case.decision
    except Case.decision.RelatedObjectDoesNotExist:
        return None


def ground_of(ground_id: str, procedure: Procedure | None = None):
    """The ground a record cites; a decision's is read with its ``procedure`` (``decision_ground``)."""
    if not ground_id:
        return None
    try:
        return decision_ground(procedure, ground_id) if procedure is not None else ground(ground_id)
    except UnknownGround:
        return None


def permit_standing(case: Case, on: date) -> Standing | None:
    """How the case's permit stands today, so both sides see a void or cancelled permit as such."""
    return standing(case.permit, on) if case.permit is not None else None


def case_context(
    case: Case, lists: CaseLists, on: date, *, standing: bool = True, papers: bool = True
) -> dict:
    """What both sides' case pages show of a case: its procedure, clocks, receipt, decision and ground, the
    permit's standing and the passport it is received on (unless ``standing`` is false: the viewer no
    longer reads the person; no passport unless ``papers``, ``access.reads_papers``), the notices, the history and the fee. A case closed before it was ever submitted (an expired or withdrawn draft)
    shows no time limits: none of them will start."""
    clocks = deadlines(case, on, lists.pauses)
    decision = decision_of(case)
    return {
        "case": case,
        "procedure": catalog().procedure(case.procedure_id),
        "person": case.person,
        "deadlines": [] if case.submitted_on is None and case.state in lifecycle.CLOSED_STATES else clocks,
        "notice_pauses": notice_pauses_a_clock(clocks),
        "receipt": (receipt := receipt_of(case)),
        "receipt_line": receipt_line(clocks),
        "receipt_validity": (
            receipt_validity(receipt.valid_until, catalog().procedure(case.procedure_id)) if receipt else None
        ),
        "decision": decision,
        "extension": extension_of(case, decision),
        "ground": ground_of(decision.ground_id, catalog().procedure(case.procedure_id)) if decision else None,
        "permit_standing": permit_standing(case, on) if standing else None,
        "passport": passport_of(case, on, reads_person=standing) if papers else None,
        "notices": notices(lists),
        "materials_in_check": case.state
        in lifecycle.CHECKING_MATERIALS,  # an item uploaded is yet to be checked
        "events": lists.events,
        "fee": fee(case, on, lists),
    }


def procedure_title(procedure_id: str) -> Text:
    procedure = catalog().procedures.get(procedure_id)
    return procedure.title if procedure is not None else Text(procedure_id, procedure_id)


# --- refusals in the page's language ------------------------------------------------------------------


def explain(text: Text) -> str:
    """A refusal's text in the page's language."""
    return text.get(get_language() or "en")


def illegal(action: str, state: str) -> str:
    """The refusal of a step the case's state (or its procedure) does not allow, in the page's language."""
    return gettext("“%(action)s” is not possible for this application now: it is %(state)s.") % {
        "action": explain(lifecycle.label(action)),
        "state": State(state).label,
    }


def refusal(
    exc: Exception, action: str, case: Case | None, beside: frozenset[str] = frozenset()
) -> dict[str, str]:
    """The errors to show for a refused step: by field, and under ``step`` for the step as a whole unless
    the page says it beside its field (one of ``beside``: said once, not twice)."""
    if isinstance(exc, services.Refused):
        message, field = explain(exc.message), exc.field.split(".")[0]
        return {field: message} if field in beside else {field: message, "step": message}
    if isinstance(exc, IllegalTransition) and case is not None:
        state = Case.objects.only("state").get(pk=case.pk).state
        errors = {"step": illegal(action, state)}
        row = lifecycle.row_of(action)
        if row is not None and state in row.states:
            errors["detail"] = explain(exc.text)  # the state allows it: the procedure says why not
        return errors
    raise exc


# --- a stored material, read through the policy ---------------------------------------------------


@require_GET
@signed_in(lambda user: policy.may_start_case(user) or policy.is_hall_side(user))
def material_file(request: HttpRequest, material_id: int) -> HttpResponse:
    """One uploaded file, to a user who may see its case, as a download (``attachment``: never shown in
    the site's origin, where a PDF's scripts would run; ``nosniff`` from ``SECURE_CONTENT_TYPE_NOSNIFF``);
    the read goes into the audit trail."""
    material = get_object_or_404(
        Material.objects.filter(case__in=access.cases_for(request.user)), pk=material_id
    )
    if material.on_paper:
        raise Http404("handed in on paper: the hall holds it")
    if not access.reads_papers(request.user, material.case, today()):
        raise Http404("the case is kept as a record: its files only under the mandate")
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404("the stored file is missing") from None
    record(actor(request), "material.read", "material", material.pk, new={"case": material.case_id})
    return FileResponse(
        handle, content_type=material.content_type, as_attachment=True, filename=material.original_name
    )


def allowed(user, case: Case, action: str, outcome: str | None = None) -> bool:
    """Whether ``action`` is open to ``user`` on ``case`` (one of ``visible_case``'s) now: the lifecycle
    table and the user's side (``access.allows``)."""
    return access.allows(user, action, case, outcome, visible=True)


@dataclass(frozen=True)
class CaseScreen:
    """One side's case page: its full and panel templates, its URL name, and how its context is built.

    ``page`` renders it (the panel alone for htmx), ``done`` answers a step that went through (the fresh
    panel for htmx, else POST-redirect-GET with a message), ``refused`` a step the rules refused (422).
    """

    template: str
    panel: str
    url_name: str
    context: Callable[..., dict]

    def page(
        self, request: HttpRequest, case: Case, errors: dict | None = None, status: int = 200
    ) -> HttpResponse:
        read_case(request, case)
        template = self.panel if is_htmx(request) else self.template
        context = self.context(request, case, case_lists(case.pk), errors)
        return render(request, template, context, status=status)

    def done(self, request: HttpRequest, case_id: int, message: str) -> HttpResponse:
        if is_htmx(request):
            case = visible_case(request, case_id)
            read_case(request, case)
            context = self.context(request, case, case_lists(case.pk))
            return render(request, self.panel, context | {"flash": message})
        messages.success(request, message)
        return redirect(self.url_name, case_id=case_id)

    def refused(self, request: HttpRequest, case_id: int, action: str, exc: Exception) -> HttpResponse:
        case = visible_case(request, case_id)
        return self.page(request, case, refusal(exc, action, case, said_beside(self.panel)), status=422)


@cache
def said_beside(panel: str) -> frozenset[str]:
    """The fields whose refusal the ``panel`` template says beside them (each ``errors.<field>`` it reads),
    read from the template itself, so the page and this list never part."""
    return frozenset(re.findall(r"errors\.(\w+)", get_template(panel).template.source)) - {"step", "detail"}
