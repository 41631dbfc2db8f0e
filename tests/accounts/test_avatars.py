"""Avatars are uploads: what wx.uploadFile posts after `<button open-type="chooseAvatar">` is
checked, cropped square, stripped of metadata and resized; with the photo check on, others keep
seeing the previous avatar until WeChat's verdict (pushed, signed and encrypted by the
independent implementation) or staff say it may be seen."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Avatar
from audit.models import LogEntry
from tests.album import pictures
from tests.album.helpers import download, image_slots_taken, open_image, stored_keys
from tests.factories import AlbumFactory
from tests.wechat import pushes

ME, AVATAR = "/api/v1/me", "/api/v1/me/avatar"

pytestmark = [pytest.mark.usefixtures("photo_storage"), pytest.mark.django_db(transaction=True)]


@pytest.fixture
def album(owner, member):
    return AlbumFactory(owner=owner, title="Trip", members=[member])


def choose(api, user, data: bytes, *, method="post", name="tmp_7f3a.jpeg"):
    """wx.uploadFile({url, filePath, name: "file", formData}) with chooseAvatar's temp file."""
    form = {"file": SimpleUploadedFile(name, data, "image/jpeg"), "source": "chooseAvatar"}
    return getattr(api.as_user(user), method)(AVATAR, form, format="multipart")


def avatar_of(api, viewer, album, user) -> dict | None:
    """The avatar `viewer` sees for `user` in the album's member list."""
    members = api.as_user(viewer).get(f"/api/v1/albums/{album.pk}/members").json()["results"]
    return next(m["user"]["avatar"] for m in members if m["user"]["id"] == user.pk)


def test_a_chosen_avatar_is_cropped_square_resized_and_stripped(api, member):
    wide = pictures.jpeg(1200, 800)  # EXIF with GPS, XMP; dark left half

    response = choose(api, member, wide)

    assert response.status_code == 200, response.content
    avatar = response.json()["avatar"]
    assert avatar["review"] == "unchecked"
    assert api.as_user(member).get(ME).json()["avatar"] == avatar
    large, thumb = (open_image(download(api, avatar[k])) for k in ("url", "thumb_url"))
    assert (large.format, large.size, thumb.format, thumb.size) == ("JPEG", (256, 256),
                                                                    "JPEG", (96, 96))  # fmt: skip
    for image in (large, thumb):
        assert not image.getexif()
        assert not {"exif", "xmp", "icc_profile", "comment"} & set(image.info)
    # The centre square of a 1200x800 picture whose left 600 px are dark: left of centre dark.
    assert large.getpixel((60, 128))[0] < 60 < large.getpixel((200, 128))[0]
    assert b"secret-location" not in download(api, avatar["url"])


def test_put_takes_the_same_form_and_a_new_avatar_replaces_the_old_one_and_its_objects(api, member):
    first = choose(api, member, pictures.jpeg()).json()["avatar"]
    old_keys = set(Avatar.objects.get().object_keys)

    second = choose(api, member, pictures.png(400, 400), method="put")

    assert second.status_code == 200
    assert second.json()["avatar"]["url"] != first["url"]
    assert Avatar.objects.count() == 1
    assert not old_keys & set(stored_keys())


def test_others_see_the_avatar_and_never_the_openid(api, owner, member, album):
    choose(api, member, pictures.jpeg())

    seen = avatar_of(api, owner, album, member)

    assert set(seen) == {"url", "thumb_url"}  # not where it stands in the check: that is theirs
    assert seen["url"] == api.as_user(member).get(ME).json()["avatar"]["url"]
    assert member.openid not in json.dumps(
        api.as_user(owner).get(f"/api/v1/albums/{album.pk}/members").json()
    )


@pytest.mark.parametrize(
    ("data", "code"),
    [(pictures.png_bomb(), "image_too_large"), (b"GIF89a not really", "unsupported_image"),
     (pictures.scan_bomb(), "image_too_complex"), (pictures.animated("PNG"), "unsupported_image")],
    ids=["pixel-bomb", "not-an-image", "scan-bomb", "animated"],
)  # fmt: skip
def test_a_hostile_or_broken_file_is_refused_and_the_previous_avatar_stays(api, member, data, code):
    before = choose(api, member, pictures.jpeg()).json()["avatar"]
    keys = set(stored_keys())

    response = choose(api, member, data)

    assert (response.status_code, response.json()["code"]) == (400, code)
    assert response["Content-Type"] == "application/problem+json"
    assert api.as_user(member).get(ME).json()["avatar"] == before
    assert set(stored_keys()) == keys  # nothing half-written


def test_an_empty_or_missing_file_is_a_400_naming_the_field(api, member):
    empty = choose(api, member, b"")
    missing = api.as_user(member).post(AVATAR, {"source": "chooseAvatar"}, format="multipart")

    assert (empty.status_code, list(empty.json()["errors"])) == (400, ["file"])
    assert (missing.status_code, list(missing.json()["errors"])) == (400, ["file"])


def test_an_oversized_body_is_refused_before_it_is_read(api, member, settings):
    settings.PHOTO_MAX_BYTES = 10_000

    response = choose(api, member, pictures.noisy_jpeg(800, 800))

    assert (response.status_code, response.json()["code"]) == (413, "file_too_large")


