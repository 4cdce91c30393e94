from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Пользователи"

    def ready(self) -> None:
        from accounts import personal_data  # noqa: F401  (declares what the app holds)
