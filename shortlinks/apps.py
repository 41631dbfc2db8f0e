from django.apps import AppConfig


class ShortlinksConfig(AppConfig):
    name = "shortlinks"

    def ready(self):
        from album.signals import album_changed
        from shortlinks.selectors import on_album_changed

        album_changed.connect(on_album_changed, dispatch_uid="shortlinks.forget_album_links")
