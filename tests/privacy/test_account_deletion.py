"""Deleting an account: asked for with DELETE /me, done after the grace period (or at once
when WeChat says the user left); afterwards no table and no stored object names the person,
and the threads they took part in still read in order."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.utils import timezone

from accounts import avatars
from accounts.models import User
from album import services as albums
from comments import services as comments
from privacy import services as privacy
from reports import services as reports
from shortlinks import services as links
from tests.album import pictures
from tests.album.helpers import stored_keys
from tests.factories import AlbumFactory

ME = "/api/v1/me"

pytestmark = [pytest.mark.usefixtures("local_photos"), pytest.mark.django_db(transaction=True)]


def test_a_deletion_waits_for_the_grace_period_and_can_be_cancelled(api, member, settings):
    settings.ACCOUNT_DELETION_GRACE_DAYS = 7

    asked = api.as_user(member).delete(ME)
    shown = api.as_user(member).get(ME).json()
    cancelled = api.as_user(member).post(f"{ME}/deletion/cancel")

    assert asked.status_code == 202
    due = timezone.datetime.fromisoformat(asked.json()["deletion_at"])
    assert timedelta(days=6, hours=23) < due - timezone.now() <= timedelta(days=7)
    assert shown["deletion_at"] == asked.json()["deletion_at"]
    assert (cancelled.status_code, cancelled.json()["deletion_at"]) == (200, None)
    assert privacy.accounts_delete_due(now=due + timedelta(seconds=1)) == 0


@pytest.fixture
def life(owner, member, outsider):
    """The member's life here: an album of their own, photos in the owner's album, comments,
    a reply to the owner and the owner's reply to them, likes, a link, a report."""
    own = AlbumFactory(owner=member, title="Mine")
    mine = albums.photo_upload(album=own, uploader=member, data=pictures.jpeg())
    shared = AlbumFactory(owner=owner, title="Ours", contributors=[member])
    theirs = albums.photo_upload(album=shared, uploader=member, data=pictures.jpeg())
    kept = albums.photo_upload(album=shared, uploader=owner, data=pictures.jpeg())
    root = comments.comment_create(user=member, album=shared, photo=kept, body="Lovely")
    comments.comment_create(user=owner, album=shared, photo=kept, body="Thanks!",
                            parent_id=root.pk)  # fmt: skip
    other = comments.comment_create(user=owner, album=shared, photo=kept, body="Look")
    comments.comment_create(user=member, album=shared, photo=kept, body="Wow",
                            parent_id=other.pk)  # fmt: skip
    comments.like_set(user=member, target=kept, liked=True)
    comments.like_set(user=member, target=other, liked=True)
    links.shortlink_create(creator=member, page="pages/a/index", params={"x": 1})
    reports.report_create(reporter=member, target_type="comment", target_id=other.pk,
                          reason="other")  # fmt: skip
    avatar = avatars.avatar_set(user=member, data=pictures.jpeg()).avatar
    return {"keys": set(mine.object_keys) | set(theirs.object_keys) | set(avatar.object_keys),
            "shared": shared, "kept": kept, "other": other}  # fmt: skip


def everything_stored() -> str:
    return "".join(serializers.serialize("json", model.objects.all())
                   for model in apps.get_models())  # fmt: skip


def test_after_deletion_nothing_names_the_person_and_threads_still_read(api, owner, member,
                                                                        life):  # fmt: skip
    openid, nickname = member.openid, member.nickname
    api.as_user(member).delete(ME)

    call_command("delete_due_accounts", stdout=open("/dev/null", "w"))
    assert privacy.accounts_delete_due(now=timezone.now() + timedelta(days=8)) == 1

    assert openid not in everything_stored()
    assert f'"nickname": "{nickname}"' not in everything_stored()
    assert not life["keys"] & set(stored_keys())
    thread = api.as_user(owner).get(f"/api/v1/photos/{life['kept'].pk}/comments").json()
    read = [(c["body"], c["removed"]) for c in thread["results"]]
    assert read == [("", True), ("Thanks!", False), ("Look", False)]
    assert thread["results"][0]["author"] is None
    kept = api.as_user(owner).get(f"/api/v1/photos/{life['kept'].pk}").json()
    assert kept["like_count"] == 0
    assert api.as_user(owner).get(f"/api/v1/albums/{life['shared'].pk}/photos").json()[
        "results"][0]["id"] == life["kept"].pk  # fmt: skip
    gone = User.objects.get(pk=member.pk)
    assert (gone.is_active, gone.openid, gone.deleted_at is not None) == (False, None, True)


def test_a_deletion_cut_short_is_finished_by_the_next_run(owner, member, life):
    User.objects.filter(pk=member.pk).update(deletion_at=timezone.now())
    albums.photos_of_uploader_delete(user=member, why="a run that was killed")  # half-way

    assert privacy.accounts_delete_due() == 1
    assert privacy.accounts_delete_due() == 0
    assert member.openid not in everything_stored()


def test_someone_who_logs_in_again_after_deletion_gets_a_new_empty_account(api, settings):
    settings.WECHAT_SANDBOX = True
    first = api.post("/api/v1/auth/login", {"code": "ada"}, format="json").json()
    api.as_user(User.objects.get(pk=first["user"]["id"])).delete(ME)
    privacy.accounts_delete_due(now=timezone.now() + timedelta(days=8))

    again = api.post("/api/v1/auth/login", {"code": "ada"}, format="json").json()

    assert again["user"]["id"] != first["user"]["id"]
    assert again["user"]["openid"] == first["user"]["openid"]
    assert api.as_user(User.objects.get(pk=again["user"]["id"])).get(
        "/api/v1/albums").json()["results"] == []  # fmt: skip


def test_a_deleted_accounts_old_token_no_longer_works(api, member):
    from accounts import tokens

    token = tokens.issue(member.pk)
    api.as_user(member).delete(ME)
    privacy.accounts_delete_due(now=timezone.now() + timedelta(days=8))

    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get(ME).status_code == 401
