"""What an account is, as the pages and the API ask it: which side of the counter it is on, and which halls
an officer serves. Which cases it may see and act on is a rule of ``cases`` (``cases.access``)."""

from __future__ import annotations

from exitentry.accounts.models import HallAssignment, Role, User
from exitentry.compiled import KeyedQuery
from exitentry.law.rules.unit_reports import RELATION_OF_UNIT_KIND

_HALLS = KeyedQuery(lambda user: HallAssignment.objects.filter(user_id=user))


def hall_ids(user: User) -> frozenset[str]:
    """The halls an officer or supervisor serves (read once per user object)."""
    cached = getattr(user, "_hall_ids", None)
    if cached is None:
        cached = frozenset(h.hall_id for h in _HALLS(user.pk)) if user.pk else frozenset()
        user._hall_ids = cached
    return cached


def is_hall_side(user: User) -> bool:
    return user.is_active and user.role in (Role.OFFICER, Role.SUPERVISOR)


def keeps_hall_days(user: User) -> bool:
    """A supervisor changes the opening days of the halls they serve (``appointments.services.add_override``)."""
    return user.is_authenticated and user.is_active and user.role == Role.SUPERVISOR and bool(hall_ids(user))


def may_start_case(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role in (Role.APPLICANT, Role.PROXY, Role.UNIT)


def is_applicant(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.APPLICANT


def needs_own_record(user: User) -> bool:
    """An applicant whose account has no registry record yet (signed up themself): they enter it first."""
    return is_applicant(user) and user.person_id is None


def is_unit_handler(user: User) -> bool:
    """A handler of an employer, school, inviting entity or agency: the unit's portal is theirs."""
    return user.is_authenticated and user.is_active and user.role == Role.UNIT and user.unit_id is not None


def is_unit_admin(user: User) -> bool:
    """A unit handler who adds and removes the unit's other handlers and makes its API keys."""
    return is_unit_handler(user) and user.is_unit_admin


def files_unit_reports(user: User) -> bool:
    """A handler of an employer or a school: whom Regulations Art. 26 obliges to report."""
    return is_unit_handler(user) and user.unit.kind in RELATION_OF_UNIT_KIND


def is_institution(user: User) -> bool:
    """A bank's, hospital's, school's or telecom's verification desk (Art. 27): it sees no case."""
    return user.is_authenticated and user.is_active and user.role == Role.INSTITUTION


def keeps_api_keys(user: User) -> bool:
    """Unit administrators and the accounts of an institution (a unit: its bank, hospital, ...) make API
    keys for their systems (``accounts.api_keys``)."""
    return is_unit_admin(user) or (is_institution(user) and user.unit_id is not None)


def is_administrator(user: User) -> bool:
    """The administrator works in Django's admin (``is_staff``), not on the case pages."""
    return user.is_authenticated and user.is_active and user.is_staff


HALL_SIDE_ROLES = (Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR)


def needs_second_factor(user: User) -> bool:
    """Officers, supervisors and administrators (and any staff account) sign in with a second factor."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.role in HALL_SIDE_ROLES or user.is_staff or user.is_superuser)
    )


def second_factor_pending(user: User) -> bool:
    """Signed in with the password but not yet with the second factor (``django_otp``'s OTPMiddleware
    says whether the session was verified; without it, nobody is)."""
    if not needs_second_factor(user):
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified is not None and is_verified())
