"""WeChat's authorization events on the message push, signed and encrypted by the independent
implementation (tests/wechat/wxcrypt.py): each has its effect once, by the system."""

import pytest

from album.models import Photo
from audit.models import LogEntry
from tests.album.helpers import stored_keys
from tests.factories import AlbumFactory
from tests.wechat import pushes

APPID = "wx-app"
PUSH_TOKEN = "push-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def push_configured(settings):
    settings.WECHAT_PUSH_TOKEN = PUSH_TOKEN
    settings.WECHAT_PUSH_AES_KEY = AES_KEY
    settings.WECHAT_APP_ID = APPID


def event(name: str, openid: str, revoke_info: str | None = None) -> dict:
    message = {"ToUserName": "gh_870882ca4b1", "FromUserName": "oaKk346BaWE-eIn4oSRWbaM9vR7s",
               "CreateTime": 1627359464, "MsgType": "event", "Event": name, "OpenID": openid,
               "AppID": APPID}  # fmt: skip
    if revoke_info is not None:
        message["RevokeInfo"] = revoke_info
    return message


def push(client, message, **options):
    return pushes.post(client, message, token=PUSH_TOKEN, appid=APPID, aes_key=AES_KEY,
                       **options)  # fmt: skip


def with_profile(user):
    from accounts import avatars
    from tests.album import pictures

    type(user).objects.filter(pk=user.pk).update(nickname="Ada")
    avatars.avatar_set(user=user, data=pictures.jpeg())
    user.refresh_from_db()
    return user


@pytest.mark.parametrize(
    ("name", "revoke_info"),
    [("user_authorization_revoke", "6"), ("user_authorization_revoke", "19"),
     ("user_info_modified", None)],
)  # fmt: skip
def test_a_withdrawn_or_cleaned_profile_is_cleared_here_too(
    client, owner, name, revoke_info, local_photos
):
    with_profile(owner)
    keys = set(owner.avatar.object_keys)

    response = push(client, event(name, owner.openid, revoke_info))

    assert (response.status_code, response.content) == (200, b"success")
    owner.refresh_from_db()
    assert (owner.nickname, owner.avatar, owner.held_avatar) == ("", None, None)
    assert keys
    assert not keys & set(stored_keys())  # the avatar's objects are gone too
    entry = LogEntry.objects.get(action="user.profile_cleared")
    assert (entry.actor, entry.data["why"]) == (None, name)


def test_withdrawn_photos_are_deleted_with_their_objects_once(client, owner, member, local_photos):
    from album import services as albums
    from tests.album import pictures

    theirs = AlbumFactory(owner=owner, members=[])
    albums.member_join(album=theirs, user=member, role="contributor")
    uploaded = albums.photo_upload(album=theirs, uploader=member, data=pictures.jpeg())
    kept = albums.photo_upload(album=theirs, uploader=owner, data=pictures.jpeg())
    keys = set(uploaded.object_keys)

    first = push(client, event("user_authorization_revoke", member.openid, "14"))
    again = push(client, event("user_authorization_revoke", member.openid, "14"))

    assert (first.content, again.content) == (b"success", b"success")
    assert list(Photo.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not keys & set(stored_keys())
    assert LogEntry.objects.filter(action="photo.deleted", actor=None).count() == 1


def test_a_revoke_of_something_we_do_not_keep_changes_nothing(client, owner):
    with_profile(owner)

    push(client, event("user_authorization_revoke", owner.openid, "13"))  # location

    owner.refresh_from_db()
    assert owner.nickname == "Ada"


def test_an_event_for_someone_unknown_or_forged_changes_nothing(client, owner):
    with_profile(owner)

    unknown = push(client, event("user_info_modified", "o-nobody"))
    forged = push(client, event("user_info_modified", owner.openid), forge=True)

    assert (unknown.status_code, forged.status_code) == (200, 403)
    owner.refresh_from_db()
    assert owner.nickname == "Ada"


def test_a_user_who_left_is_deleted_at_once(client, owner, member, local_photos):
    from album import services as albums
    from tests.album import pictures

    theirs = AlbumFactory(owner=member)
    photo = albums.photo_upload(album=theirs, uploader=member, data=pictures.jpeg())
    openid = member.openid

    response = push(client, event("user_authorization_cancellation", openid))

    assert response.content == b"success"
    member.refresh_from_db()
    assert (member.openid, member.is_active, member.deleted_at is not None) == (None, False, True)
    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert not set(photo.object_keys) & set(stored_keys())
