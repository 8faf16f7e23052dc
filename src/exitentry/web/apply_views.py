"""Starting an application from the advisor's answers, as ``POST /cases`` does over the API.

An applicant applies for themself. A proxy or unit handler applies for one of the people it acts for now
(``access.people_rule``: its mandate, see ``cases.services.drafts``) or for a new person it enters with a
passport; for an extension, renewal or change it chooses the held permit, which names the person. The
services decide the rest: the facts the registry holds (``cases.registry_facts``), a permit already held
(``cases.first_application``). A refusal is shown beside its field, and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_http_methods

from exitentry.accounts import policy
from exitentry.accounts.audit import record
from exitentry.accounts.models import Role
from exitentry.cases import access, first_application, registry_facts, services
from exitentry.cases.lifecycle import TO_COLLECT
from exitentry.cases.models import Case
from exitentry.cases.services import one_per_permit
from exitentry.law.advice import facts_asked
from exitentry.law.catalog import UnknownProcedure, catalog
from exitentry.law.facts import FactError
from exitentry.law.model import Procedure
from exitentry.law.rules import holding
from exitentry.law.text import Text
from exitentry.registry import roster
from exitentry.registry.models import Permit, Person
from exitentry.registry.standing import held_on
from exitentry.web import case_pages as pages
from exitentry.web.advisor import ON, PERMIT, posted, read_answers, show_answer, step
from exitentry.web.person_form import NewPersonForm

applicant_side = pages.signed_in(policy.may_start_case)
NEW = "new"  # the choice of a person the registry does not hold yet


class _Invalid(Exception):
    """The page's own input is wrong; ``errors`` by field."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors


def _own_person(user) -> Person:
    """An applicant starts an application for the registry record that is theirs."""
    if user.person_id is None:
        raise PermissionDenied("this account has no registry record to apply for")
    return user.person


def _people(user) -> list[Person]:
    """Whom ``user`` applies for: an applicant themself, a proxy or unit the people it acts for now."""
    if user.role == Role.APPLICANT:
        return [_own_person(user)]
    return list(Person.objects.filter(access.people_rule(user)).order_by("surname", "given_names", "pk"))


def nothing_to_act_on(user, procedure: Procedure, on: date) -> bool:
    """Whether ``procedure`` acts on a held permit and none of the people ``user`` applies for holds one it
    may act on, as the apply page offers them (``_permits``): the advisor says so at its start."""
    if procedure.casework.action == "issue" or not policy.may_start_case(user):
        return False
    if user.role == Role.APPLICANT and user.person_id is None:
        return False
    return not _permits(user, procedure, _people(user), on)


@dataclass(frozen=True, slots=True)
class Recorded:
    """For an applicant applying for themself: the advisor's data with the answers their registry record
    holds filled in where none was given (so they are shown, not asked), the names of those answers, and
    every answer given that the record holds otherwise, each with what the start of the application says
    of it (``registry_facts.disagreements``): all at once, not one per attempt; and what the record says
    of the after-entry duty (``registry_facts.after_entry``: the visa's days, a residence permit since)."""

    data: Mapping[str, str]
    held: frozenset[str] = frozenset()
    differs: dict[str, Text] = field(default_factory=dict)
    within_days: int | None = None
    permit_since_entry: bool = False


def recorded(user, procedure: Procedure, data: Mapping[str, str], on: date) -> Recorded:
    """``Recorded`` for ``user`` (nothing for anyone but a signed-in applicant with a registry record); the
    permit read is the one carried (``PERMIT``) if it is theirs to act on, else the only one offered."""
    if not user.is_authenticated or user.role != Role.APPLICANT or user.person_id is None:
        return Recorded(data)
    permits = _permits(user, procedure, [user.person], on)
    carried = data.get(PERMIT, "")
    permit = next((p for p in permits if str(p.pk) == carried), permits[0] if len(permits) == 1 else None)
    held = registry_facts.held(user.person, procedure, permit, on)
    given = read_answers(data, catalog().facts)
    try:
        differs = {d.fact: d.text for d in registry_facts.disagreements(given, held)}
    except FactError:  # an answer that does not fit its fact: the advisor asks it again first
        differs = {}
    filled = {name: posted(value) for name, value in held.items() if name not in given}
    within_days, since = registry_facts.after_entry(user.person, on)
    return Recorded(
        {**{k: data.get(k) for k in data}, **filled}, frozenset(held), differs, within_days, since
    )


