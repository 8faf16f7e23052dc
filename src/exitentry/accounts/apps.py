from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "exitentry.accounts"
    label = "accounts"
    verbose_name = _("Accounts and audit")

    def ready(self) -> None:
        from exitentry.accounts import (
            invitations,
            language,  # noqa: F401 - connects the sign-in receiver
        )
        from exitentry.messaging.tasks import COMPLETIONS

        # every message of an invitation, whichever task sends it (a ``deliver`` queued long ago too)
        COMPLETIONS[invitations.EVENT] = invitations.complete
