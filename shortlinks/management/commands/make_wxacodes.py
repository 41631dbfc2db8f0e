"""Make the mini-program code of every live link that has none, in batches, with a progress
line. Safe to interrupt and run again: each code is made once and kept."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from shortlinks import wxacodes
from shortlinks.models import ShortLink
from wechat.client import WeChatUnavailable


class Command(BaseCommand):
    help = "Make missing mini-program codes for live links."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=200, help="Links read at a time.")
        parser.add_argument(
            "--retry-refused", action="store_true",
            help="Ask again for links WeChat refused (after publishing the page, say).",
        )  # fmt: skip

    def handle(self, *args, batch: int, retry_refused: bool, **options):
        missing = ShortLink.objects.filter(wxacode_key="", revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        )
        if retry_refused:
            for link in missing.exclude(wxacode_error=""):
                with transaction.atomic():
                    wxacodes.wxacode_forget_refusal(link=link, actor=None)
        missing = missing.filter(wxacode_error="")
        total, made, refused, after = missing.count(), 0, 0, 0
        while True:
            ids = list(
                missing.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:batch]
            )
            if not ids:
                break
            for link_id in ids:
                link = self._make(link_id)
                if link is not None and link.wxacode_key:
                    made += 1
                elif link is not None and link.wxacode_error:
                    refused += 1
                after = link_id
            self.stdout.write(f"\r{made + refused}/{total} done ({made} made, {refused} refused)",
                              ending="")  # fmt: skip
            self.stdout.flush()
        self.stdout.write(f"\nMade {made} mini-program code(s); WeChat refused {refused}.")

    def _make(self, link_id: int):
        for _ in range(10):
            try:
                return wxacodes.wxacode_make(link_id=link_id)
            except WeChatUnavailable as exc:
                # Busy or over this minute's allowance: wait as long as asked, then go on.
                time.sleep(getattr(exc, "retry_after", None) or 5)
        self.stderr.write(f"\nWeChat did not make the code of link {link_id}; run again later.")
        return None
