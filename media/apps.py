from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    """Object storage and the image pipeline, shared by photos, avatars, mini-program codes
    and exports. No models: what an object is for is the business of the app that stores it."""

    name = "media"
    verbose_name = _("Media")

    def ready(self):
        from media import tasks  # noqa: F401 (registers the object deletion task)
