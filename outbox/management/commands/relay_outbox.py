"""Publish (or, without a broker, run) the background tasks that are due. Every worker does
this by itself each OUTBOX_RELAY_INTERVAL seconds; the command is for cron or by hand."""

from django.core.management.base import BaseCommand

from outbox import services


class Command(BaseCommand):
    help = "Publish background tasks that are due to the broker (run them, without one)."

    def handle(self, *args, **options):
        count = services.relay()
        pruned = services.prune()
        self.stdout.write(f"Published {count} task(s); pruned {pruned} done task(s).")
