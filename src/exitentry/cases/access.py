"""Who may see which case, and take which action on it: the one place services, pages, the API and the
admin ask.

Two sides act on a case. The applicant's side (the applicant, a proxy or agency, a unit handler) sees and
acts on its own cases: the applicant on cases about them or submitted by them, a proxy on cases it
submitted (or its agency's), a unit handler on its unit's (its files and travel document only under the
mandate, ``reads_papers``). The hall's side (officers, supervisors) sees
cases submitted to the halls they are assigned to, never drafts. Which side may take which action, and in
which states, is the lifecycle table's (``cases.lifecycle``); institutions and administrators see no case.

Each rule is a ``Q`` over cases, so the list a user gets and the yes/no for one case are the same rule.

A case and a person are read on different footings. The applicant's side keeps its cases as its history
for good; its reach into a person (their permits, documents, movements, enforcement records) is a mandate
that ends (``people_rule``): while it has a case for them that is not closed, and ``MANDATE_GRACE`` after
the last one closed, and for a unit while the person is on its roster. The applicant always reads
themself. The hall's side keeps its halls' case files as records for good; its reach into a person is
current work (``hall_people``): a case at its halls under the same mandate, an alert of its halls'
district open or closed within the grace, an enforcement record an officer of its halls made, in force or
closed within the grace, or a
lookup by travel document an officer of its halls made within ``LOOKUP_GRANT`` (``compliance.lookups``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from exitentry.accounts.models import Role, User
from exitentry.accounts.policy import hall_ids, is_hall_side
from exitentry.cases import lifecycle
from exitentry.cases.lifecycle import Side
from exitentry.cases.models import Case
from exitentry.law.calendar import beijing_today
from exitentry.law.catalog import catalog
from exitentry.law.model import Procedure
from exitentry.law.text import Text
from exitentry.registry.models import Affiliation
from exitentry.registry.roster import open_on

_NOTHING = Q(pk__in=[])

MANDATE_GRACE = timedelta(days=30)
"""How long a proxy, agency or unit still reads a person after its last case for them closed (collected,
refused, withdrawn, expired as a draft). A project policy, not a rule of the seeds (no source sets how long an errand's
mandate outlives it): 30 days lets the filer see the issued permit collected, read the decision with the
person and help with what follows at once (registering the new address, a new application after a
refusal), and then its access to their current records ends (least privilege). A new case, or a place on
a unit's roster, gives access again; the hall decides at intake whether the filer acts for the person."""
_SIDES = {
    Role.APPLICANT: frozenset({Side.APPLICANT}),
    Role.PROXY: frozenset({Side.APPLICANT}),
    Role.UNIT: frozenset({Side.APPLICANT}),
    Role.OFFICER: frozenset({Side.HALL}),
    Role.SUPERVISOR: frozenset({Side.HALL, Side.SUPERVISOR}),
}


def sides(user: User) -> frozenset[Side]:
    """The sides ``user`` acts on (none for a signed-out or inactive user, an institution, an administrator)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return _SIDES.get(user.role, frozenset())


def _own(user: User) -> Q:
    if user.role == Role.APPLICANT:
        mine = Q(submitted_by_id=user.pk)
        return mine | Q(person_id=user.person_id) if user.person_id else mine
    if user.role == Role.PROXY:
        mine = Q(submitted_by_id=user.pk)
        return mine | Q(unit_id=user.unit_id) if user.unit_id else mine
    return Q(unit_id=user.unit_id)


def _hall(user: User) -> Q:
    return Q(hall_id__in=sorted(hall_ids(user))) & ~Q(state=lifecycle.State.DRAFT)


def case_rule(user: User, action: str) -> Q:
    """The cases on which ``user``'s side may take ``action`` (in some state), as a filter."""
    if not grants(user, action):
        return _NOTHING
    return _hall(user) if is_hall_side(user) else _own(user)