def _procedure(procedure_id: str) -> Procedure:
    try:
        return catalog().procedure(procedure_id)
    except UnknownProcedure:
        raise Http404(procedure_id) from None


def _permits(user, procedure: Procedure, people: list[Person], on: date) -> list[Permit]:
    """The permits of these people an extension, renewal, ... may act on, on ``on``: the law core's
    ``holding.procedures_for`` names this procedure for them (their kind and type, in force), and for
    ``user``: not a change of employer to the unit that employs them (``roster.employs``)."""
    work = procedure.casework
    if work.action == "issue" or not people:
        return []
    held = Permit.objects.filter(person__in=people).in_force(on)
    acting = [
        p
        for p in held.select_related("person").order_by("person__surname", "person_id", "-issued_on")
        if procedure.id
        in {
            q.id
            for q in holding.procedures_for(
                held_on(p, on), on, by_employer=roster.employs(user.unit_id, p.person_id, on)
            )
        }
    ]
    # a one-stop procedure acts on the work permit too, but is started on the residence permit it renews
    own_kind = {p.person_id for p in acting if p.kind == procedure.casework.permit}
    return [p for p in acting if p.kind == procedure.casework.permit or p.person_id not in own_kind]


def _of_one_person(permits: list[Permit], started_from: str) -> list[Permit]:
    """Reached from one permit (a person's page, ``PERMIT``): only that holder's permits; all otherwise."""
    person = next((p.person_id for p in permits if str(p.pk) == started_from), None)
    if person is None:
        person = Permit.objects.filter(pk=started_from).values_list("person_id", flat=True).first()
    mine = [p for p in permits if p.person_id == person]
    return mine or permits


@require_http_methods(["GET", "POST"])
@applicant_side
def apply(request: HttpRequest, procedure_id: str) -> HttpResponse:
    """The advisor's answers (query parameters, as its forms carry them) become a draft application."""
    procedure = _procedure(procedure_id)
    user = request.user
    if policy.needs_own_record(user):  # signed up themself: their details first, then back here
        return redirect(f"{reverse('web:my_details')}?{urlencode({'next': request.get_full_path()})}")
    for_self = user.role == Role.APPLICANT
    posted = request.method == "POST"
    data = request.POST if posted else request.GET
    on = pages.today()
    current = step(procedure, data, on)
    # an old advisor link may carry an answer the procedure no longer asks: left out, never refused here
    asked = facts_asked(procedure, catalog())
    answers = {name: value for name, value in read_answers(data, catalog().facts).items() if name in asked}
    issues = procedure.casework.action == "issue"
    people = _people(user)
    started_from = data.get(PERMIT, "")
    permits = _permits(user, procedure, people, on)
    if started_from.isdecimal():
        permits = _of_one_person(permits, started_from)
    busy = _busy(user, permits)
    choice = data.get("person", "") if not for_self else str(people[0].pk)
    if not for_self and issues and not people and not choice:
        choice = NEW  # nobody to choose from yet
    form = NewPersonForm(
        data if posted and choice == NEW else None,
        actor=pages.actor(request),
        procedure=procedure,
        initial={"birth_date": answers.get("birth_date")},
    )
    held = first_application.already_held(people[0], procedure, on) if for_self else None
    draft = services.open_draft(user, people[0], procedure.id) if for_self else None
    if posted and draft is not None:  # Back, then start again: the draft there is, not a second one
        messages.info(request, gettext("You already have a draft for this application: continue it here."))
        _carried(request, draft, answers, on)
        return redirect(reverse("web:my_case", kwargs={"case_id": draft.pk}))
    errors: dict[str, str] = {}
    wrong_answer = ""
    if posted and current.complete and held is None:
        person = None
        if form.is_bound:
            form.is_valid()  # outside the transaction below, so a refused passport's audit entry stays
        try:
            with transaction.atomic():
                person, permit, entered = _chosen(request, procedure, people, permits, choice, form)
                case = services.start_case(
                    pages.actor(request),
                    procedure_id=procedure.id,
                    person=person,
                    facts=answers,
                    permit=permit,
                    on=on,
                    entered=entered,
                )
        except _Invalid as exc:
            errors = exc.errors
        except services.DraftExists as exc:
            draft = exc.draft
            errors = {"person": gettext("This person already has a draft for this application.")}
        except services.Refused as exc:
            errors = pages.refusal(exc, "start", None)
            if exc.field.startswith("facts."):
                wrong_answer = exc.field.removeprefix("facts.")
            if exc.field == "procedure" and person is not None and person.pk is not None:
                held = first_application.already_held(person, procedure, on, user.unit_id)
        else:
            messages.success(
                request,
                gettext("Your draft is saved. Upload your materials, choose a hall and submit.")
                if for_self
                else gettext("The draft is saved. Upload the materials, choose a hall and submit."),
            )
            return redirect(reverse("web:my_case", kwargs={"case_id": case.pk}))
    context = {
        "procedure": procedure,
        "step": current,
        "answers": [(name, value) for name, value in answers.items()] + [(ON, current.on.isoformat())],
        "for_self": for_self,
        "people": people,
        "choice": choice,
        "form": form,
        "permits": permits,
        "busy": busy,
        "startable": not issues and any(p.pk not in busy for p in permits),
        "needs_permit": not issues,
        "chosen_permit": _chosen_permit(permits, started_from),
        "held": held,
        "draft": draft,
        "wrong_answer": wrong_answer,
        "errors": errors,
        "grace_days": access.MANDATE_GRACE.days,
        "differs": recorded(user, procedure, data, on).differs,  # every one at once, before a start
    }
    if not for_self and people:  # their names and permits' numbers, as "My permits" lists them: audited
        shown = {"people": [p.pk for p in people], "permits": [p.pk for p in permits]}
        record(pages.actor(request), "person.list", "apply", procedure.id, new=shown)
    status = 422 if errors or (posted and not current.complete) else 200
    if form.spent is not None:
        status = 429
    response = render(request, "web/apply.html", context, status=status)
    if form.spent is not None:
        response["Retry-After"] = str(form.spent.wait)
    return response


