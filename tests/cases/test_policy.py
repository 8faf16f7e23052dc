"""Who may see and do what: every role against every case action, on its own case and on someone else's."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from case_helpers import hall_receives, submitted
from exitentry.accounts.models import Role
from exitentry.cases import access, lifecycle, services
from factories import PersonFactory, UnitFactory, UserFactory, actor, applicant, officer

pytestmark = pytest.mark.django_db

# Which side takes which action, written here (not read from the table under test). The fee is paid at the hall.
APPLICANT_SIDE = frozenset({"view", "edit", "submit", "upload", "resubmit", "withdraw", "book"})
HALL_SIDE = frozenset(
    {
        "view",
        "view_personal_data",
        "pre_examine",
        "receive",
        "review_materials",
        "record_facts",
        "notify_deficiency",
        "resubmit",
        "accept",
        "refuse_short",
        "verify",
        "forward_to_ministry",
        "decide",
        "issue",
        "mark_ready",
        "collect",
        "pay",
        "exempt_fee",
    }
)
SUPERVISOR_ONLY = frozenset({"decide_for_ministry", "queue_health"})


@pytest.fixture
def world():
    """Two cases at two halls, and a user of every role, each with a relation to the first case or none."""
    unit = UnitFactory()
    agency = UnitFactory(kind="agency")
    owner = applicant()
    handler = UserFactory(role=Role.UNIT, unit=unit)
    agent = UserFactory(role=Role.PROXY, unit=agency)
    mine = submitted(owner, "rp-work")
    theirs = submitted(applicant(), "rp-work")
    theirs.hall_id = "zhongguancun"
    theirs.save()
    staff_case = services.start_case(
        actor(handler), procedure_id="rp-work", person=PersonFactory(), facts=mine.facts, entered=True
    )
    return {
        "cases": {"own": mine, "other": theirs, "unit": staff_case},
        "users": {
            "applicant": owner,
            "stranger": applicant(),
            "unit": handler,
            "other unit": UserFactory(role=Role.UNIT, unit=UnitFactory()),
            "agency": agent,
            "officer": officer(mine.hall_id),
            "supervisor": officer(mine.hall_id, role=Role.SUPERVISOR),
            "officer elsewhere": officer("shunyi"),
            "institution": UserFactory(role=Role.INSTITUTION),
            "administrator": UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True),
        },
    }


# user -> the cases (by name) the user may view
VIEW = {
    "applicant": {"own"},
    "stranger": set(),
    "unit": {"unit"},
    "other unit": set(),
    "agency": set(),
    "officer": {"own"},
    "supervisor": {"own"},
    "officer elsewhere": set(),
    "institution": set(),
    "administrator": set(),
}


@pytest.mark.parametrize("who", sorted(VIEW))
def test_each_role_lists_exactly_the_cases_it_may_see(world, who: str) -> None:
    user = world["users"][who]
    names = {name for name, case in world["cases"].items() if case in access.cases_for(user)}
    assert names == VIEW[who]


@pytest.mark.parametrize("who", sorted(VIEW))
def test_each_role_may_take_each_action_only_where_its_side_allows(world, who: str) -> None:
    user = world["users"][who]
    for action in sorted(lifecycle.TABLE):
        for name, case in world["cases"].items():
            allowed = access.may(user, action, case)
            expected = name in VIEW[who] and (
                (user.role in (Role.APPLICANT, Role.PROXY, Role.UNIT) and action in APPLICANT_SIDE)
                or (user.role in (Role.OFFICER, Role.SUPERVISOR) and action in HALL_SIDE)
                or (user.role == Role.SUPERVISOR and action in SUPERVISOR_ONLY)
            )
            assert allowed == expected, (who, action, name)


def test_every_action_of_the_table_has_its_side_written_here() -> None:
    assert set(lifecycle.TABLE) == APPLICANT_SIDE | HALL_SIDE | SUPERVISOR_ONLY


def test_an_officer_never_sees_a_draft_even_at_their_hall(world) -> None:
    draft = world["cases"]["unit"]
    draft.hall_id = world["cases"]["own"].hall_id
    draft.save()
    assert draft not in access.cases_for(world["users"]["officer"])


def test_an_applicant_cannot_accept_their_own_application(world) -> None:
    with pytest.raises(PermissionDenied):
        hall_receives(actor(world["users"]["applicant"]), world["cases"]["own"])


def test_an_officer_of_another_hall_cannot_touch_the_case(world) -> None:
    with pytest.raises(PermissionDenied):
        hall_receives(actor(world["users"]["officer elsewhere"]), world["cases"]["own"])


def test_an_applicant_applies_only_for_themself(world) -> None:
    with pytest.raises(PermissionDenied, match="for themself"):
        services.start_case(
            actor(world["users"]["stranger"]), procedure_id="rp-work", person=PersonFactory(), facts={}
        )


def test_a_unit_cannot_apply_for_a_person_another_unit_applies_for(world) -> None:
    person = world["cases"]["unit"].person
    with pytest.raises(PermissionDenied, match="not yours"):
        services.start_case(
            actor(world["users"]["other unit"]), procedure_id="rp-work", person=person, facts={}
        )


def test_an_inactive_account_may_do_nothing(world) -> None:
    user = world["users"]["officer"]
    user.is_active = False
    assert not access.cases_for(user).exists()
