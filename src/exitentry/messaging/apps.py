from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "exitentry.messaging"
    label = "messaging"
    verbose_name = "Messages"
