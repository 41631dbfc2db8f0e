"""The comment list on one photo: its first page and its deepest (the cursor near the end).

100,000 comments on the embedded defaults and, when PostgreSQL answers, 1,000,000 there. Runs
through the full stack as a logged-in member (authors, like counts and `liked_by_me` on every
comment). Baselines, in the same process: a plain Django view (`/healthz`) for the first page,
and the first page for the deepest (the goal: within 10 % of each other). Queries per request
are counted too.
"""

import base64
import json
import os
import socket
import subprocess
import sys
from datetime import timedelta
from functools import partial
from urllib.parse import urlencode

from django.db import connection

from bench.common import client, expect, median_ms, row, run_child, setup_child

COMMENTS = int(os.environ.get("BENCH_COMMENTS", 100_000))
AUTHORS = 200
ROUNDS = 100


def _seed():
    from django.db import connection
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
    start = timezone.now() - timedelta(seconds=COMMENTS)
    viewer = authors[0]
    if connection.vendor == "postgresql":
        _seed_in_sql(album, photo, [a.pk for a in authors], start, viewer)
        return photo, viewer
    Comment._meta.get_field("created_at").auto_now_add = False
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
    ids = Comment.objects.filter(photo=photo).values_list("id", flat=True)[::10]
    Like.objects.bulk_create((Like(user=viewer, comment_id=pk) for pk in ids), batch_size=5000)
    return photo, viewer


def _seed_in_sql(album, photo, author_ids, start, viewer):
    """The same rows in two statements: a million ORM objects would take minutes."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO comments_comment (album_id, photo_id, author_id, body, created_at,
                                          like_count, review)
            SELECT %s, %s, (%s::bigint[])[1 + i %% %s], repeat('Comment ' || i || ' ', 8),
                   %s + i * interval '1 second', i %% 7, 'unchecked'
            FROM generate_series(0, %s - 1) AS i
            """,
            [album.pk, photo.pk, author_ids, len(author_ids), start, COMMENTS],
        )
        cursor.execute(
            """
            INSERT INTO comments_like (user_id, comment_id, created_at)
            SELECT %s, id, now() FROM comments_comment WHERE photo_id = %s AND id %% 10 = 0
            """,
            [viewer.pk, photo.pk],
        )
        # Now, not by autovacuum (and first reads setting hint bits) during the measurement.
        cursor.execute("VACUUM ANALYZE comments_comment")
        cursor.execute("VACUUM ANALYZE comments_like")


def _cursor_at(photo, index: int) -> str:
    """The list's cursor positioned at the index-th comment, as the pagination writes it."""
    from comments.models import Comment

    created_at = (
        Comment.objects.filter(photo=photo).order_by("created_at", "id")
        .values_list("created_at", flat=True)[index]
    )  # fmt: skip
    return base64.b64encode(urlencode({"p": str(created_at)}).encode()).decode()


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

    deep = f"{first}?cursor={_cursor_at(photo, COMMENTS - 40)}"
    assert len(expect(http.get(deep)).json()["results"]) == 20  # noqa: S101

    label = f"{COMMENTS // 1000:,}k comments, {connection.vendor}"
    took, counted = {}, {}
    for name, target in (("first", first), ("deepest", deep)):
        queries = []
        with connection.execute_wrapper(partial(_counting, queries)):
            expect(http.get(target))
        counted[name] = len(queries)
    plain = median_ms(lambda: expect(http.get("/healthz")), ROUNDS)
    for _ in range(3):  # interleaved, so a noisy moment does not land on one side only
        for name, target in (("first", first), ("deepest", deep)):
            took.setdefault(name, []).append(
                median_ms(lambda target=target: expect(http.get(target)), ROUNDS // 3)
            )
    first_ms, deep_ms = (sorted(took[name])[1] for name in ("first", "deepest"))
    return [
        row(f"comment list, {label}, first page ({counted['first']} queries)", first_ms, "ms",
            "plain Django view (/healthz), same process", plain),
        {**row(f"comment list, {label}, deepest page ({counted['deepest']} queries)", deep_ms,
               "ms", "the first page", first_ms), "goal_max": 1.10},
    ]  # fmt: skip


def _postgres_up() -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", 5432)) == 0


def run() -> list[dict]:
    rows = run_child("bench.comments")
    if _postgres_up():
        db = ["-h", "127.0.0.1", "-U", "postgres"]
        subprocess.run(["dropdb", *db, "--if-exists", "wxalbum_bench_comments"], check=True)
        subprocess.run(["createdb", *db, "wxalbum_bench_comments"], check=True)
        url = "postgres://postgres@127.0.0.1:5432/wxalbum_bench_comments"
        rows += run_child("bench.comments", {"DATABASE_URL": url, "BENCH_COMMENTS": "1000000"})
    return rows


if __name__ == "__main__":
    print(json.dumps(child() if sys.argv[1:2] == ["--child"] else run()))
