"""Photos are checked before others see them: WeChat's media check (a local stand-in for WeChat),
its verdicts on the real push endpoint (signed and encrypted by tests/wechat/wxcrypt.py), the
sweep for verdicts that never come, and staff's decisions in the admin."""

import json
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from werkzeug import Response

from album import reviews, services
from album.models import Album, Photo
from audit.models import LogEntry
from config.problems import Invalid
from outbox.models import Message
from tests.album import pictures
from tests.album.helpers import download, stored_keys
from tests.wechat import pushes

# Real commits: the check is sent after the upload commits.
pytestmark = [pytest.mark.usefixtures("local_photos"), pytest.mark.django_db(transaction=True)]

APPID, PUSH_TOKEN, AES_KEY, CHECK = pushes.APPID, pushes.PUSH_TOKEN, pushes.AES_KEY, pushes.CHECK


def upload(api, user, album) -> dict:
    form = {"file": SimpleUploadedFile("p.jpg", pictures.jpeg(), "image/jpeg")}
    response = api.as_user(user).post(f"/api/v1/albums/{album.id}/photos", form, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()


def seen_by(api, user, album) -> list[int]:
    response = api.as_user(user).get(f"/api/v1/albums/{album.id}/photos")
    return [photo["id"] for photo in response.json()["results"]]


def verdict(client, photo_id: int, suggest: str, **options):
    return pushes.verdict(client, Photo.objects.get(pk=photo_id).check_trace_id, suggest, **options)


def test_a_members_new_photo_is_hidden_from_other_members_until_a_signed_push_says_pass(
    api, client, weixin, shared_album, contributor, member, owner, settings
):
    photo = upload(api, contributor, shared_album)

    assert (photo["review"], photo["hidden_because"] is not None) == ("pending", True)
    assert seen_by(api, contributor, shared_album) == [photo["id"]]
    assert seen_by(api, member, shared_album) == seen_by(api, owner, shared_album) == []
    assert api.as_user(member).get(f"/api/v1/photos/{photo['id']}").status_code == 404
    shared_album.refresh_from_db()
    assert (shared_album.photo_count, shared_album.cover_id) == (0, None)
    # WeChat was asked with the uploader's openid, about a URL it can download.
    asked = json.loads(next(r for r, _ in weixin.log if r.path == CHECK).data)
    assert (asked["openid"], asked["scene"], asked["media_type"]) == (contributor.openid, 4, 2)
    assert asked["media_url"].startswith(f"{settings.SHORTLINK_BASE_URL}/media/photos/")

    assert verdict(client, photo["id"], "pass").content == b"success"

    assert seen_by(api, member, shared_album) == [photo["id"]]
    shown = api.as_user(member).get(f"/api/v1/photos/{photo['id']}").json()
    assert (shown["review"], shown["hidden_because"]) == ("pass", None)
    shared_album.refresh_from_db()
    assert (shared_album.photo_count, shared_album.cover_id) == (1, photo["id"])


def test_a_risky_verdict_hides_it_from_everyone_but_its_uploader_who_sees_why(
    api, client, weixin, shared_album, contributor, member, owner, settings
):
    settings.WECHAT_PUSH_AES_KEY = ""  # plain mode: the console's "明文模式"
    photo = upload(api, contributor, shared_album)

    assert verdict(client, photo["id"], "risky", label=20002, mode="plain").status_code == 200

    assert seen_by(api, member, shared_album) == seen_by(api, owner, shared_album) == []
    mine = api.as_user(contributor).get(f"/api/v1/photos/{photo['id']}")
    assert (mine.json()["review"], mine.json()["review_label"]) == ("risky", 20002)
    assert "pornography" in mine.json()["hidden_because"]
    in_chinese = api.as_user(contributor).get(
        f"/api/v1/photos/{photo['id']}", HTTP_ACCEPT_LANGUAGE="zh-CN"
    )
    assert "色情" in in_chinese.json()["hidden_because"]
    assert Album.objects.get(pk=shared_album.pk).photo_count == 0
    # Nobody else may comment on it or like it either.
    comment = {"body": "nice"}
    url = f"/api/v1/photos/{photo['id']}"
    assert api.as_user(owner).post(f"{url}/comments", comment).status_code == 404
    assert api.as_user(member).put(f"{url}/like").status_code == 404


def test_forged_foreign_replayed_and_unknown_pushes_change_nothing(
    api, client, weixin, shared_album, contributor, member
):
    photo = upload(api, contributor, shared_album)
    forged = verdict(client, photo["id"], "pass", forge=True)
    plain_forged = verdict(client, photo["id"], "pass", mode="plain", forge=True)
    trace_id = Photo.objects.get(pk=photo["id"]).check_trace_id
    foreign = pushes.post(
        client,
        pushes.media_check_event(trace_id, "pass", appid="wx-someone-else"),
        token=PUSH_TOKEN,
        appid="wx-someone-else",
        aes_key=AES_KEY,
    )

    assert (forged.status_code, plain_forged.status_code, foreign.status_code) == (403, 403, 403)
    assert seen_by(api, member, shared_album) == []

    assert verdict(client, photo["id"], "pass").content == b"success"
    entries = LogEntry.objects.count()
    replayed = verdict(client, photo["id"], "pass")
    contradicted = verdict(client, photo["id"], "risky", label=20001)
    unknown = pushes.post(client, pushes.media_check_event("trace-unknown", "risky", appid=APPID),
                          token=PUSH_TOKEN, appid=APPID, aes_key=AES_KEY)  # fmt: skip

    assert (replayed.content, contradicted.content, unknown.content) == (b"success",) * 3
    assert Photo.objects.get(pk=photo["id"]).review == "pass"
    assert seen_by(api, member, shared_album) == [photo["id"]]
    assert LogEntry.objects.count() == entries


def test_a_photo_whose_verdict_never_arrives_goes_to_staff_review(
    api, weixin, shared_album, contributor, member, staff_client
):
    photo = upload(api, contributor, shared_album)
    Photo.objects.filter(pk=photo["id"]).update(created_at=timezone.now() - timedelta(minutes=29))
    call_command("sweep_photo_reviews")
    assert Photo.objects.get(pk=photo["id"]).review == "pending"

    Photo.objects.filter(pk=photo["id"]).update(created_at=timezone.now() - timedelta(minutes=31))
    call_command("sweep_photo_reviews")

    assert Photo.objects.get(pk=photo["id"]).review == "review"
    assert seen_by(api, member, shared_album) == []
    queue = staff_client.get("/admin/album/photoinreview/")
    assert queue.status_code == 200
    assert f"/admin/album/photoinreview/{photo['id']}/change/" in queue.content.decode()


def test_a_check_wechat_could_not_take_is_sent_again_when_its_backoff_is_over(
    api, wechat, settings, shared_album, contributor
):
    settings.PHOTO_CONTENT_CHECK = "wechat"
    wechat.expect_request("/cgi-bin/stable_token", method="POST").respond_with_json(
        {"access_token": "TOKEN-1", "expires_in": 7200}
    )
    answers = iter([{"errcode": -1, "errmsg": "system busy"}, {"errcode": 0, "trace_id": "late"}])
    wechat.expect_request(CHECK, method="POST").respond_with_handler(
        lambda request: Response(json.dumps(next(answers)))
    )
    photo = upload(api, contributor, shared_album)  # answered at once; WeChat was busy
    assert Photo.objects.get(pk=photo["id"]).check_trace_id == ""
    call_command("relay_outbox")  # the backoff (~5 s) is not over
    assert Photo.objects.get(pk=photo["id"]).check_trace_id == ""

    Message.objects.filter(state="pending").update(publish_at=timezone.now() - timedelta(seconds=1))
    call_command("relay_outbox")

    assert Photo.objects.get(pk=photo["id"]).check_trace_id == "late"
    assert Photo.objects.get(pk=photo["id"]).review == "pending"


def moderate(staff_client, action: str, *photo_ids: int, page="photoinreview"):
    """Select photos on an admin list (the moderation queue by default) and run an action."""
    return staff_client.post(
        f"/admin/album/{page}/",
        {"action": action, "_selected_action": [str(i) for i in photo_ids]},
    )


def test_staff_approve_and_reject_in_the_admin_and_rejected_files_go_after_retention(
    api, client, weixin, shared_album, contributor, member, staff, staff_client
):
    kept, dropped, third = (upload(api, contributor, shared_album) for _ in range(3))
    for photo in (kept, dropped, third):
        verdict(client, photo["id"], "review", label=21000)
    assert seen_by(api, member, shared_album) == []

    assert moderate(staff_client, "approve", kept["id"], third["id"]).status_code == 302
    assert moderate(staff_client, "reject", dropped["id"]).status_code == 302

    assert sorted(seen_by(api, member, shared_album)) == [kept["id"], third["id"]]
    assert seen_by(api, contributor, shared_album).count(dropped["id"]) == 1
    approved = LogEntry.objects.get(action="photo.approved", object_id=str(kept["id"]))
    assert (approved.actor, approved.actor_is_staff) == (staff, True)
    assert LogEntry.objects.filter(action="photo.rejected", actor=staff).count() == 1
    # A late verdict does not overrule staff.
    verdict(client, third["id"], "risky", label=20001)
    assert Photo.objects.get(pk=third["id"]).review == "approved"

    files = set(stored_keys())
    dropped_keys = set(Photo.objects.get(pk=dropped["id"]).object_keys)
    call_command("sweep_photo_reviews")
    assert Photo.objects.filter(pk=dropped["id"]).exists()  # within retention: kept
    Photo.objects.filter(pk=dropped["id"]).update(reviewed_at=timezone.now() - timedelta(days=31))
    call_command("sweep_photo_reviews")

    assert not Photo.objects.filter(pk=dropped["id"]).exists()
    assert set(stored_keys()) == files - dropped_keys
    assert Album.objects.get(pk=shared_album.pk).photo_count == 2


def test_the_cover_and_the_count_are_only_photos_others_may_see(
    api, client, weixin, shared_album, contributor, staff, staff_client
):
    first, second = upload(api, contributor, shared_album), upload(api, contributor, shared_album)
    verdict(client, first["id"], "pass")
    verdict(client, second["id"], "pass")
    assert Album.objects.get(pk=shared_album.pk).cover_id == first["id"]

    moderate(staff_client, "reject", first["id"], page="photo")  # passed: not in the queue

    album = Album.objects.get(pk=shared_album.pk)
    assert (album.cover_id, album.photo_count) == (second["id"], 1)
    pending = Photo.objects.get(pk=upload(api, contributor, shared_album)["id"])
    with pytest.raises(Invalid):
        services.album_update(album=album, actor=shared_album.owner, cover=pending)


def test_with_the_check_off_photos_are_seen_at_once_and_wechat_is_not_asked(
    api, wechat, shared_album, contributor, member
):
    photo = upload(api, contributor, shared_album)

    assert photo["review"] == "unchecked"
    assert photo["hidden_because"] is None
    assert seen_by(api, member, shared_album) == [photo["id"]]
    assert not [r for r, _ in wechat.log if r.path == CHECK]
    assert download(api, photo["urls"]["thumb"])


def test_a_photo_whose_check_is_not_in_the_outbox_is_sent_again_by_the_sweep_once(
    api, wechat, settings, shared_album, contributor
):
    settings.PHOTO_CONTENT_CHECK = "wechat"
    wechat.expect_request("/cgi-bin/stable_token", method="POST").respond_with_json(
        {"access_token": "TOKEN-1", "expires_in": 7200}
    )
    busy = {"errcode": -1, "errmsg": "busy"}
    answers = iter([busy, busy, {"errcode": 0, "trace_id": "swept"}])
    wechat.expect_request(CHECK, method="POST").respond_with_handler(
        lambda request: Response(json.dumps(next(answers)))
    )
    waiting = upload(api, contributor, shared_album)  # WeChat busy: its retry waits in the outbox
    lost = upload(api, contributor, shared_album)  # busy too, and its retry lost (pre-outbox)
    Message.objects.filter(task=reviews.CHECK_PHOTO, args=[lost["id"]]).delete()
    Photo.objects.update(created_at=timezone.now() - timedelta(minutes=11))

    call_command("sweep_photo_reviews")

    assert Photo.objects.get(pk=lost["id"]).check_trace_id == "swept"
    assert Photo.objects.get(pk=waiting["id"]).check_trace_id == ""  # left to its retry
    assert Message.objects.filter(task=reviews.CHECK_PHOTO, args=[waiting["id"]]).count() == 1


@pytest.mark.parametrize(("marker", "state"), [
    ("[sandbox-photo-pass]", "pass"), ("[sandbox-photo-risky]", "risky"),
    ("[sandbox-photo-review]", "review"),
])  # fmt: skip
def test_the_sandbox_gives_the_verdict_a_caption_asks_for_a_moment_later(
    api, owner, member, settings, marker, state
):
    settings.WECHAT_SANDBOX, settings.PHOTO_CONTENT_CHECK = True, "wechat"
    album = services.album_create(owner=owner, title="Trip", visibility="members")
    form = {"file": SimpleUploadedFile("p.jpg", pictures.jpeg(), "image/jpeg"),
            "caption": f"海边 {marker}"}  # fmt: skip
    made = api.as_user(owner).post(f"/api/v1/albums/{album.id}/photos", form, format="multipart")

    assert made.json()["review"] == "pending"
    deadline = time.monotonic() + 10
    while Photo.objects.get(pk=made.json()["id"]).review == "pending":
        assert time.monotonic() < deadline, "no verdict from the sandbox"
        time.sleep(0.1)
    assert Photo.objects.get(pk=made.json()["id"]).review == state
    assert LogEntry.objects.filter(action="photo.checked").count() == 1


def test_without_a_marker_the_sandbox_gives_no_verdict_as_wechat_sometimes_does(
    api, owner, settings
):
    settings.WECHAT_SANDBOX, settings.PHOTO_CONTENT_CHECK = True, "wechat"
    album = services.album_create(owner=owner, title="Trip", visibility="members")
    photo = upload(api, owner, album)

    time.sleep(1.5)  # past the sandbox's VERDICT_DELAY
    assert Photo.objects.get(pk=photo["id"]).review == "pending"
