from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lens.accounts"
    label = "accounts"
    verbose_name = "Accounts"
