"""Delete activity log entries past their retention (ACTIVITY_LOG_RETENTION_DAYS). Run daily."""

from django.conf import settings
from django.core.management.base import BaseCommand

from audit import services


class Command(BaseCommand):
    help = "Delete activity log entries older than the retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep this many days (default: ACTIVITY_LOG_RETENTION_DAYS, 180).",
        )

    def handle(self, *args, days, **options):
        days = days if days is not None else settings.ACTIVITY_LOG_RETENTION_DAYS
        deleted = services.log_prune(older_than_days=days)
        self.stdout.write(
            f"Deleted {deleted} log entr{'y' if deleted == 1 else 'ies'} older than {days} days."
        )
