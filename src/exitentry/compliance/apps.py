from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "exitentry.compliance"
    label = "compliance"
    verbose_name = "Compliance"
