"""Delete idempotency keys older than 24 hours. Schedule it hourly."""

from django.core.management.base import BaseCommand

from idempotency import services


class Command(BaseCommand):
    help = "Delete idempotency keys older than 24 hours."

    def handle(self, *args, **options):
        deleted = services.keys_prune()
        self.stdout.write(f"Deleted {deleted} idempotency key(s).")
