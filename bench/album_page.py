"""The album page the mini-program opens most: `GET /albums/{id}/photos`, 20 photos with their
three URLs each, as a member, through the full stack.

Three storages: S3 with presigned URLs (signed locally by botocore, no request to the bucket),
S3 behind a CDN domain (plain URLs), and local files. Reported: the page's time with presigned
URLs against the CDN's, signed afresh (the difference is URL signing, shown as its share of the
request) and with the process's reused signatures (media.storage.url); and the number of
queries with 20 photos in the album against 400 (the goal: the same).
"""

import json
import sys
from functools import partial

from bench.common import client, expect, median_ms, row, run_child, setup_child

ROUNDS = 200

S3 = {
    "S3_BUCKET": "bench-photos",
    "S3_ENDPOINT_URL": "http://127.0.0.1:9",  # never called: presigning is local
    "S3_ACCESS_KEY_ID": "bench",
    "S3_SECRET_ACCESS_KEY": "bench-secret",
    "S3_REGION": "ap-shanghai",
}


def _counting(queries: list, execute, sql, *args):
    queries.append(sql)
    return execute(sql, *args)


def child() -> list[dict]:
    setup_child()
    from django.db import connection

    from accounts import tokens
    from accounts.models import User
    from album import services
    from tests.factories import PhotoFactory

    owner = User.objects.create(username="owner", openid="owner")
    member = User.objects.create(username="member", openid="member")
    album = services.album_create(owner=owner, title="Trip", visibility="members")
    services.member_join(album=album, user=member, role="viewer")
    for n in range(20):
        stem = f"photos/{n:032x}"
        PhotoFactory(album=album, uploader=owner, original=f"{stem}/original.jpg",
                     large=f"{stem}/large.jpg", thumb=f"{stem}/thumb.jpg")  # fmt: skip
    http = client(tokens.issue(member.pk))
    page = f"/api/v1/albums/{album.pk}/photos"
    assert len(expect(http.get(page)).json()["results"]) == 20  # noqa: S101

    def queries() -> int:
        seen = []
        with connection.execute_wrapper(partial(_counting, seen)):
            expect(http.get(page))
        return len(seen)

    with_20 = queries()
    for n in range(20, 400):
        PhotoFactory(album=album, uploader=owner, original=f"p/{n}/o.jpg", large=f"p/{n}/l.jpg",
                     thumb=f"p/{n}/t.jpg")  # fmt: skip
    with_400 = queries()
    from media import storage

    took = median_ms(lambda: expect(http.get(page)), ROUNDS)
    # Every URL signed afresh: the page as the first member to open it sees it.
    cold = median_ms(lambda: (storage._presigned.cache_clear(), expect(http.get(page))), ROUNDS)
    return [{"ms": took, "cold_ms": cold, "queries_20": with_20, "queries_400": with_400}]


def run() -> list[dict]:
    presigned = run_child("bench.album_page", S3)[0]
    cdn = run_child("bench.album_page", {**S3, "STORAGE_CDN_DOMAIN": "cdn.example.com"})[0]
    local = run_child("bench.album_page")[0]
    signing = presigned["cold_ms"] - cdn["ms"]
    return [
        row("album page, 20 photos, S3 presigned URLs, signed afresh", presigned["cold_ms"],
            "ms", "the same on a CDN domain (unsigned)", cdn["ms"]),
        row("album page, 20 photos, S3 presigned URLs, signatures reused", presigned["ms"],
            "ms", "the same on a CDN domain (unsigned)", cdn["ms"]),
        row("album page: URL signing afresh, share of the request", 100 * signing /
            presigned["cold_ms"], "%", "the request (signed afresh), in %", 100.0),
        row("album page, 20 photos, local files", local["ms"], "ms",
            "the same on a CDN domain", cdn["ms"]),
        {**row("album page: queries with 400 photos in the album", presigned["queries_400"],
               "q", "queries with 20 photos", presigned["queries_20"]), "goal_max": 1.0},
    ]  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(child() if sys.argv[1:2] == ["--child"] else run()))
