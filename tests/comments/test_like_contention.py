"""Likes under contention on PostgreSQL and MariaDB (the services suites): counts always match
the rows."""

import threading

import pytest
from django.db import connection

from comments.models import Like


@pytest.mark.django_db(transaction=True)
def test_fifty_threads_like_and_unlike_the_same_photo(photo):
    if connection.vendor == "sqlite":
        pytest.skip("row-level contention is the services suites' job (PostgreSQL, MariaDB)")
    from rest_framework.test import APIClient

    from accounts import tokens
    from tests.factories import UserFactory

    users = UserFactory.create_batch(50)
    from album import services as album_services

    for user in users:
        album_services.member_join(album=photo.album, user=user, role="viewer")
    statuses: list[int] = []
    lock = threading.Lock()

    def fan(user, index):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.issue(user.pk)}")
        for step in range(6):
            method = client.put if (step + index) % 2 == 0 else client.delete
            status = method(f"/api/v1/photos/{photo.id}/like").status_code
            with lock:
                statuses.append(status)
        connection.close()

    threads = [threading.Thread(target=fan, args=(u, i)) for i, u in enumerate(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert set(statuses) == {200}
    photo.refresh_from_db()
    assert photo.like_count == Like.objects.filter(photo=photo).count()
