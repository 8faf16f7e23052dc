"""The admin holds reference data only: units, accounts with their roles, officers' halls.

Cases, people, permits and the audit trail are not here: personal data is read through the pages and
the API, where the policy decides and every read is audited.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from exitentry.accounts.models import HallAssignment, Unit, User


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "name_zh", "kind", "credit_code")
    list_filter = ("kind",)
    search_fields = ("name", "name_zh", "credit_code")


class HallAssignmentInline(admin.TabularInline):
    model = HallAssignment
    extra = 0


@admin.register(User)
class AccountAdmin(UserAdmin):
    list_display = ("username", "role", "unit", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("Role", {"fields": ("role", "unit", "language")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("Role", {"fields": ("role", "unit")}))
    inlines = (HallAssignmentInline,)
    raw_id_fields = ("unit",)
