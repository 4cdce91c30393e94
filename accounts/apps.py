from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Пользователи"

    def ready(self) -> None:
        from accounts.signed_in import session_record_login

        # Every login path (the two-step sign-in, tests' force_login) records its session.
        user_logged_in.connect(
            lambda sender, request, user, **kwargs: session_record_login(request, user),
            dispatch_uid="accounts_signed_in_session",
            weak=False,
        )
        from accounts import personal_data  # noqa: F401  (declares what the app holds)
