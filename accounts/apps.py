from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from accounts import services
        from wechat.signals import user_authorization_changed

        user_authorization_changed.connect(services.on_authorization_changed,
                                           dispatch_uid="accounts.authorization")  # fmt: skip