def grants(user: User, action: str) -> bool:
    """Whether ``user`` may take ``action`` on any case at all (to show a page or a button): whether
    the user's side is one the lifecycle table lets take it (``case_rule`` is then never nothing)."""
    if action not in lifecycle.TABLE:
        raise ValueError(f"unknown case action {action!r}")
    return not sides(user).isdisjoint(lifecycle.TABLE[action].sides)


def cases_for(user: User, action: str = "view", queryset: QuerySet | None = None) -> QuerySet:
    qs = Case.objects.all() if queryset is None else queryset
    return qs.filter(case_rule(user, action))


class Denied(PermissionDenied):
    """Not allowed, and why in both languages (``str()`` is the English)."""

    def __init__(self, text: Text):
        self.text = text
        super().__init__(text.en)


class Unseen(Denied):
    """The case is not one the user sees (the API answers 404, as for a case that does not exist)."""


_UNSEEN = Text("No such case among those you may see.", "在您可查看的申请中没有此申请。")


def locked(user: User, case_id: int) -> Case:
    """The case, locked until the transaction ends, if ``user`` sees it (one query); else ``Unseen``.
    Its actions then need only ``check(..., visible=True)``."""
    case = cases_for(user).select_for_update(no_key=True).filter(pk=case_id).first()
    if case is None:
        raise Unseen(_UNSEEN)
    return case


def may(user: User, action: str, case: Case) -> bool:
    """Whether ``user``'s side may take ``action`` on ``case`` (whatever its state)."""
    if not grants(user, action):
        return False
    return cases_for(user, action).filter(pk=case.pk).exists()


def require(user: User, action: str, case: Case, *, visible: bool = False) -> None:
    """Refuse with ``PermissionDenied`` unless ``user`` may take ``action`` on ``case`` (``visible``: as
    in ``allows``, the case came from ``cases_for(user)``, so the side alone decides)."""
    if not (grants(user, action) if visible else may(user, action, case)):
        label = lifecycle.label(action)
        raise Denied(
            Text(
                f"Not allowed to {action.replace('_', ' ')} this case.", f"无权对此申请进行“{label.zh}”操作。"
            )
        )


def allows(user: User, action: str, case: Case, outcome: str | None = None, *, visible: bool = False) -> bool:
    """Whether ``action`` is open to ``user`` on ``case`` now: its state and procedure allow it (the
    lifecycle table) and the user's side may take it (a supervisor's, where the Ministry decides).

    ``visible``: the caller has the case from ``cases_for(user)``; a user sees a case on one footing
    whatever the action, so the side alone decides, without asking the database again."""
    procedure = catalog().procedure(case.procedure_id)
    if not lifecycle.state_allows(procedure, case.state, action, outcome):
        return False
    side = grants if visible else (lambda u, a: may(u, a, case))
    also = lifecycle.ministry_side(procedure, action)
    return side(user, action) and (also is None or side(user, also))


def check(
    user: User,
    action: str,
    case: Case,
    procedure: Procedure,
    outcome: str | None = None,
    *,
    visible: bool = False,
) -> str:
    """The state ``action`` leads ``case`` to, once the side may take it (else ``PermissionDenied``) and
    the state and procedure allow it (else ``IllegalTransition``); ``visible`` as for ``require``."""
    require(user, action, case, visible=visible)
    to = lifecycle.target(procedure, case.state, action, outcome)
    if (also := lifecycle.ministry_side(procedure, action)) is not None:
        require(user, also, case, visible=visible)
    return to


HALL_REACH: dict[str, Callable[[QuerySet, list[str], date], Q]] = {}
"""What else gives the hall's side reach into a person, beside its cases: each app whose records do (by its
label) adds a rule when Django readies it, called with the officers of the user's halls (their ids), the
halls and the day (``compliance.reach``); so this module, below that app, does not import it."""


