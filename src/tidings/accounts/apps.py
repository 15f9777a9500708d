from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tidings.accounts"
    label = "accounts"

    def ready(self) -> None:
        from tidings.accounts import sessions  # noqa: F401  (connects the sign-in and sign-out receivers)
