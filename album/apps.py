from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlbumConfig(AppConfig):
    name = "album"
    verbose_name = _("Albums and photos")

    def ready(self):
        from album import reviews, services, tasks  # noqa: F401 (tasks: registers the tasks)
        from wechat.signals import media_check_verdict, user_authorization_changed

        # WeChat's media check verdicts, from the message push, settle photos' reviews.
        media_check_verdict.connect(reviews.on_media_check_verdict, dispatch_uid="album.reviews")
        user_authorization_changed.connect(services.on_authorization_changed,
                                           dispatch_uid="album.authorization")  # fmt: skip
