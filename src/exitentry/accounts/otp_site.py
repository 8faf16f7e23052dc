"""The admin site: django-otp's, under Django's usual name (see ``admin_site``), auditing what it shows."""

from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite
from django_otp.models import Device

from exitentry.accounts.admin_columns import AuditedReads, LostDevices


class SecondFactorAdminSite(OTPAdminSite):
    """``OTPAdminSite`` named ``admin``, so ``admin:index`` and the other admin URLs keep their names.

    Every model registered on it, by the project or by a library (sign-in failures, authenticators), gets
    its admin with ``AuditedReads`` first: no list or row's page of the admin is left out of the trail; a
    second factor's device (django-otp's) with ``LostDevices`` too: it may only be deleted, and that is
    audited."""

    # the service's name, in both languages as every page of the site gives it (``web/base.html``); the
    # rest of the admin speaks the chosen language (Django's own catalogue, then the project's)
    site_header = site_title = "北京出入境外国人服务 · Beijing Exit-Entry Foreigner Services"
    index_title = _("Administration")

    def __init__(self, name: str = "admin"):
        super().__init__(name)

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or AuditedReads
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        devices = all(issubclass(model, Device) for model in models)
        wanted = (AuditedReads, LostDevices) if devices else (AuditedReads,)
        missing = tuple(base for base in wanted if not issubclass(admin_class, base))
        if missing:
            name = admin_class.__name__
            admin_class = type(name, (*missing, admin_class), {"__module__": admin_class.__module__})
        super().register(model_or_iterable, admin_class, **options)
