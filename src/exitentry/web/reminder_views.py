"""The reminders an account was sent (``compliance.reminders``), in the app: the list, and marking them read.

For applicants, proxies and unit handlers (``policy.may_start_case``); each sees only the reminders made
for their own account (a unit handler, the copies for their unit), and another's is not found (404).
Showing the list is a read of personal data (whose duty, which day) and is audited, as is marking read.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from exitentry import clock
from exitentry.accounts import policy
from exitentry.accounts.audit import record
from exitentry.compliance.models import Reminder
from exitentry.compliance.reminders import reported_particulars, said, stage
from exitentry.web import case_pages as pages
from exitentry.web.paging import page_of

account_side = pages.signed_in(policy.may_start_case)


def mine(user) -> Q:
    """The reminders of ``user``'s own account: the one rule of who sees which."""
    return Q(user_id=user.pk)


@require_http_methods(["GET"])
@account_side
def my_reminders(request: HttpRequest) -> HttpResponse:
    reminders = Reminder.objects.filter(mine(request.user)).select_related("person", "unit")
    page = page_of(request, reminders)
    reported = reported_particulars(r.cause_key for r in page)  # one query for the page
    rows = [
        {"reminder": r, "said": said(r, reported), "stage": stage(r), "permit_id": permit_of(r)} for r in page
    ]
    if rows:
        record(
            pages.actor(request),
            "reminder.list",
            "reminder-list",
            f"page {page.number}",
            new={"reminders": [row["reminder"].pk for row in rows]},
        )
    unread = Reminder.objects.filter(mine(request.user), read_at__isnull=True).count()
    return render(request, "web/my_reminders.html", {"page": page, "rows": rows, "unread": unread})


def permit_of(reminder: Reminder) -> int | None:
    """The permit a reminder's duty is on (its cause ``permit:<id>…``, ``compliance.coming_due``), if any:
    its page says what to apply for, and whether anything stands in the way."""
    kind, _, rest = reminder.cause_key.partition(":")
    number = rest.split(":", 1)[0]
    return int(number) if kind == "permit" and number.isdigit() else None


@require_POST
@account_side
def read(request: HttpRequest, reminder_id: int) -> HttpResponse:
    reminder = get_object_or_404(Reminder.objects.filter(mine(request.user)), pk=reminder_id)
    if reminder.read_at is None:
        Reminder.objects.filter(pk=reminder.pk, read_at__isnull=True).update(read_at=clock.now())
        record(pages.actor(request), "reminder.read", "reminder", reminder.pk)
    return redirect("web:my_reminders")


@require_POST
@account_side
def read_all(request: HttpRequest) -> HttpResponse:
    unread = Reminder.objects.filter(mine(request.user), read_at__isnull=True)
    ids = list(unread.values_list("pk", flat=True))
    if ids:
        Reminder.objects.filter(pk__in=ids).update(read_at=clock.now())
        record(pages.actor(request), "reminder.read", "reminder-list", "all", new={"reminders": ids})
    return redirect("web:my_reminders")
