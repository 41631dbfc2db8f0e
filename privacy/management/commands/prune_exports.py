from django.core.management.base import BaseCommand

from privacy import services


class Command(BaseCommand):
    help = "Delete data exports older than seven days, with their zips (cron: daily)."

    def handle(self, *args, **options):
        self.stdout.write(f"{services.exports_prune()} export(s) deleted")
