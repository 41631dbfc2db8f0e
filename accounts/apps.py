from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from accounts import avatars, services, tasks  # noqa: F401 (tasks: registers the task)
        from wechat.signals import media_check_verdict, user_authorization_changed

        user_authorization_changed.connect(services.on_authorization_changed,
                                           dispatch_uid="accounts.authorization")  # fmt: skip
        # WeChat's media check verdicts on avatars (album's receiver takes photos').
        media_check_verdict.connect(avatars.on_media_check_verdict,
                                    dispatch_uid="accounts.avatars")  # fmt: skip
