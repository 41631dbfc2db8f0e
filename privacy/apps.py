from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Privacy"

    def ready(self):
        from privacy import services, tasks  # noqa: F401 (tasks: registers the task)
        from wechat.signals import user_authorization_changed

        user_authorization_changed.connect(services.on_authorization_changed,
                                           dispatch_uid="privacy.cancellation")  # fmt: skip
