"""The `<id:...>` path converter for database ids, registered on import (config.urls does).

Django's `<int:...>` takes any number of digits, and an id too large for a 64-bit column makes
the database driver raise (a 500). This one takes 1 to 18 digits, so every id it passes fits,
and anything longer matches no route: a 404 problem document.
"""

from django.urls import register_converter

# The largest id the converter passes (18 digits): for ids in bodies and query strings too.
MAX_ID = 10**18 - 1


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")
