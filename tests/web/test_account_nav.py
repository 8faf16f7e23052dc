"""The header's account menu links a signed-in user's own pages exactly when that user may open them."""

from __future__ import annotations

import pytest
from page_world import html

from case_helpers import sign_in
from exitentry.accounts.models import Role
from factories import UnitFactory, UserFactory, applicant, officer
from verification.helpers import desk

pytestmark = pytest.mark.django_db

ROLES = {
    "applicant": lambda: applicant(),
    "proxy": lambda: UserFactory(role=Role.PROXY),
    "unit": lambda: UserFactory(role=Role.UNIT, unit=UnitFactory()),
    "institution": lambda: desk(),
    "officer": lambda: officer(),
    "supervisor": lambda: officer(role=Role.SUPERVISOR),
    "administrator": lambda: UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True),
}
PAGES = {"/en/my/bookings/": "My appointments", "/en/my/reminders/": "Reminders"}


@pytest.mark.parametrize("role", ROLES)
def test_the_menu_links_my_appointments_and_reminders_to_whoever_may_open_them(client, role):
    sign_in(client, ROLES[role]())
    menu = html(client.get("/en/")).split('class="account-nav"')[1].split("</nav>")[0]
    for path, label in PAGES.items():
        opens = client.get(path).status_code == 200
        assert (f'<a href="{path}">{label}</a>' in menu) is opens, (path, role)
    assert (role in ("applicant", "proxy", "unit")) is (client.get("/en/my/bookings/").status_code == 200)


def test_the_chinese_menu_names_them_in_chinese(client):
    sign_in(client, applicant())
    menu = html(client.get("/zh-hans/")).split('class="account-nav"')[1].split("</nav>")[0]
    assert '<a href="/zh-hans/my/bookings/">我的预约</a>' in menu
    assert '<a href="/zh-hans/my/reminders/">提醒</a>' in menu