def _carried(request: HttpRequest, draft: Case, answers: dict[str, str], on: date) -> None:
    """The answers of a second start kept (``services.carry_answers``): those the draft had none for are
    saved on it; the ones it answers otherwise are shown on its page, saying they were not saved."""
    unsaved = services.carry_answers(pages.actor(request), draft, answers, on)
    if not unsaved:
        return
    facts, language = catalog().facts, get_language() or "en"
    shown = ("；" if language.startswith("zh") else "; ").join(
        f"{facts[n].question.get(language)} {_shown(facts[n], v)}" for n, v in unsaved.items()
    )
    messages.warning(
        request,
        gettext(
            "These answers you gave again were not saved, as the draft already answers them otherwise "
            "(change them on the draft if they are the right ones): %(answers)s"
        )
        % {"answers": shown},
    )


def _shown(fact, value: str) -> str:
    try:
        return show_answer(fact, value)
    except Exception:  # an answer that does not fit its fact: as typed
        return value


def _chosen_permit(permits: list[Permit], started_from: str) -> str:
    """The permit to pre-select: the one the page was reached from, or the only one offered."""
    if any(str(p.pk) == started_from for p in permits):
        return started_from
    return str(permits[0].pk) if len(permits) == 1 else ""


def _busy(user, permits: list[Permit]) -> dict[int, tuple[object, bool, bool]]:
    """The permits an application is already under way on (one at a time, ``one_per_permit``), each with
    that application, whether ``user`` may open it and whether it is decided and awaits collection (it can
    no longer be withdrawn): the page flags them before anyone tries to start."""
    taken = one_per_permit.open_cases(permits)
    seen = set(
        access.cases_for(user).filter(pk__in=[c.pk for c in taken.values()]).values_list("pk", flat=True)
    )
    return {permit_id: (case, case.pk in seen, case.state in TO_COLLECT) for permit_id, case in taken.items()}


def _chosen(request, procedure, people, permits, choice, form) -> tuple[Person, Permit | None, bool]:
    """The person (stored now if new, in the caller's transaction), the permit the case acts on, and
    whether the person was entered now."""
    if procedure.casework.action != "issue":
        permit = next((p for p in permits if str(p.pk) == request.POST.get("permit")), None)
        if permit is None:
            raise _Invalid({"permit": gettext("Choose the permit this application is for.")})
        return permit.person, permit, False
    if choice == NEW and request.user.role != Role.APPLICANT:
        if not form.is_valid():
            raise _Invalid({"person": gettext("Check the details of the new person.")})
        return form.save(), None, True
    person = next((p for p in people if str(p.pk) == choice), None)
    if person is None:
        if choice.isdecimal():
            raise Http404("no such person among those you act for")
        raise _Invalid({"person": gettext("Choose the person this application is for.")})
    return person, None, False
