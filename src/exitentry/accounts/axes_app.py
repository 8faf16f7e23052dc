"""django-axes (sign-in throttling, ``settings.AXES_*``) under a name the admin shows in the page's
language: axes names its app by its label and ships no Chinese. Its models' and columns' names are
translated in the project's catalogue (``locale/zh_Hans``)."""

from axes.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignInThrottlingConfig(AppConfig):
    verbose_name = _("Sign-in throttling")
