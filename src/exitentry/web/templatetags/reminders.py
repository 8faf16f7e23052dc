"""The "Reminders" panel of the home page ``/my/``: how many of the account's reminders are unread, and the
link to them. It names no one (the list page does, and audits it)."""

from __future__ import annotations

from django import template

from exitentry.accounts import policy
from exitentry.compliance.models import Reminder

register = template.Library()


@register.inclusion_tag("web/_reminders_panel.html", takes_context=True)
def reminders_panel(context: template.Context) -> dict[str, object]:
    user = context.get("user")
    if user is None or not policy.may_start_case(user):
        return {"shown": False}
    return {"shown": True, "unread": Reminder.objects.filter(user_id=user.pk, read_at__isnull=True).count()}
