from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tidings.accounts"
    label = "accounts"

    def ready(self) -> None:
        from tidings.accounts import sessions, two_factor_guard  # noqa: F401  (connect their sign-in receivers)
