"""Likes per second on one photo under contention: many users liking and unliking at once.

Through the full stack (`PUT`/`DELETE /photos/{id}/like`), 8 threads with a user each, against
the baseline of the same number of requests made one after another by one thread in the same
process. On the embedded defaults and, when it answers, on PostgreSQL. The final count is
checked against the rows, so a fast wrong answer cannot pass.
"""

import json
import socket
import subprocess
import sys
import threading
import time

from bench.common import client, expect, row, run_child, setup_child

THREADS = 8
REQUESTS = 60  # per thread, alternating like and unlike


def _work(http, photo_id: int, requests: int) -> None:
    url = f"/api/v1/photos/{photo_id}/like"
    for i in range(requests):
        expect(http.put(url) if i % 2 == 0 else http.delete(url))
    http.put(url)  # end liked, so the final count is THREADS


def child() -> list[dict]:
    setup_child()
    from django.db import connection

    from accounts import tokens
    from accounts.models import User
    from album.models import Album, Membership
    from comments.models import Like
    from tests.factories import PhotoFactory

    owner = User.objects.create(username="owner", openid="owner")
    album = Album.objects.create(owner=owner, title="Likes", visibility=Album.Visibility.MEMBERS)
    photo = PhotoFactory(album=album, uploader=owner)
    users = [User.objects.create(username=f"u{i}", openid=f"u{i}") for i in range(THREADS + 1)]
    for user in users:
        Membership.objects.create(album=album, user=user, role=Membership.Role.VIEWER)
    clients = [client(tokens.issue(u.pk)) for u in users]

    started = time.perf_counter()
    _work(clients[-1], photo.pk, THREADS * REQUESTS)
    alone = THREADS * REQUESTS / (time.perf_counter() - started)

    def worker(http):
        try:
            _work(http, photo.pk, REQUESTS)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(c,)) for c in clients[:THREADS]]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    together = THREADS * REQUESTS / (time.perf_counter() - started)

    photo.refresh_from_db()
    rows = Like.objects.filter(photo=photo).count()
    assert photo.like_count == rows == THREADS + 1, (photo.like_count, rows)  # noqa: S101
    label = connection.vendor.replace("sqlite", "SQLite").replace("postgresql", "PostgreSQL")
    return [
        row(
            f"likes/s, {THREADS} users on one photo ({label})",
            together,
            "/s",
            "the same requests from one thread",
            alone,
        )
    ]


def _postgres_up() -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", 5432)) == 0


def run() -> list[dict]:
    # The per-user like throttle (120/min by default) is a product rule, not what is measured.
    unthrottled = {"THROTTLE_LIKE": "100000/min"}
    rows = run_child("bench.likes", unthrottled)
    if _postgres_up():
        pg = ["-h", "127.0.0.1", "-U", "postgres"]
        subprocess.run(["dropdb", *pg, "--if-exists", "wxalbum_bench_likes"], check=True)
        subprocess.run(["createdb", *pg, "wxalbum_bench_likes"], check=True)
        url = "postgres://postgres@127.0.0.1:5432/wxalbum_bench_likes"
        rows += run_child("bench.likes", {**unthrottled, "DATABASE_URL": url})
    return rows


if __name__ == "__main__":
    print(json.dumps(child() if sys.argv[1:2] == ["--child"] else run()))
