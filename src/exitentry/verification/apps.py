from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "exitentry.verification"
    label = "verification"
    verbose_name = "Verification"
