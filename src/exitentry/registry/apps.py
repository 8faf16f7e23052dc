from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "exitentry.registry"
    label = "registry"
    verbose_name = "Registry"
