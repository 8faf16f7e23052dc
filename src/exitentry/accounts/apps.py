from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "exitentry.accounts"
    label = "accounts"
    verbose_name = "Accounts and audit"
