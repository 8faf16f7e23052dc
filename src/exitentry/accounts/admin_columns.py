"""Pieces of the admin's screens: ``AuditedReads``, which puts what a list or a row's page shows in the audit
trail (the site gives it to every model registered, ``otp_site``); a column for a model field under a
translated heading (the key and code models' fields have no verbose names, and the admin reads in both
languages); ``NamedPermissions``, the permissions chosen on an account or a group named in the page's
language; ``Revocable``, read-only rows (``read_only_admin.ReadOnly``) that an action revokes through
their service; and ``LostDevices``, the second factor's devices, which may only be deleted."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import display_for_value
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from exitentry.accounts.audit import Actor, record
from exitentry.library_apps import DEVICE_HEADINGS, DEVICE_HELP
from exitentry.read_only_admin import ReadOnly

# Django's permissions of a model, which it names in English ("Can add <the model's name>").
ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}
# Django's history says "Changed Revoked." (its words and the column's heading, translated when shown).
REVOKED = [{"changed": {"fields": [gettext_noop("Revoked")]}}]


class AuditedReads(admin.ModelAdmin):
    """Who saw what, as the site's own pages record it: a list page names the rows on it (``<type>.list``
    on ``admin``, ``page <n>``), a row's page that row (``<type>.read``), and so do the pages that show a
    row as well: its history and its delete confirmation (``<type>.read`` with ``{"page": ...}``), and the
    confirmation of an action on the rows chosen on a list, such as deleting them (``<type>.list`` with
    ``{"page": "delete_selected"}``). The
    type is the admin's ``audited_as`` when it has one (the object type the services' own entries give the
    model), else the model's name. A page refused, not found or showing no row records nothing."""

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = _context(response)
        listing = context.get("cl")
        if listing is not None:
            ids = [row.pk for row in listing.result_list]  # reused by the page
            if ids:
                page = f"page {listing.page_num}"
                record(Actor.of(request), f"{self._type()}.list", "admin", page, new={"ids": ids})
        elif context.get("queryset") is not None:  # an action's confirmation, naming the rows chosen
            action = request.POST.get("action", "")
            new = {"ids": sorted(row.pk for row in context["queryset"]), "page": action}
            record(Actor.of(request), f"{self._type()}.list", "admin", action, new=new)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        shown = _context(response).get("original")
        if shown is not None:  # the row's page was shown (a change that went through redirects instead)
            record(Actor.of(request), f"{self._type()}.read", self._type(), shown.pk)
        return response

    def history_view(self, request, object_id, extra_context=None):
        return self._read(request, super().history_view(request, object_id, extra_context), "history")

    def delete_view(self, request, object_id, extra_context=None):
        return self._read(request, super().delete_view(request, object_id, extra_context), "delete")

    def _read(self, request, response, page: str):
        shown = _context(response).get("object")
        if shown is not None:  # shown, not deleted (a redirect) or not found
            record(Actor.of(request), f"{self._type()}.read", self._type(), shown.pk, new={"page": page})
        return response

    def _type(self) -> str:
        return getattr(self, "audited_as", "") or self.model._meta.model_name


def _context(response) -> dict:
    return getattr(response, "context_data", None) or {}


def column(field: str, heading):
    """A ``ModelAdmin`` method showing ``field`` under ``heading``, sorted by the field; a time in the
    site's time zone and an empty value as the admin shows them, in the list and on the view page alike."""

    @admin.display(description=heading, ordering=field)
    def show(self, obj):
        return display_for_value(getattr(obj, field), self.get_empty_value_display())

    return show


def permission_name(permission: Permission) -> str:
    """``permission`` as Django lists it (app | model | what it allows), in the page's language: one of
    Django's own four per model by its action, any other by its stored name."""
    model = permission.content_type.model_class()
    action = permission.codename.partition("_")[0]
    if model is None or action not in ACTIONS or permission.codename != f"{action}_{model._meta.model_name}":
        return str(permission)
    named = model._meta.verbose_name
    return f"{permission.content_type} | {ACTIONS[action] % {'model': named}}"


class NamedPermissions(admin.ModelAdmin):
    """A model admin whose permissions field names each permission in the page's language."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.related_model is Permission:
            field.label_from_instance = permission_name
        return field


class Revocable(ReadOnly):
    """Rows only the project's services write (audited there): the admin looks, and revokes through an
    action (``revoke_each``)."""

    def revoke_each(self, request, rows, revoke) -> None:
        """Revoke each of ``rows`` through its service (``revoke(actor, row)``, which audits it), and put it
        in Django's history of the row (``log_change``) in the same transaction."""
        actor = Actor.of(request)
        for row in rows:
            with transaction.atomic():
                revoke(actor, row)
                self.log_change(request, row, REVOKED)


class LostDevices(admin.ModelAdmin):
    """django-otp's devices (an authenticator, a set of backup codes), which the site gives this admin
    (``otp_site``): the admin looks, the secrets hidden (``OTP_ADMIN_HIDE_SENSITIVE_DATA``), and may only
    delete one, to reset a lost authenticator: its owner enrols a new one at the next sign-in
    (``second_factor``). Each deletion is audited (``<type>.delete``: whose device, its name) with it."""

    search_help_text = _("Search by the owner's username or email address.")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_fieldsets(self, request, obj=None):
        """django-otp's headings, in the page's language (``library_apps.DEVICE_HEADINGS``)."""
        fieldsets = super().get_fieldsets(request, obj)
        return [(DEVICE_HEADINGS.get(name, name) if name else name, options) for name, options in fieldsets]

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The form, its fields explained in the page's language (``library_apps.DEVICE_HELP``)."""
        return super().get_form(request, obj, change, help_texts=DEVICE_HELP, **kwargs)

    def delete_model(self, request, obj) -> None:
        with transaction.atomic():
            self._audit_deletion(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            for device in queryset.select_related("user"):
                self._audit_deletion(request, device)
            super().delete_queryset(request, queryset)

    def _audit_deletion(self, request, device) -> None:
        kind = self.model._meta.model_name
        old = {"user": device.user.get_username(), "name": device.name}
        record(Actor.of(request), f"{kind}.delete", kind, device.pk, old=old)
