from django.apps import AppConfig


class AlbumConfig(AppConfig):
    name = "album"
