from django.core.management.base import BaseCommand

from privacy import services


class Command(BaseCommand):
    help = "Delete the accounts whose requested deletion time has come (cron: hourly)."

    def handle(self, *args, **options):
        deleted = services.accounts_delete_due()
        self.stdout.write(f"{deleted} account(s) deleted")
