from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "exitentry.compliance"
    label = "compliance"
    verbose_name = _("Compliance")

    def ready(self) -> None:
        from exitentry.cases import access
        from exitentry.compliance import change_reports, reach, unit_reports
        from exitentry.documents import tokens

        tokens.register(("unit-report", unit_reports.PRINTED), ("change-report", change_reports.PRINTED))
        access.HALL_REACH[self.label] = reach.hall_reach
