"""Every service that changes state writes one activity log entry naming its actor, in the
transaction of the change; the log is read-only in the admin and pruned by a command."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts import services as accounts
from album import services as albums
from audit.models import LogEntry
from comments import services as comments
from shortlinks import services as links
from tests.album import pictures
from tests.factories import AlbumFactory, CommentFactory, LinkFactory, PhotoFactory


@pytest.fixture
def world(owner, member, contributor, staff, local_photos):
    album = AlbumFactory(owner=owner, members=[member], contributors=[contributor])
    photo = PhotoFactory(album=album, uploader=contributor)
    return {
        "owner": owner,
        "member": member,
        "contributor": contributor,
        "staff": staff,
        "album": album,
        "photo": photo,
        "comment": CommentFactory(album=album, photo=photo, author=member),
        "link": LinkFactory(creator=owner),
    }


def _complete(w):
    upload, _ = albums.upload_create(album=w["album"], user=w["contributor"], filename="a.jpg",
                                     content_type="image/jpeg", local_url="/u")  # fmt: skip
    from media import storage

    storage.put_upload(upload.key, pictures.jpeg())
    LogEntry.objects.filter(action="upload.created").delete()  # this row is about completing
    albums.upload_complete(upload_id=upload.pk, user=w["contributor"])


# (what is done, the one action logged, who it names)
SERVICES = [
    ("profile", lambda w: accounts.user_update_profile(user=w["member"], nickname="M"),
     "user.updated", "member"),
    ("album create", lambda w: albums.album_create(owner=w["owner"], title="New",
                                                   visibility="members"),
     "album.created", "owner"),
    ("album create by staff", lambda w: albums.album_create(owner=w["owner"], title="New",
                                                            visibility="members",
                                                            actor=w["staff"]),
     "album.created", "staff"),
    ("album update", lambda w: albums.album_update(album=w["album"], actor=w["owner"], title="T"),
     "album.updated", "owner"),
    ("album delete by staff", lambda w: albums.album_delete(album=w["album"], actor=w["staff"]),
     "album.deleted", "staff"),
    ("member removed", lambda w: albums.member_remove(album=w["album"], actor=w["owner"],
                                                      user_id=w["member"].pk),
     "membership.removed", "owner"),
    ("member leaves", lambda w: albums.member_remove(album=w["album"], actor=w["member"],
                                                     user_id=w["member"].pk),
     "membership.left", "member"),
    ("member promoted", lambda w: albums.member_join(album=w["album"], user=w["member"],
                                                     role="contributor"),
     "membership.role_changed", "member"),
    ("photo upload", lambda w: albums.photo_upload(album=w["album"], uploader=w["contributor"],
                                                   data=pictures.jpeg()),
     "photo.created", "contributor"),
    ("upload complete", _complete, "photo.created", "contributor"),
    ("upload ticket", lambda w: albums.upload_create(album=w["album"], user=w["owner"],
                                                     filename="a.jpg", content_type="image/jpeg",
                                                     local_url="/u"),
     "upload.created", "owner"),
    ("caption", lambda w: albums.photo_update(photo=w["photo"], actor=w["owner"], caption="C"),
     "photo.updated", "owner"),
    ("photo delete by staff", lambda w: albums.photo_delete(photo=w["photo"], actor=w["staff"]),
     "photo.deleted", "staff"),
    ("link create", lambda w: links.shortlink_create(creator=w["member"], page="pages/x/index",
                                                     params={}),
     "shortlink.created", "member"),
    ("album share", lambda w: links.album_share(album=w["album"], actor=w["owner"],
                                                role="viewer"),
     "shortlink.created", "owner"),
    ("link change by staff", lambda w: links.shortlink_update(link=w["link"], actor=w["staff"],
                                                              page="pages/y/index"),
     "shortlink.updated", "staff"),
    ("link revoke", lambda w: links.shortlink_revoke(raw_code=w["link"].code, actor=w["owner"]),
     "shortlink.revoked", "owner"),
    ("comment", lambda w: comments.comment_create(user=w["contributor"], album=w["album"],
                                                  body="Hi"),
     "comment.created", "contributor"),
    ("comment edit", lambda w: comments.comment_edit(comment=w["comment"], user=w["member"],
                                                     body="Edited"),
     "comment.edited", "member"),
    ("comment delete by owner", lambda w: comments.comment_delete(comment=w["comment"],
                                                                  user=w["owner"]),
     "comment.deleted", "owner"),
    ("comment hidden", lambda w: comments.comment_set_hidden(comment=w["comment"], hidden=True,
                                                             actor=w["staff"]),
     "comment.hidden", "staff"),
    ("like", lambda w: comments.like_set(user=w["member"], target=w["photo"], liked=True),
     "like.added", "member"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("call", "action", "actor"),
    [pytest.param(call, action, actor, id=name) for name, call, action, actor in SERVICES],
)
def test_each_change_is_logged_once_with_its_actor(world, call, action, actor):
    before = set(LogEntry.objects.values_list("pk", flat=True))

    call(world)

    new = LogEntry.objects.exclude(pk__in=before)
    assert [(e.action, e.actor) for e in new] == [(action, world[actor])]
    assert new.get().actor_is_staff is (actor == "staff")


def test_joining_through_a_scanned_share_is_logged_as_the_scanner(api, world, outsider):
    share, _ = links.album_share(album=world["album"], actor=world["owner"], role="viewer")

    api.as_user(outsider).get(f"/api/v1/shortlinks/{share.code}")

    entry = LogEntry.objects.get(action="membership.joined", actor=outsider)
    assert entry.data["via_link_id"] == share.pk


def test_a_refused_change_logs_nothing(world):
    from config.problems import Forbidden

    before = LogEntry.objects.count()
    with pytest.raises(Forbidden):
        albums.album_update(album=world["album"], actor=world["member"], title="Mine now")

    assert LogEntry.objects.count() == before


def test_the_system_is_the_actor_of_scheduled_cleanups(world, settings):
    upload, _ = albums.upload_create(album=world["album"], user=world["owner"], filename="a.jpg",
                                     content_type="image/jpeg", local_url="/u")  # fmt: skip

    albums.uploads_cleanup(now=timezone.now() + timedelta(days=1))

    entry = LogEntry.objects.get(action="upload.expired")
    assert (entry.actor, entry.object_id) == (None, str(upload.pk))


def test_prune_keeps_the_retention_period(world, settings):
    settings.ACTIVITY_LOG_RETENTION_DAYS = 30
    old = LogEntry.objects.create(action="album.created", actor_label="x")
    LogEntry.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    recent = LogEntry.objects.count() - 1

    call_command("prune_activity_log")

    assert not LogEntry.objects.filter(pk=old.pk).exists()
    assert LogEntry.objects.count() == recent


def test_the_log_is_read_only_and_filterable_in_the_admin(staff_client, world):
    entry = LogEntry.objects.filter(action="comment.created").get()

    listing = staff_client.get("/admin/audit/logentry/", {"action": "comment.created"})
    change = staff_client.post(f"/admin/audit/logentry/{entry.pk}/change/", {"action": "x"})
    delete = staff_client.post(f"/admin/audit/logentry/{entry.pk}/delete/", {"post": "yes"})

    rows = listing.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    assert listing.status_code == 200
    assert "comment.created" in rows
    assert "album.created" not in rows
    assert (change.status_code, delete.status_code) == (403, 403)
    assert LogEntry.objects.get(pk=entry.pk).action == "comment.created"
