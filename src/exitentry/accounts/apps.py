from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "exitentry.accounts"
    label = "accounts"
    verbose_name = _("Accounts and audit")

    def ready(self) -> None:
        from exitentry.accounts import (
            invitations,
            language,  # noqa: F401 - connects the sign-in receiver
            registration,
        )
        from exitentry.messaging.tasks import COMPLETIONS

        # every message of an invitation, whichever task sends it (a ``deliver`` queued long ago too)
        COMPLETIONS[invitations.EVENT] = invitations.complete
        COMPLETIONS[registration.EVENT] = registration.complete
        post_migrate.connect(_cache_table, sender=self)


def _cache_table(using: str, **kwargs) -> None:
    """Every ``migrate`` makes the database cache's table where the settings use one (production's shared
    throttling counters, ``settings.CACHES``); nothing when it exists or the cache is elsewhere."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
