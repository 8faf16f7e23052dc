from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "exitentry.background"
    label = "background"
    verbose_name = "Background work"
