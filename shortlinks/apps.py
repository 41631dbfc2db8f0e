from django.apps import AppConfig


class ShortlinksConfig(AppConfig):
    name = "shortlinks"
