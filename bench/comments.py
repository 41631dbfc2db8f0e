"""The comment list on a photo with 100,000 comments: first page and deep in the cursor.

Runs through the full stack as a logged-in member (authors, like counts and `liked_by_me` on
every comment), on the embedded defaults. Baseline, in the same process: a plain Django view
(`/healthz`). Queries per request are counted too.
"""

import json
import sys
from datetime import timedelta
from functools import partial

from bench.common import client, expect, median_ms, row, run_child, setup_child

COMMENTS = 100_000
AUTHORS = 200
ROUNDS = 100


def _seed():
    from django.utils import timezone

    from accounts.models import User
    from album.models import Album, Membership
    from comments.models import Comment, Like
    from tests.factories import PhotoFactory

    owner = User.objects.create(username="owner", openid="owner")
    album = Album.objects.create(owner=owner, title="Viral", visibility=Album.Visibility.MEMBERS)
    Membership.objects.create(album=album, user=owner, role=Membership.Role.OWNER)
    photo = PhotoFactory(album=album, uploader=owner)
    authors = User.objects.bulk_create(
        User(username=f"a{i}", openid=f"a{i}", nickname=f"Author {i}") for i in range(AUTHORS)
    )
    Membership.objects.bulk_create(
        Membership(album=album, user=a, role=Membership.Role.VIEWER) for a in authors
    )
    # Distinct times, one second apart, as a real thread has; auto_now_add would give them all
    # (nearly) the same instant.
    Comment._meta.get_field("created_at").auto_now_add = False
    start = timezone.now() - timedelta(seconds=COMMENTS)
    Comment.objects.bulk_create(
        (
            Comment(
                album=album, photo=photo, author=authors[i % AUTHORS], body=f"Comment {i} " * 8,
                created_at=start + timedelta(seconds=i), like_count=i % 7,
            )
            for i in range(COMMENTS)
        ),
        batch_size=5000,
    )  # fmt: skip
    # The viewer liked every tenth comment, so `liked_by_me` has work to do.
    viewer = authors[0]
    ids = Comment.objects.filter(photo=photo).values_list("id", flat=True)[::10]
    Like.objects.bulk_create((Like(user=viewer, comment_id=pk) for pk in ids), batch_size=5000)
    return photo, viewer


def _counting(queries: list, execute, sql, *args):
    queries.append(sql)
    return execute(sql, *args)


def child() -> list[dict]:
    setup_child()
    from django.db import connection

    from accounts import tokens

    photo, viewer = _seed()
    http = client(tokens.issue(viewer.pk))
    first = f"/api/v1/photos/{photo.pk}/comments"

    # Walk to half way with big pages, then keep that page's cursor for the deep requests.
    url = first
    for _ in range(COMMENTS // 2 // 100):
        url = expect(http.get(url, {"page_size": 100})).json()["next"]
    deep = url.replace("page_size=100", "page_size=20")
    assert len(expect(http.get(deep)).json()["results"]) == 20  # noqa: S101

    plain = median_ms(lambda: expect(http.get("/healthz")), ROUNDS)
    baseline = "plain Django view (/healthz), same process"
    rows = []
    for label, target in (("page 1", first), ("at 50,000", deep)):
        queries = []
        with connection.execute_wrapper(partial(_counting, queries)):
            expect(http.get(target))
        took = median_ms(lambda target=target: expect(http.get(target)), ROUNDS)
        name = f"comment list, 100k comments, {label} ({len(queries)} queries)"
        rows.append(row(name, took, "ms", baseline, plain))
    return rows


def run() -> list[dict]:
    return run_child("bench.comments")


if __name__ == "__main__":
    print(json.dumps(child() if sys.argv[1:2] == ["--child"] else run()))
