"""The admin as operators in China read it: times in TIME_ZONE (Asia/Shanghai by default,
stored in UTC), and no "View site" link to a site that does not exist."""

from datetime import UTC, datetime

import pytest
from django.db import transaction

from audit.models import LogEntry
from audit.services import log_action

pytestmark = pytest.mark.django_db


def test_times_show_in_china_time_and_are_stored_in_utc(staff_client, owner):
    with transaction.atomic():
        log_action("album.created", actor=owner)
    LogEntry.objects.update(created_at=datetime(2026, 1, 1, 0, 30, tzinfo=UTC))

    page = staff_client.get("/admin/audit/logentry/", HTTP_ACCEPT_LANGUAGE="zh-CN")

    assert page.status_code == 200
    assert "08:30" in page.content.decode()  # 00:30 UTC is 08:30 in Shanghai
    assert LogEntry.objects.get().created_at == datetime(2026, 1, 1, 0, 30, tzinfo=UTC)


def test_the_admin_offers_no_link_to_a_site_that_does_not_exist(staff_client):
    index = staff_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-CN")

    assert index.status_code == 200
    assert "查看站点" not in index.content.decode()
