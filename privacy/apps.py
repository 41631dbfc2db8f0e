from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from privacy import services, tasks  # noqa: F401 (tasks: registers the task)
        from wechat.signals import user_authorization_changed

        user_authorization_changed.connect(services.on_authorization_changed,
                                           dispatch_uid="privacy.cancellation")  # fmt: skip
