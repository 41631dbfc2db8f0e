"""Every link's mini-program code: asked of WeChat (a local stand-in) once, in the background
after the link is created, kept in storage and served many times without asking again."""

import json
import time

import pytest
from django.utils import timezone
from werkzeug import Response

from audit.models import LogEntry
from shortlinks.models import ShortLink
from tests.factories import AlbumFactory, ShareFactory

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN_PATH = "/cgi-bin/stable_token"
CODE_PATH = "/wxa/getwxacodeunlimit"
JPEG = b"\xff\xd8\xff\xe0" + b"wxacode-bytes" * 50


@pytest.fixture
def weixin(wechat, local_photos, settings):
    """WeChat's token endpoint; each test says what getwxacodeunlimit answers."""
    settings.WXACODE_ENV_VERSION = "trial"
    credentials = {"grant_type": "client_credential", "appid": "wx-app", "secret": "wx-secret"}
    for force, token in ((False, "TOKEN-1"), (True, "TOKEN-2")):
        wechat.expect_request(
            TOKEN_PATH, method="POST", json={**credentials, "force_refresh": force}
        ).respond_with_json({"access_token": token, "expires_in": 7200})
    return wechat


def code_calls(server) -> list:
    return [request for request, _ in server.log if request.path == CODE_PATH]


def image(data=JPEG, content_type="image/jpeg"):
    return Response(data, content_type=content_type)


def errcode(number: int):
    return Response(json.dumps({"errcode": number, "errmsg": "x"}), content_type="application/json")


def test_sharing_makes_one_code_whose_scene_is_the_code(weixin, owner, client):
    weixin.expect_request(CODE_PATH, method="POST").respond_with_response(image())

    share = ShareFactory(album=AlbumFactory(owner=owner))
    served = [client.get(f"/s/{share.code}/wxacode") for _ in range(5)]

    calls = code_calls(weixin)
    assert len(calls) == 1
    assert calls[0].args["access_token"] == "TOKEN-1"
    assert json.loads(calls[0].data) == {
        "scene": share.code, "page": "pages/album/index", "env_version": "trial",
        "width": 430, "check_path": True,
    }  # fmt: skip
    assert {r.status_code for r in served} == {200}
    assert served[0].content == JPEG
    assert served[0]["Content-Type"] == "image/jpeg"
    assert "immutable" in served[0]["Cache-Control"]
    again = client.get(f"/s/{share.code}/wxacode", HTTP_IF_NONE_MATCH=served[0]["ETag"])
    assert again.status_code == 304
    assert LogEntry.objects.filter(action="shortlink.wxacode_made").count() == 1


def test_the_link_json_names_its_code_image(api, owner):
    album = AlbumFactory(owner=owner)

    share = api.as_user(owner).post(f"/api/v1/albums/{album.pk}/share", {"role": "viewer"})

    assert share.json()["wxacode"].endswith(f"/s/{share.json()['code']}/wxacode")


def test_an_invalid_token_is_refreshed_once_and_the_code_made(weixin, owner, client):
    weixin.expect_oneshot_request(CODE_PATH, method="POST").respond_with_response(errcode(40001))
    weixin.expect_request(CODE_PATH, method="POST").respond_with_response(image())

    share = ShareFactory(album=AlbumFactory(owner=owner))

    calls = code_calls(weixin)
    assert [c.args["access_token"] for c in calls] == ["TOKEN-1", "TOKEN-2"]
    refreshes = [r for r, _ in weixin.log if r.path == TOKEN_PATH and r.json["force_refresh"]]
    assert len(refreshes) == 1
    assert client.get(f"/s/{share.code}/wxacode").content == JPEG


@pytest.mark.parametrize("busy", [45009, -1])
def test_quota_or_busy_is_503_with_retry_after_and_later_it_works(weixin, owner, client, busy):
    weixin.expect_oneshot_request(CODE_PATH, method="POST").respond_with_response(errcode(busy))
    weixin.expect_oneshot_request(CODE_PATH, method="POST").respond_with_response(errcode(busy))
    weixin.expect_request(CODE_PATH, method="POST").respond_with_response(image())
    share = ShareFactory(album=AlbumFactory(owner=owner))  # the background attempt: busy

    first = client.get(f"/s/{share.code}/wxacode")  # busy again
    later = client.get(f"/s/{share.code}/wxacode")

    assert first.status_code == 503
    assert first.json()["code"] == "wechat_unavailable"
    assert int(first["Retry-After"]) > 0
    assert later.status_code == 200
    assert len(code_calls(weixin)) == 3


@pytest.mark.parametrize("refused", [41030, 40129])
def test_a_refused_code_is_kept_for_staff_and_not_asked_again(weixin, owner, client, refused):
    weixin.expect_request(CODE_PATH, method="POST").respond_with_response(errcode(refused))
    share = ShareFactory(album=AlbumFactory(owner=owner))

    answers = [client.get(f"/s/{share.code}/wxacode") for _ in range(3)]

    assert {a.status_code for a in answers} == {503}
    assert len(code_calls(weixin)) == 1
    assert ShortLink.objects.get(pk=share.pk).wxacode_error.startswith(str(refused))
    assert LogEntry.objects.get(action="shortlink.wxacode_refused").data["errcode"] == refused


