"""Move visit counts from the cache to the database. Schedule it every minute as a backstop."""

from django.core.management.base import BaseCommand

from shortlinks import services


class Command(BaseCommand):
    help = "Flush short-link visit counters from the cache to the database."

    def handle(self, *args, **options):
        moved = services.visits_flush()
        self.stdout.write(f"Flushed {moved} visit(s).")
