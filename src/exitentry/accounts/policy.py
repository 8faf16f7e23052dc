"""Who may see and do what, on which object: the one place pages, the API and the admin ask.

Two sides act on a case. The applicant's side (the applicant, a proxy or agency, a unit handler) sees and
acts on its own cases: the applicant on cases about them or submitted by them, a proxy on cases it
submitted (or its agency's), a unit handler on its unit's. The hall's side (officers, supervisors) sees
cases submitted to the halls they are assigned to, never drafts, and only supervisors record the
Ministry's decision on permanent residence. Institutions and administrators see no case at all.

Each rule is a ``Q`` over cases, so the list a user gets and the yes/no for one case are the same rule.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from exitentry.accounts.models import HallAssignment, Role, User
from exitentry.compiled import KeyedQuery

APPLICANT_SIDE = frozenset({"view", "edit", "submit", "upload", "resubmit", "withdraw", "pay"})
HALL_SIDE = frozenset(
    {
        "view",
        "view_personal_data",
        "pre_examine",
        "receive",
        "review_materials",
        "notify_deficiency",
        "resubmit",
        "accept",
        "verify",
        "forward_to_ministry",
        "decide",
        "issue",
        "mark_ready",
        "collect",
        "pay",
    }
)
SUPERVISOR_ONLY = frozenset({"decide_for_ministry", "queue_health"})
CASE_ACTIONS = APPLICANT_SIDE | HALL_SIDE | SUPERVISOR_ONLY
_NOTHING = Q(pk__in=[])


_HALLS = KeyedQuery(lambda user: HallAssignment.objects.filter(user_id=user))


def hall_ids(user: User) -> frozenset[str]:
    """The halls an officer or supervisor serves (read once per user object)."""
    cached = getattr(user, "_hall_ids", None)
    if cached is None:
        cached = frozenset(h.hall_id for h in _HALLS(user.pk)) if user.pk else frozenset()
        user._hall_ids = cached
    return cached


def _own(user: User) -> Q:
    if user.role == Role.APPLICANT:
        mine = Q(submitted_by_id=user.pk)
        return mine | Q(person_id=user.person_id) if user.person_id else mine
    if user.role == Role.PROXY:
        mine = Q(submitted_by_id=user.pk)
        return mine | Q(unit_id=user.unit_id) if user.unit_id else mine
    if user.role == Role.UNIT:
        return Q(unit_id=user.unit_id)
    return _NOTHING


def _hall(user: User) -> Q:
    if user.role in (Role.OFFICER, Role.SUPERVISOR):
        return Q(hall_id__in=sorted(hall_ids(user))) & ~Q(state="draft")
    return _NOTHING


def is_hall_side(user: User) -> bool:
    return user.is_active and user.role in (Role.OFFICER, Role.SUPERVISOR)


def case_rule(user: User, action: str) -> Q:
    """The cases on which ``user`` may take ``action``, as a filter."""
    if action not in CASE_ACTIONS:
        raise ValueError(f"unknown case action {action!r}")
    if not user.is_authenticated or not user.is_active:
        return _NOTHING
    if is_hall_side(user):
        if action in HALL_SIDE or (action in SUPERVISOR_ONLY and user.role == Role.SUPERVISOR):
            return _hall(user)
        return _NOTHING
    return _own(user) if action in APPLICANT_SIDE else _NOTHING


def grants(user: User, action: str) -> bool:
    """Whether ``user`` may take ``action`` on any case at all (to show a page or a button)."""
    return case_rule(user, action) != _NOTHING


def cases_for(user: User, action: str = "view", queryset: QuerySet | None = None) -> QuerySet:
    from exitentry.cases.models import Case

    qs = Case.objects.all() if queryset is None else queryset
    return qs.filter(case_rule(user, action))


def may(user: User, action: str, case) -> bool:
    if not grants(user, action):
        return False
    return cases_for(user, action).filter(pk=case.pk).exists()


def require(user: User, action: str, case) -> None:
    """Refuse with ``PermissionDenied`` unless ``user`` may take ``action`` on ``case``."""
    if not may(user, action, case):
        raise PermissionDenied(f"not allowed to {action.replace('_', ' ')} this case")


def people_rule(user: User) -> Q:
    """The registry people ``user`` may read: the applicant themself, and the people of visible cases."""
    if not user.is_authenticated or not user.is_active:
        return _NOTHING
    visible_cases = cases_for(user).values("person_id")
    rule = Q(pk__in=visible_cases)
    if user.role == Role.APPLICANT and user.person_id:
        rule |= Q(pk=user.person_id)
    return rule


def is_institution(user: User) -> bool:
    """A bank's, hospital's, school's or telecom's verification desk (Art. 27): it sees no case."""
    return user.is_authenticated and user.is_active and user.role == Role.INSTITUTION


def is_administrator(user: User) -> bool:
    """The administrator works in Django's admin (``is_staff``), not on the case pages."""
    return user.is_authenticated and user.is_active and user.is_staff


def may_start_case(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role in (Role.APPLICANT, Role.PROXY, Role.UNIT)


def may_end_permit(user: User, permit) -> bool:
    """Officers and supervisors void or cancel (Arts. 34, 35) the permits of the people their halls see."""
    from exitentry.registry.models import Person

    return (
        is_hall_side(user) and Person.objects.filter(people_rule(user)).filter(pk=permit.person_id).exists()
    )


def may_record_documents(user: User, person) -> bool:
    """The applicant for themself, a proxy or unit for the people it applies for, the hall at intake."""
    from exitentry.registry.models import Person

    if user.role not in (Role.APPLICANT, Role.PROXY, Role.UNIT, Role.OFFICER, Role.SUPERVISOR):
        return False
    return Person.objects.filter(people_rule(user)).filter(pk=person.pk).exists()