def test_codes_stay_within_the_minutes_allowance(weixin, owner, client, settings):
    settings.WXACODE_PER_MINUTE = 2
    if time.time() % 60 > 55:  # the allowance is per minute: start well inside one
        time.sleep(60 - time.time() % 60 + 0.1)
    weixin.expect_request(CODE_PATH, method="POST").respond_with_response(image())
    album = AlbumFactory(owner=owner)

    shares = [ShareFactory(album=album, role=role) for role in ("viewer", "contributor")]
    third = LinkFactoryWithoutAlbum(owner)
    waiting = client.get(f"/s/{third.code}/wxacode")

    assert len(code_calls(weixin)) == 2
    assert all(ShortLink.objects.get(pk=s.pk).wxacode_key for s in shares)
    assert waiting.status_code == 503
    assert 0 < int(waiting["Retry-After"]) <= 61


def LinkFactoryWithoutAlbum(owner):  # noqa: N802 (reads like the factories)
    from tests.factories import LinkFactory

    return LinkFactory(creator=owner)


def test_unknown_revoked_and_private_links_have_no_code(weixin, owner, client):
    weixin.expect_request(CODE_PATH, method="POST").respond_with_response(image())
    share = ShareFactory(album=AlbumFactory(owner=owner))
    ShortLink.objects.filter(pk=share.pk).update(revoked_at=timezone.now())

    assert client.get("/s/" + "1" * 32 + "/wxacode").status_code == 404
    assert client.get(f"/s/{share.code}/wxacode").status_code == 410


def test_the_sandbox_makes_a_marked_image_locally(owner, client, settings, local_photos):
    import io

    import zxingcpp
    from PIL import Image

    settings.WECHAT_SANDBOX = True
    share = ShareFactory(album=AlbumFactory(owner=owner))

    response = client.get(f"/s/{share.code}/wxacode")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    picture = Image.open(io.BytesIO(response.content))
    assert picture.size == (430, 430)
    assert picture.getpixel((2, 2)) == (200, 0, 0)  # the red SANDBOX banner
    # The banner is beside the code, not over it: a camera still reads it.
    read = zxingcpp.read_barcodes(picture)
    assert [r.text for r in read] == [
        f"sandbox wxacode scene={share.code} page=pages/album/index"
    ]  # fmt: skip


def test_the_domain_verification_file_is_served(client, settings):
    settings.WECHAT_VERIFY_FILES = {"5Yy7qW2pQz.txt": "f2a9c0b7e1d34c56"}

    served = client.get("/5Yy7qW2pQz.txt")
    # The plain-QR rule on https://<domain>/S/ wants the file in that last folder.
    in_rule_folder = [client.get(f"/{folder}/5Yy7qW2pQz.txt") for folder in ("S", "s")]
    other = client.get("/other.txt")

    assert served.status_code == 200
    assert served["Content-Type"] == "text/plain; charset=utf-8"
    assert served.content == b"f2a9c0b7e1d34c56"
    assert [(r.status_code, r.content) for r in in_rule_folder] == [(200, b"f2a9c0b7e1d34c56")] * 2
    assert other.status_code == 404


def test_make_wxacodes_makes_what_is_missing_and_can_run_again(weixin, owner, settings):
    from django.core.management import call_command

    from shortlinks import services

    weixin.expect_request(CODE_PATH, method="POST").respond_with_response(image())
    # Links made while WeChat was down (quota): none has its code yet.
    settings.WXACODE_PER_MINUTE = 0
    links = [services.shortlink_create(creator=owner, page="pages/a/index", params={"n": n})
             for n in range(3)]  # fmt: skip
    assert code_calls(weixin) == []
    settings.WXACODE_PER_MINUTE = 4000

    call_command("make_wxacodes", batch=2)
    call_command("make_wxacodes")  # again: nothing left to make

    assert len(code_calls(weixin)) == 3
    assert all(ShortLink.objects.get(pk=link.pk).wxacode_key for link in links)


def test_a_code_wechat_made_while_the_bucket_was_down_is_stored_later_without_asking_again(
    weixin, owner, client, settings, unused_port
):
    from django.core.management import call_command

    from outbox.models import Message
    from tests.album.test_storage_outage import bucket_settings

    weixin.expect_request(CODE_PATH, method="POST").respond_with_response(image())
    working = settings.STORAGES
    settings.STORAGES = bucket_settings(working, unused_port)  # nothing answers there

    share = ShareFactory(album=AlbumFactory(owner=owner))

    assert not ShortLink.objects.get(pk=share.pk).wxacode_key
    assert Message.objects.get(task="shortlinks.make_wxacode").state == "pending"  # a retry
    settings.STORAGES = working
    Message.objects.filter(state="pending").update(publish_at=timezone.now())
    call_command("relay_outbox")

    assert len(code_calls(weixin)) == 1
    assert client.get(f"/s/{share.code}/wxacode").content == JPEG
    assert ShortLink.objects.get(pk=share.pk).wxacode_received is None
    assert LogEntry.objects.filter(action="shortlink.wxacode_made").count() == 1
