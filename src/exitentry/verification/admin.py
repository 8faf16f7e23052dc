"""The share codes, read-only, for the administrator: whose account made each, for what, its dates and state;
never the code or its digest. The administrator may revoke codes here (``sharecodes.withdraw``, audited);
making them is the holder's alone."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from exitentry import clock
from exitentry.accounts.admin_columns import Revocable, column
from exitentry.verification import sharecodes
from exitentry.verification.models import MAX_WRONG_TRIES, ShareCode


@admin.register(ShareCode)
class ShareCodeAdmin(Revocable):
    audited_as = "share-code"
    list_display = ("ending", "holder", "purpose", "made", "valid_until", "tries", "revoked", "state")
    list_filter = ("purpose",)
    search_fields = ("hint", "created_by__username")
    list_select_related = ("created_by",)
    fields = readonly_fields = list_display
    actions = ("revoke_selected",)
    made = column("created_at", _("Made"))
    valid_until = column("expires_at", _("Valid until"))
    tries = column("wrong_tries", _("Wrong tries"))
    revoked = column("revoked_at", _("Revoked"))

    @admin.display(description=_("Code ending"), ordering="hint")
    def ending(self, code: ShareCode) -> str:
        return f"…{code.hint}"

    @admin.display(description=_("Holder's account"), ordering="created_by__username")
    def holder(self, code: ShareCode) -> str:
        return code.created_by.get_username()

    @admin.display(description=_("State"))
    def state(self, code: ShareCode) -> str:
        state = code.state_at(clock.now())
        return LOCKED % {"tries": MAX_WRONG_TRIES} if state == "locked" else STATES[state]

    @admin.action(description=_("Revoke the selected share codes"))
    def revoke_selected(self, request, queryset) -> None:
        live = list(queryset.filter(revoked_at__isnull=True))
        self.revoke_each(request, live, lambda actor, code: sharecodes.withdraw(actor, code.pk))
        self.message_user(
            request,
            ngettext("%(count)d share code revoked.", "%(count)d share codes revoked.", len(live))
            % {"count": len(live)},
            messages.SUCCESS,
        )


STATES = {
    "active": _("Active"),
    "expired": _("Expired"),
    "revoked": _("Revoked"),
}
LOCKED = _("Locked after %(tries)s wrong tries")
