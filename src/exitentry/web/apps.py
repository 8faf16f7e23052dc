from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "exitentry.web"
    label = "web"
    verbose_name = "exitentry web"
