from django.apps import AppConfig


class BillsConfig(AppConfig):
    name = "bills"
    verbose_name = "Начисления и платежи"

    def ready(self) -> None:
        from billing.panels import register_account_panel
        from bills import checks  # noqa: F401 — registers the payee requisites checks
        from bills.panels import balance_panel

        register_account_panel(balance_panel)
        from bills import personal_data  # noqa: F401  (declares what the app holds)
