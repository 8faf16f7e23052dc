"""What the administrator sees in the admin is in the audit trail, as on the site's own pages: a list names
the rows on the page (``<type>.list``), a row's page the row (``<type>.read``); a page refused or not
found leaves nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib import admin
from django.test import Client

from case_helpers import sign_in
from exitentry import clock
from exitentry.accounts import api_keys
from exitentry.accounts.admin_columns import AuditedReads
from exitentry.accounts.audit import Actor
from exitentry.accounts.models import AuditEntry, Role
from exitentry.compliance.models import Reminder
from factories import UserFactory, officer
from verification.helpers import code_for, desk, holder

pytestmark = pytest.mark.django_db


def administrator():
    return UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


def api_key():
    return api_keys.issue(
        Actor(desk()), "Teller desk", [api_keys.STATUS_CHECK], clock.now() + timedelta(days=9)
    ).row


def share_code():
    return code_for(holder())[0]


def reminder():
    user = holder()
    return Reminder.objects.create(
        key=f"r-{user.pk}",
        user=user,
        person=user.person,
        kind=Reminder.Kind.AHEAD,
        ground_id="extension",
        cause_key="permit:1",
        source_id="bj-personal-affairs",
        section="Legal Reminders 2",
        created_on=clock.now().date(),
    )


# the admin's list, the object type its entries name, a row of it
PAGES = {
    "API keys": ("/admin/accounts/apikey/", "api_key", api_key),
    "share codes": ("/admin/verification/sharecode/", "share-code", share_code),
    "accounts": ("/admin/accounts/user/", "user", holder),
    "reminders": ("/admin/compliance/reminder/", "reminder", reminder),
}


def test_every_list_and_page_of_the_admin_audits_what_it_shows() -> None:
    """Whoever registers a model (the project or a library: sign-in failures, authenticators) gets it."""
    assert admin.site._registry
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, AuditedReads), model


@pytest.mark.parametrize("page", PAGES)
def test_the_list_names_the_rows_shown_and_a_rows_page_that_row(page) -> None:
    url, kind, make = PAGES[page]
    rows = [make(), make()]
    who = administrator()
    client = sign_in(Client(), who)
    assert client.get(url).status_code == 200
    listed = AuditEntry.objects.get(action=f"{kind}.list")
    assert (listed.actor, listed.role, listed.object_type, listed.object_id) == (
        who,
        Role.ADMINISTRATOR,
        "admin",
        "page 1",
    )
    assert {r.pk for r in rows} <= set(listed.new["ids"]) and listed.ip == "127.0.0.1"
    assert client.get(f"{url}{rows[1].pk}/change/").status_code == 200
    read = AuditEntry.objects.get(action=f"{kind}.read")
    assert (read.actor, read.object_type, read.object_id) == (who, kind, str(rows[1].pk))


def test_a_search_names_only_the_rows_it_found() -> None:
    first, second = share_code(), share_code()
    client = sign_in(Client(), administrator())
    client.get("/admin/verification/sharecode/", {"q": second.created_by.username})
    assert AuditEntry.objects.get(action="share-code.list").new == {"ids": [second.pk]}
    assert first.pk != second.pk


def test_a_library_s_admin_is_audited_too() -> None:
    """django-otp's authenticators: whose device the administrator opened."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    who = administrator()
    device = TOTPDevice.objects.create(user=officer("reception-hall"), name="phone")
    client = sign_in(Client(), who)
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").status_code == 200
    read = AuditEntry.objects.get(action="totpdevice.read")
    assert (read.actor, read.object_id) == (who, str(device.pk))


def test_nothing_shown_leaves_nothing() -> None:
    key = api_key()
    before = AuditEntry.objects.count()
    refused = sign_in(Client(), officer("reception-hall"))
    assert refused.get("/admin/accounts/apikey/").status_code == 302
    assert refused.get(f"/admin/accounts/apikey/{key.pk}/change/").status_code == 302
    client = sign_in(Client(), administrator())
    assert client.get("/admin/accounts/apikey/?q=nobody-has-this").status_code == 200
    assert client.get("/admin/accounts/apikey/999999/change/").status_code == 302  # no such key
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("page", ["history", "delete"])
def test_a_rows_history_and_its_delete_confirmation_are_reads_as_its_page_is(page) -> None:
    """Both show the row (its name, its changes): audited as its change page, naming the page."""
    user = holder()
    who = administrator()
    client = sign_in(Client(), who)
    shown = client.get(f"/admin/accounts/user/{user.pk}/{page}/")
    assert shown.status_code == 200 and user.username in shown.content.decode()
    read = AuditEntry.objects.get(action="user.read")
    assert (read.actor, read.object_type, read.object_id, read.new) == (
        who,
        "user",
        str(user.pk),
        {"page": page},
    )


def test_the_delete_confirmation_of_selected_rows_names_them() -> None:
    users = [holder(), holder()]
    client = sign_in(Client(), administrator())
    chosen = {"action": "delete_selected", "_selected_action": [u.pk for u in users]}
    confirm = client.post("/admin/accounts/user/", chosen)
    assert confirm.status_code == 200 and users[0].username in confirm.content.decode()
    listed = AuditEntry.objects.get(action="user.list")
    assert listed.new == {"ids": sorted(u.pk for u in users), "page": "delete_selected"}


def test_a_history_or_delete_page_of_no_such_row_leaves_nothing() -> None:
    client = sign_in(Client(), administrator())
    before = AuditEntry.objects.count()
    assert client.get("/admin/accounts/user/999999/history/").status_code == 302
    assert client.get("/admin/accounts/user/999999/delete/").status_code == 302
    assert AuditEntry.objects.count() == before
