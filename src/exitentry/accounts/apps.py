from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "exitentry.accounts"
    label = "accounts"
    verbose_name = "Accounts and audit"

    def ready(self) -> None:
        from exitentry.accounts import language  # noqa: F401 - connects the sign-in receiver
