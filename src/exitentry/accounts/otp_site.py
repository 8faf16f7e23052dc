"""The admin site: django-otp's, under Django's usual name (see ``admin_site``)."""

from django_otp.admin import OTPAdminSite


class SecondFactorAdminSite(OTPAdminSite):
    """``OTPAdminSite`` named ``admin``, so ``admin:index`` and the other admin URLs keep their names."""

    def __init__(self, name: str = "admin"):
        super().__init__(name)