def test_an_avatar_waits_for_an_image_slot_like_a_photo_then_answers_busy(api, member, settings):
    settings.PHOTO_PROCESSING_CONCURRENCY = 1
    settings.PHOTO_PROCESSING_WAIT = 0.05

    with image_slots_taken():
        busy = choose(api, member, pictures.jpeg())

    assert (busy.status_code, busy.json()["code"], busy["Retry-After"]) == (503, "busy", "5")
    assert api.as_user(member).get(ME).json()["avatar"] is None
    assert Avatar.objects.count() == 0


def test_removing_the_avatar_deletes_its_objects(api, owner, member, album):
    choose(api, member, pictures.jpeg())
    keys = set(Avatar.objects.get().object_keys)

    removed = api.as_user(member).delete(AVATAR)
    again = api.as_user(member).delete(AVATAR)

    assert (removed.status_code, again.status_code) == (200, 200)
    assert removed.json()["avatar"] is None
    assert api.as_user(member).get(ME).json()["avatar"] is None
    assert avatar_of(api, owner, album, member) is None
    assert not keys & set(stored_keys())
    assert LogEntry.objects.filter(action="user.avatar_deleted", actor=member).count() == 1


def test_only_a_logged_in_user_sets_an_avatar(api, db):
    form = {"file": SimpleUploadedFile("a.jpg", pictures.jpeg(), "image/jpeg")}

    response = api.post(AVATAR, form, format="multipart")

    assert response.status_code == 401
    assert Avatar.objects.count() == 0


# --- With WeChat's media check ----------------------------------------------------------------


def test_a_new_avatar_is_the_users_own_until_a_signed_push_says_pass(
    api, client, weixin, owner, member, album, settings
):
    settings.PHOTO_CONTENT_CHECK = "off"
    previous = choose(api, member, pictures.jpeg()).json()["avatar"]
    settings.PHOTO_CONTENT_CHECK = "wechat"

    mine = choose(api, member, pictures.png(300, 300)).json()["avatar"]

    assert mine["review"] == "pending"
    assert avatar_of(api, owner, album, member)["url"] == previous["url"]
    asked = json.loads(next(r for r, _ in weixin.log if r.path == pushes.CHECK).data)
    assert (asked["openid"], asked["scene"], asked["media_type"]) == (member.openid, 1, 2)
    assert "/avatars/" in asked["media_url"]
    old_keys = set(Avatar.objects.get(review="unchecked").object_keys)

    trace_id = Avatar.objects.get(review="pending").check_trace_id
    assert pushes.verdict(client, trace_id, "pass").content == b"success"

    assert avatar_of(api, owner, album, member)["url"] == mine["url"]
    assert api.as_user(member).get(ME).json()["avatar"]["review"] == "pass"
    assert not old_keys & set(stored_keys())


def test_a_risky_avatar_is_never_shown_to_others_and_staff_decide(
    api, client, weixin, owner, member, album, staff_client
):
    mine = choose(api, member, pictures.jpeg()).json()["avatar"]
    trace_id = Avatar.objects.get().check_trace_id

    pushes.verdict(client, trace_id, "risky", label=20002)
    replayed = pushes.verdict(client, trace_id, "pass")  # the first verdict counts

    assert replayed.content == b"success"
    assert avatar_of(api, owner, album, member) is None
    assert api.as_user(member).get(ME).json()["avatar"] == {**mine, "review": "risky"}
    queue = staff_client.get("/admin/accounts/avatarinreview/")
    avatar = Avatar.objects.get()
    assert f"/admin/accounts/avatarinreview/{avatar.pk}/change/" in queue.content.decode()

    staff_client.post("/admin/accounts/avatarinreview/",
                      {"action": "approve", "_selected_action": [avatar.pk]})  # fmt: skip

    assert avatar_of(api, owner, album, member)["url"] == mine["url"]
    assert LogEntry.objects.get(action="avatar.approved").actor.is_staff


def test_a_rejected_avatar_is_deleted_and_the_previous_one_stays(
    api, client, weixin, owner, member, album, staff_client, settings
):
    settings.PHOTO_CONTENT_CHECK = "off"
    previous = choose(api, member, pictures.jpeg()).json()["avatar"]
    settings.PHOTO_CONTENT_CHECK = "wechat"
    choose(api, member, pictures.png(300, 300))
    held = Avatar.objects.get(review="pending")
    pushes.verdict(client, held.check_trace_id, "review")

    staff_client.post("/admin/accounts/avatarinreview/",
                      {"action": "reject", "_selected_action": [held.pk]})  # fmt: skip

    assert not Avatar.objects.filter(pk=held.pk).exists()
    assert not set(held.object_keys) & set(stored_keys())
    assert api.as_user(member).get(ME).json()["avatar"] == previous
    assert avatar_of(api, owner, album, member)["url"] == previous["url"]


def test_an_avatar_whose_verdict_never_arrives_goes_to_staff(api, weixin, member, staff_client):
    choose(api, member, pictures.jpeg())
    Avatar.objects.update(created_at=timezone.now() - timedelta(minutes=31))

    call_command("sweep_photo_reviews", stdout=open("/dev/null", "w"))

    assert Avatar.objects.get().review == "review"
    assert staff_client.get("/admin/accounts/avatarinreview/").status_code == 200


def test_view_only_staff_cannot_approve_avatars(api, client, weixin, member, db):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    choose(api, member, pictures.jpeg())
    viewer = UserFactory(is_staff=True, username="viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_avatar"))
    client.force_login(viewer)
    avatar = Avatar.objects.get()

    client.post("/admin/accounts/avatarinreview/",
                {"action": "approve", "_selected_action": [avatar.pk]})  # fmt: skip

    assert Avatar.objects.get().review == "pending"
