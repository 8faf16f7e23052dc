"""What the applicant's pages and the officers' console share: the signed-in gate, the day, the case as
a page shows it, the refusals in the page's language, and reading a stored material.

Who may see and do what is asked of ``accounts.policy`` alone; a case the user may not see answers 404,
as if it did not exist, and a page of the other side answers 403. Every page that shows a case's personal
data records the read in the audit trail.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET

from exitentry.accounts import policy
from exitentry.accounts.audit import Actor, record
from exitentry.cases import services, workflow
from exitentry.cases.deadlines import CaseDeadline, case_deadlines
from exitentry.cases.models import Case, CaseEvent, Material
from exitentry.cases.workflow import IllegalTransition, State
from exitentry.law.calendar import beijing_today
from exitentry.law.catalog import catalog
from exitentry.law.clocks import Pause
from exitentry.law.rules.grounds import UnknownGround, ground
from exitentry.law.sources import Citation
from exitentry.law.text import Text
from exitentry.web.case_labels import ACTIONS

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
            if not side(request.user):
                raise PermissionDenied("this page is not for your role")
            return view(request, *args, **kwargs)

        return login_required(gated, login_url=SIGN_IN_URL)

    return decorate


def case_queryset(user) -> QuerySet:
    """The cases ``user`` may see, with everything a case page reads fetched up front."""
    return (
        policy.cases_for(user)
        .select_related("person", "permit", "unit", "submitted_by", "receipt", "decision")
        .prefetch_related(
            "materials",
            "deficiency_notices",
            "tasks",
            "payments",
            "pauses",
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
        )
    )


def visible_case(request: HttpRequest, case_id: int) -> Case:
    """The case if the user may see it; 404 otherwise, as if it did not exist."""
    return get_object_or_404(case_queryset(request.user), pk=case_id)


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


@dataclass(frozen=True, slots=True)
class Notice:
    number: str
    issued_on: date
    items: tuple[NoticeItem, ...]


def notices(case: Case) -> list[Notice]:
    """The one-time notices as issued (their items were fixed on the day of issue)."""
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
                )
                for item in n.items
            ),
        )
        for n in sorted(case.deficiency_notices.all(), key=lambda n: (n.issued_on, n.pk))
    ]


def deadlines(case: Case, on: date) -> list[CaseDeadline]:
    try:
        return case_deadlines(case, on, [Pause(p.start, p.end) for p in case.pauses.all()])
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


def ground_of(ground_id: str):
    if not ground_id:
        return None
    try:
        return ground(ground_id)
    except UnknownGround:
        return None


def procedure_title(procedure_id: str) -> Text:
    procedure = catalog().procedures.get(procedure_id)
    return procedure.title if procedure is not None else Text(procedure_id, procedure_id)


# --- refusals in the page's language ------------------------------------------------------------------

# The services' messages (``Refused``), each with the words a person reads in the page's language.
_EXPLAINED: tuple[tuple[re.Pattern, Callable[[re.Match], str]], ...] = (
    (
        re.compile(r"the file is (?P<size>\d+) bytes; at most (?P<max>\d+) are taken"),
        lambda m: (
            gettext("The file is too large (%(size)s bytes); at most %(max)s bytes are taken.")
            % {"size": m["size"], "max": m["max"]}
        ),
    ),
    (
        re.compile(r"only PDF, JPEG and PNG files are taken"),
        lambda m: gettext("Only PDF, JPEG and PNG files are taken."),
    ),
    (
        re.compile(r"the file says it is (?P<said>\S+) but its content is (?P<is>\S+)"),
        lambda m: (
            gettext("The file says it is %(said)s, but its content is %(is)s. Upload the file as it is.")
            % {"said": m["said"], "is": m["is"]}
        ),
    ),
    (
        re.compile(r"this file was already received"),
        lambda m: gettext("This file was already received for this application."),
    ),
    (
        re.compile(r"is not a material of"),
        lambda m: gettext("Choose one of the materials listed."),
    ),
    (
        re.compile(r"does not take .*; choose one of"),
        lambda m: gettext("This hall does not take this application; choose one of the halls listed."),
    ),
    (
        re.compile(r"the rules still need: (?P<facts>.+)"),
        lambda m: (
            gettext("The application still needs answers: %(facts)s.")
            % {"facts": _fact_questions(m["facts"])}
        ),
    ),
    (
        re.compile(r"nothing is missing or defective"),
        lambda m: gettext("Nothing is missing or defective: accept the application instead."),
    ),
    (
        re.compile(r"(?P<n>\d+) item\(s\) missing or defective"),
        lambda m: (
            gettext("%(n)s item(s) are missing or defective: issue the one-time notice first.")
            % {"n": m["n"]}
        ),
    ),
    (
        re.compile(r"the applicant applies for themself and must come in person"),
        lambda m: gettext("The applicant applies for themself and must come in person."),
    ),
    (
        re.compile(r"close the open verification tasks first"),
        lambda m: gettext("Close the open verification tasks first."),
    ),
    (
        re.compile(r"say what the verification found"),
        lambda m: gettext("Say what the verification found."),
    ),
    (
        re.compile(r"a verification task is one of"),
        lambda m: gettext("Choose the kind of verification."),
    ),
    (
        re.compile(r"is not a refusal ground|no ground .* in grounds\.yaml"),
        lambda m: gettext("Choose one of the refusal grounds listed (Art. 21)."),
    ),
    (
        re.compile(r"is issued for at least (?P<min>\S+), not (?P<given>\S+)"),
        lambda m: (
            gettext("The validity must be at least %(min)s; %(given)s was given.")
            % {"min": m["min"], "given": m["given"]}
        ),
    ),
    (
        re.compile(r"is issued for at most (?P<max>\S+), not (?P<given>\S+)"),
        lambda m: (
            gettext("The validity must be at most %(max)s; %(given)s was given.")
            % {"max": m["max"], "given": m["given"]}
        ),
    ),
    (
        re.compile(r"is issued for (?P<fixed>P\w+), not (?P<given>\S+)"),
        lambda m: (
            gettext("For this holder the validity is %(fixed)s; %(given)s was given.")
            % {"fixed": m["fixed"], "given": m["given"]}
        ),
    ),
    (
        re.compile(r"is not a duration"),
        lambda m: gettext("Give the validity as a duration, e.g. P2Y (two years) or P180D (180 days)."),
    ),
    (
        re.compile(r"(?P<left>-?\d+) CNY is outstanding of the (?P<due>\d+) CNY fee"),
        lambda m: (
            gettext("%(left)s CNY of the %(due)s CNY fee is outstanding.")
            % {"left": m["left"], "due": m["due"]}
        ),
    ),
    (
        re.compile(r"enter the amount in whole yuan"),
        lambda m: gettext("Enter the amount in whole yuan."),
    ),
    (
        re.compile(r"choose how the fee was paid"),
        lambda m: gettext("Choose how the fee was paid."),
    ),
    (
        re.compile(r"the sources state no fee"),
        lambda m: gettext("The sources state no fee for this application; nothing can be charged."),
    ),
)


def _fact_questions(ids: str) -> str:
    facts = catalog().facts
    lang = get_language() or "en"
    return "; ".join(
        facts[i.strip()].question.get(lang) if i.strip() in facts else i.strip() for i in ids.split(",")
    )


def explain(message: str) -> str:
    """A service's refusal in the page's language; an unknown one keeps its words after a translated lead."""
    for pattern, words in _EXPLAINED:
        match = pattern.search(message)
        if match:
            return words(match)
    return gettext("Refused: %(reason)s") % {"reason": message}


def illegal(action: str, case: Case) -> str:
    """The refusal of a step the case's state (or its procedure) does not allow, in the page's language."""
    fresh = Case.objects.only("state").get(pk=case.pk)
    return gettext("“%(action)s” is not possible for this application now: it is %(state)s.") % {
        "action": ACTIONS.get(action, action),
        "state": State(fresh.state).label,
    }


def refusal(exc: Exception, action: str, case: Case | None) -> dict[str, str]:
    """The errors to show for a refused step: by field, and under ``step`` for the step as a whole."""
    if isinstance(exc, services.Refused):
        field = exc.field.split(".")[0]
        return {field: explain(exc.message), "step": explain(exc.message), "detail": exc.message}
    if isinstance(exc, IllegalTransition) and case is not None:
        return {"step": illegal(action, case), "detail": str(exc)}
    raise exc


# --- a stored material, read through the policy ---------------------------------------------------


@require_GET
@signed_in(lambda user: policy.may_start_case(user) or policy.is_hall_side(user))
def material_file(request: HttpRequest, material_id: int) -> HttpResponse:
    """One uploaded file, to a user who may see its case; the read goes into the audit trail."""
    material = get_object_or_404(
        Material.objects.filter(case__in=policy.cases_for(request.user)), pk=material_id
    )
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404("the stored file is missing") from None
    record(actor(request), "material.read", "material", material.pk, new={"case": material.case_id})
    return FileResponse(
        handle, content_type=material.content_type, as_attachment=False, filename=material.original_name
    )


def allowed(user, case: Case, action: str, outcome: str | None = None) -> bool:
    """Whether the case's state and procedure allow ``action`` now (``workflow``) and the policy lets ``user``."""
    try:
        workflow.target(catalog().procedure(case.procedure_id), case.state, action, outcome)
    except IllegalTransition:
        return False
    return policy.may(user, action, case)
