"""The apps of django-otp (the second factor's devices) and django-tasks-db (the task queue) under names the
admin shows in the page's language: the libraries name their apps by label or in English ("Otp_Totp",
"Tasks Database Backend") and their models, the devices' fields and the task results' fields in English
only (``DEVICE_FIELDS``, ``TASK_RESULT_FIELDS``). ``INSTALLED_APPS`` lists
these configs instead of the libraries' own; the names are translated in the project's catalogue
(``locale/zh_Hans``). Only what pages show changes: migrations read a model's own ``Meta``
(``Options.original_attrs``) and a field's name as it was declared (``Field._verbose_name``), not these
names. What the devices' admin says beside the fields (help texts, headings) is ``DEVICE_HELP`` and
``DEVICE_HEADINGS``, which ``accounts.admin_columns.LostDevices`` shows: a field's help text is part of
its migration state."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpConfig
from django_tasks_db.apps import TasksAppConfig

# django-otp's device fields as the admin heads them, and what it says under each.
DEVICE_FIELDS = {
    "user": _("user"),
    "name": _("name"),
    "confirmed": _("confirmed"),
    "created_at": _("created at"),
    "last_used_at": _("last used at"),
    "step": _("time step"),
    "t0": _("start time (t0)"),
    "digits": _("digits"),
    "tolerance": _("tolerance"),
    "drift": _("drift"),
    "throttling_failure_timestamp": _("last failed attempt"),
    "throttling_failure_count": _("failed attempts in a row"),
    "key": _("secret key"),
    "last_t": _("last time step used"),
}
# django-tasks-db's task result fields as the admin heads them.
TASK_RESULT_FIELDS = {
    "id": _("ID"),
    "status": _("status"),
    "started_at": _("started at"),
    "finished_at": _("finished at"),
    "args_kwargs": _("arguments"),
    "priority": _("priority"),
    "task_path": _("task"),
    "worker_ids": _("workers"),
    "queue_name": _("queue"),
    "backend_name": _("backend"),
    "run_after": _("run after"),
    "return_value": _("return value"),
    "exception_class_path": _("exception"),
    "traceback": _("traceback"),
}
DEVICE_HELP = {
    "user": _("The account this device belongs to."),
    "name": _("The device's name, as its owner knows it."),
    "confirmed": _("Whether the device is ready for use."),
    "created_at": _("When the device was set up."),
    "last_used_at": _("When the device was last used."),
    "step": _("The time step in seconds."),
    "t0": _("The Unix time from which steps are counted."),
    "digits": _("How many digits a code has."),
    "tolerance": _("How many time steps before or after the current one a code may be from."),
    "drift": _("How many time steps the authenticator's clock is known to be off from the server's."),
    "throttling_failure_timestamp": _("When a code was last wrong; empty if the last code was right."),
    "throttling_failure_count": _("How many codes in a row were wrong."),
}
# The headings of django-otp's device pages (its own words, in English only), by those words.
DEVICE_HEADINGS = {
    "Identity": _("Identity"),
    "Timestamps": _("Times"),
    "Configuration": _("Configuration"),
    "State": _("State"),
    "Throttling": _("Failed attempts"),
}


def named(config, model: str, singular: Promise, plural: Promise) -> None:
    """Give ``model`` of ``config``'s app the names ``singular`` and ``plural``."""
    options = config.get_model(model)._meta
    options.verbose_name, options.verbose_name_plural = singular, plural


def fields_named(config, model: str, names: dict[str, Promise]) -> None:
    """Give the fields of ``model`` of ``config``'s app their ``names`` (by field)."""
    for field in config.get_model(model)._meta.concrete_fields:
        if field.name in names:
            field.verbose_name = names[field.name]


class AuthenticatorsConfig(TotpConfig):
    verbose_name = _("Authenticators")

    def ready(self) -> None:
        super().ready()
        named(self, "TOTPDevice", _("TOTP authenticator"), _("TOTP authenticators"))
        fields_named(self, "TOTPDevice", DEVICE_FIELDS)


class BackupCodesConfig(StaticConfig):
    verbose_name = _("Backup codes")

    def ready(self) -> None:
        super().ready()
        named(self, "StaticDevice", _("backup code set"), _("backup code sets"))
        fields_named(self, "StaticDevice", DEVICE_FIELDS)
        named(self, "StaticToken", _("backup code"), _("Backup codes"))


class TaskQueueConfig(TasksAppConfig):
    verbose_name = _("Task queue")

    def ready(self) -> None:
        super().ready()
        named(self, "DBTaskResult", _("task result"), _("task results"))
        fields_named(self, "DBTaskResult", TASK_RESULT_FIELDS)
