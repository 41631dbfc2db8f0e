"""Remove direct uploads that were never completed, with their raw objects. Schedule it hourly."""

from django.core.management.base import BaseCommand

from album import services


class Command(BaseCommand):
    help = "Remove lapsed direct uploads and their raw objects."

    def handle(self, *args, **options):
        removed = services.uploads_cleanup()
        self.stdout.write(f"Removed {removed} lapsed upload(s).")
