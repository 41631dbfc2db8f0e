from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Comments and likes")

    def ready(self):
        from album.signals import photos_moved
        from comments.services import on_photos_moved

        photos_moved.connect(on_photos_moved, dispatch_uid="comments.follow_moved_photos")
