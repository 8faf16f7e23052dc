from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "exitentry.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from exitentry.cases import numbers
        from exitentry.documents import tokens

        tokens.register(*numbers.PRINTED)  # the receipt, notice and decision a token names
