"""The admin holds reference data only: units, accounts with their roles, officers' halls; and the API
keys, read-only, which the administrator may revoke.

Cases, people, permits and the audit trail are not here: personal data is read through the pages and
the API, where the policy decides and every read is audited. What the admin shows of its own rows is
audited too (``admin_columns.AuditedReads``, which the site gives every model).
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from exitentry import clock
from exitentry.accounts import api_keys
from exitentry.accounts.admin_columns import NamedPermissions, Revocable, column
from exitentry.accounts.models import ApiKey, HallAssignment, Unit, User


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "name_zh", "kind", "credit_code")
    list_filter = ("kind",)
    search_fields = ("name", "name_zh", "credit_code")


class HallAssignmentInline(admin.TabularInline):
    model = HallAssignment
    extra = 0


class AccountForm(UserChangeForm):
    """Django's account form, the password's summary (algorithm, salt, …) with the colon of the page's
    language after each label (Django's template writes a half-width one)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password" in self.fields:
            self.fields["password"].widget.template_name = "accounts/password_summary.html"


@admin.register(User)
class AccountAdmin(NamedPermissions, UserAdmin):
    form = AccountForm
    list_display = ("username", "role", "unit", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = (*UserAdmin.fieldsets, (_("Role"), {"fields": ("role", "unit", "language")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, (_("Role"), {"fields": ("role", "unit")}))
    inlines = (HallAssignmentInline,)
    raw_id_fields = ("unit",)


admin.site.unregister(Group)


@admin.register(Group)
class NamedGroupAdmin(NamedPermissions, GroupAdmin):
    """Django's groups, their permissions named in the page's language."""


class KeyState(admin.SimpleListFilter):
    title = _("State of the key")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", _("Active")), ("expired", _("Expired")), ("revoked", _("Revoked"))]

    def queryset(self, request, queryset):
        now = clock.now()
        return {
            "active": queryset.filter(revoked_at__isnull=True, expires_at__gt=now),
            "expired": queryset.filter(revoked_at__isnull=True, expires_at__lte=now),
            "revoked": queryset.filter(revoked_at__isnull=False),
        }.get(self.value(), queryset)


class KeyScope(admin.SimpleListFilter):
    title = _("Scopes")
    parameter_name = "scope"

    def lookups(self, request, model_admin):
        return [(code, scope.name) for code, scope in api_keys.SCOPES.items()]

    def queryset(self, request, queryset):
        if self.value() not in api_keys.SCOPES:
            return queryset
        return queryset.filter(scopes__icontains=f'"{self.value()}"')  # a JSON list's text, on every database


@admin.register(ApiKey)
class ApiKeyAdmin(Revocable):
    """The API keys of every unit and institution, read-only: who made each, what it may do, its dates and
    state; never its digest. Keys are made by their owners on ``/account/api-keys/``; the administrator may
    revoke them here, through ``api_keys.revoke`` (audited)."""

    list_display = (
        "name",
        "owner",
        "unit_name",
        "key_prefix",
        "scope_list",
        "made",
        "expires",
        "last_used",
        "revoked",
    )
    audited_as = "api_key"
    list_filter = (KeyState, KeyScope)
    search_fields = ("prefix", "name", "created_by__username", "unit__name", "unit__name_zh")
    list_select_related = ("created_by", "unit")
    fields = readonly_fields = list_display
    actions = ("revoke_selected",)

    @admin.display(description=_("Owner"), ordering="created_by__username")
    def owner(self, key: ApiKey) -> str:
        return key.created_by.get_username()

    @admin.display(description=_("Key prefix"), ordering="prefix")
    def key_prefix(self, key: ApiKey) -> str:
        return f"{key.prefix}_…"

    @admin.display(description=_("Scopes"))
    def scope_list(self, key: ApiKey) -> str:
        """The scopes by their names (a code no longer defined, as it is)."""
        return ", ".join(str(api_keys.SCOPES[s].name) if s in api_keys.SCOPES else s for s in key.scopes)

    unit_name = column("unit", _("Unit"))
    made = column("created_at", _("Made"))
    expires = column("expires_at", _("Stops working"))
    last_used = column("last_used_at", _("Last used"))
    revoked = column("revoked_at", _("Revoked"))

    @admin.action(description=_("Revoke the selected keys"))
    def revoke_selected(self, request, queryset) -> None:
        live = list(queryset.filter(revoked_at__isnull=True))
        self.revoke_each(request, live, api_keys.revoke)
        self.message_user(
            request,
            ngettext("%(count)d key revoked.", "%(count)d keys revoked.", len(live)) % {"count": len(live)},
            messages.SUCCESS,
        )
