from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShortlinksConfig(AppConfig):
    name = "shortlinks"
    verbose_name = _("Share links")

    def ready(self):
        from album.signals import album_changed
        from shortlinks.selectors import on_album_changed

        album_changed.connect(on_album_changed, dispatch_uid="shortlinks.forget_album_links")
