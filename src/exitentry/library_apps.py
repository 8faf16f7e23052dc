"""The apps of django-otp (the second factor's devices) and django-tasks-db (the task queue) under names the
admin shows in the page's language: the libraries name their apps by label or in English ("Otp_Totp",
"Tasks Database Backend") and their models in English only. ``INSTALLED_APPS`` lists these configs instead
of the libraries' own; the names are translated in the project's catalogue (``locale/zh_Hans``). Only what
pages show changes: migrations read a model's own ``Meta`` (``Options.original_attrs``), not these names."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpConfig
from django_tasks_db.apps import TasksAppConfig


def named(config, model: str, singular: Promise, plural: Promise) -> None:
    """Give ``model`` of ``config``'s app the names ``singular`` and ``plural``."""
    options = config.get_model(model)._meta
    options.verbose_name, options.verbose_name_plural = singular, plural


class AuthenticatorsConfig(TotpConfig):
    verbose_name = _("Authenticators")

    def ready(self) -> None:
        super().ready()
        named(self, "TOTPDevice", _("TOTP authenticator"), _("TOTP authenticators"))


class BackupCodesConfig(StaticConfig):
    verbose_name = _("Backup codes")

    def ready(self) -> None:
        super().ready()
        named(self, "StaticDevice", _("backup code set"), _("backup code sets"))
        named(self, "StaticToken", _("backup code"), _("Backup codes"))


class TaskQueueConfig(TasksAppConfig):
    verbose_name = _("Task queue")

    def ready(self) -> None:
        super().ready()
        named(self, "DBTaskResult", _("task result"), _("task results"))
