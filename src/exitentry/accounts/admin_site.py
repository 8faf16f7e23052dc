"""Django's admin on django-otp's admin site, which lets in only a session verified with the second factor.

Its own sign-in page is not used: ``/admin/login/`` sends to the site's sign-in (``urls.py``), which asks
for the password and then the second factor like every hall-side sign-in. (The site class is in
``otp_site``: this module is imported before the models are ready.)
"""

from django.contrib.admin.apps import AdminConfig


class SecondFactorAdminConfig(AdminConfig):
    default_site = "exitentry.accounts.otp_site.SecondFactorAdminSite"