def mandate(on: date) -> Q:
    """The cases that carry a mandate on ``on``: not closed, or closed (``closed_on``: withdrawn, refused,
    collected, or a draft expired untouched, ``cases.expiry``) within ``MANDATE_GRACE``."""
    return ~Q(state__in=lifecycle.CLOSED_STATES) | Q(closed_on__gte=on - MANDATE_GRACE)


def hall_people(user: User, on: date) -> Q:
    """The registry people an officer or supervisor reads on ``on`` (a project policy, least privilege):
    the people of the cases at their halls under a mandate (``mandate``: not closed, or closed within
    ``MANDATE_GRACE``), and those the apps above give their halls' records reach into (``HALL_REACH``:
    ``compliance.reach``'s alerts, enforcement records and lookups). A case closed long ago stays readable
    as the hall's record (``cases_for``), without the person's records today."""
    from exitentry.accounts.models import HallAssignment

    halls = sorted(hall_ids(user))
    officers = HallAssignment.objects.filter(hall_id__in=halls).values("user_id")
    rule = Q(pk__in=cases_for(user).filter(mandate(on)).values("person_id"))
    for reach in HALL_REACH.values():
        rule |= reach(officers, halls, on)
    return rule


def people_rule(user: User, on: date | None = None) -> Q:
    """The registry people ``user`` may read on ``on`` (default: Beijing's today): the applicant
    themself; for the applicant's side the people of its cases under a mandate (``mandate``) and a unit
    handler's people on the unit's roster that day (``registry.roster``); for the hall's side
    ``hall_people``."""
    if not user.is_authenticated or not user.is_active:
        return _NOTHING
    on = on or beijing_today()
    if is_hall_side(user):
        return hall_people(user, on)
    rule = Q(pk__in=cases_for(user).filter(mandate(on)).values("person_id"))
    if user.role == Role.APPLICANT and user.person_id:
        rule |= Q(pk=user.person_id)
    if user.role == Role.UNIT and user.unit_id:
        roster = Affiliation.objects.filter(open_on(on), unit_id=user.unit_id)
        rule |= Q(pk__in=roster.values("person_id"))
    return rule


def reads_person(user: User, person_id: int, on: date | None = None) -> bool:
    """Whether ``user`` may read the person (``people_rule``), for one person; an applicant's own record
    without asking the database."""
    from exitentry.registry.models import Person

    if sides(user) and user.role == Role.APPLICANT and user.person_id == person_id:
        return True
    return Person.objects.filter(people_rule(user, on), pk=person_id).exists()


def reads_papers(user: User, case: Case, on: date | None = None) -> bool:
    """Whether ``user``, who sees ``case``, also reads its uploaded files and the travel document it was
    received on: the hall's side its halls' case files as records; the applicant's side only the person
    themself or under the mandate over the person (``reads_person``). Past that, its case is a bare record
    of what was filed and what became of it (a project policy, least privilege)."""
    return is_hall_side(user) or reads_person(user, case.person_id, on)


def may_end_permit(user: User, permit) -> bool:
    """Officers and supervisors void or cancel (Arts. 34, 35) the permits of the people they read
    (``hall_people``)."""
    return is_hall_side(user) and reads_person(user, permit.person_id)


_FOR_PEOPLE = (Role.APPLICANT, Role.PROXY, Role.UNIT, Role.OFFICER, Role.SUPERVISOR)


def may_record_documents(user: User, person) -> bool:
    """The applicant for themself, a proxy or unit for the people it applies for, the hall at intake."""
    return user.role in _FOR_PEOPLE and reads_person(user, person.pk)


def may_report_change(user: User, person_id: int) -> bool:
    """Who reports a change of a person's registered particulars (Exit and Entry Administration Law
    Art. 33): the holder, a proxy or unit for the people it reads under a mandate, the hall at the counter
    for the people it reads; never an institution or an administrator."""
    return user.role in _FOR_PEOPLE and reads_person(user, person_id)
