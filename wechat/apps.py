from django.apps import AppConfig


class WechatConfig(AppConfig):
    name = "wechat"
    verbose_name = "WeChat"

    def ready(self):
        from wechat import checks  # noqa: F401  (registers the system checks)
