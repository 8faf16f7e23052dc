from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "exitentry.cases"
    label = "cases"
    verbose_name = "Cases"
