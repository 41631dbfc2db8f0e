"""System checks: a production server must never accept sandbox logins."""

from django.conf import settings
from django.core.checks import Error, register


@register("security", deploy=False)
def check_wechat_sandbox(app_configs, **kwargs):
    if settings.WECHAT_SANDBOX and not settings.DEBUG:
        return [
            Error(
                "The sandbox WeChat client accepts any login code and may run only in debug mode.",
                hint="Set WECHAT_APP_ID and WECHAT_APP_SECRET (or DJANGO_DEBUG=true to develop).",
                id="wechat.E001",
            )
        ]
    return []
