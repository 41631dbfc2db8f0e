"""What a phone camera outside WeChat opens: the landing page and the QR images."""

import pytest
from django.utils import timezone

from album import services as album_services
from shortlinks.models import ShortLink
from tests.shortlinks.test_codes_and_qr import decode


def test_landing_page_shows_the_shared_album(client, album, share, settings):
    response = client.get(f"/s/{share.code}", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert "Family" in html
    assert "Shared by owner" in html
    assert f'src="/s/{share.code}/qr.svg"' in html
    assert f'src="/s/{share.code}/wxacode"' in html
    assert '<meta property="og:title" content="Family">' in html
    assert "WeChat" in html
    # The page names its canonical short URL, and nothing loads from outside this server.
    canonical = f'<meta property="og:url" content="{settings.SHORTLINK_BASE_URL}/s/{share.code}">'
    assert canonical in html
    assert "http://" not in html.replace(canonical, "")
    assert "https://" not in html.replace(canonical, "")


def test_landing_page_answers_the_upper_case_qr_path(client, share):
    assert client.get(f"/S/{share.code}").status_code == 200
    assert client.get(f"/S/{share.code.lower()}").status_code == 200


def test_an_album_made_private_leaves_its_landing_page_and_resolve_at_once(
    client, api, album, owner, share, django_capture_on_commit_callbacks
):
    assert "Family" in client.get(f"/s/{share.code}").content.decode()  # now in the cache
    with django_capture_on_commit_callbacks(execute=True):
        album_services.album_update(album=album, actor=owner, visibility="private")

    page = client.get(f"/s/{share.code}")
    resolved = api.get(f"/api/v1/shortlinks/{share.code}")

    assert page.status_code == 404
    assert "Family" not in page.content.decode()
    assert resolved.status_code == 404


def test_a_rendered_page_is_kept_per_language_and_browser_and_renewed_by_changes(
    client, album, owner, share, django_capture_on_commit_callbacks
):
    english = client.get(f"/s/{share.code}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get(f"/s/{share.code}", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    wechat_browser = "Mozilla/5.0 MicroMessenger/8.0"
    in_wechat = client.get(
        f"/s/{share.code}", HTTP_ACCEPT_LANGUAGE="en", HTTP_USER_AGENT=wechat_browser
    ).content.decode()
    assert 'lang="en"' in english
    assert 'lang="zh-hans"' in chinese
    assert in_wechat != english  # WeChat's browser is told to long-press the code

    with django_capture_on_commit_callbacks(execute=True):
        album_services.album_update(album=album, actor=owner, title="Family, renamed")

    for language in ("en", "zh-CN"):
        page = client.get(f"/s/{share.code}", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert "Family, renamed" in page


def test_a_deleted_album_leaves_its_landing_page_at_once(
    client, album, owner, share, django_capture_on_commit_callbacks
):
    assert client.get(f"/s/{share.code}").status_code == 200  # now in the cache
    with django_capture_on_commit_callbacks(execute=True):
        album_services.album_delete(album=album, actor=owner)

    assert client.get(f"/s/{share.code}").status_code == 404


def test_revoked_link_gets_a_friendly_410(client, share):
    ShortLink.objects.filter(pk=share.pk).update(revoked_at=timezone.now())

    response = client.get(f"/s/{share.code}", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 410
    assert "no longer available" in response.content.decode()
    assert "Family" not in response.content.decode()


def test_unknown_code_gets_a_friendly_404(client, db):
    response = client.get("/s/" + "0" * 32, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert "Link not found" in response.content.decode()


def test_qr_png_decodes_to_the_upper_case_short_link(client, link):
    response = client.get(f"/s/{link.code}/qr.png", {"size": 300, "ec": "Q"})

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert decode(response.content) == f"HTTPS://WX.EXAMPLE.COM/S/{link.code}"


def test_qr_is_immutable_with_a_strong_etag(client, link):
    first = client.get(f"/s/{link.code}/qr.svg")
    again = client.get(f"/s/{link.code}/qr.svg", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["Content-Type"] == "image/svg+xml"
    assert first["Cache-Control"] == "public, max-age=31536000, immutable"
    assert first["ETag"].startswith('"')
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_a_scan_without_options_gets_the_image_of_the_default_options(client, link):
    plain = client.get(f"/s/{link.code}/qr.png")
    spelt_out = client.get(f"/s/{link.code}/qr.png", {"size": 400, "margin": 4, "ec": "M"})

    assert plain.status_code == spelt_out.status_code == 200
    assert plain["ETag"] == spelt_out["ETag"]
    assert plain.content == spelt_out.content


def test_qr_options_change_the_image(client, link):
    small = client.get(f"/s/{link.code}/qr.png", {"size": 100})
    big = client.get(f"/s/{link.code}/qr.png", {"size": 500})

    assert small["ETag"] != big["ETag"]


@pytest.mark.parametrize(
    "query",
    [{"size": 63}, {"size": 1025}, {"size": "big"}, {"margin": 17}, {"margin": -1}, {"ec": "X"},
     {"size": [200, 900]}, {"ec": ["L", "H"]}, {"ec": ""}, {"size": ""}],
)  # fmt: skip
def test_bad_qr_options_are_400(client, link, query):
    response = client.get(f"/s/{link.code}/qr.png", query)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["errors"]) == set(query)


def test_qr_of_revoked_or_unknown_link(client, link):
    ShortLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())

    assert client.get(f"/s/{link.code}/qr.png").status_code == 410
    assert client.get("/s/" + "1" * 32 + "/qr.png").status_code == 404


@pytest.mark.parametrize("accept", ["", "zh-CN,zh;q=0.9", "fr-FR", "*"])
def test_the_pages_speak_chinese_unless_english_is_asked_for(client, share, accept):
    page = client.get(f"/s/{share.code}", HTTP_ACCEPT_LANGUAGE=accept)
    missing = client.get("/s/" + "0" * 32, HTTP_ACCEPT_LANGUAGE=accept)

    assert page["Content-Language"] == "zh-hans"
    assert "分享" in page.content.decode()
    assert '<html lang="zh-hans">' in page.content.decode()
    assert "找不到此链接" in missing.content.decode()


def test_open_in_wechat_carries_the_app_the_page_and_the_code_as_scene(client, share, settings):
    from html import unescape
    from urllib.parse import parse_qs, urlsplit

    settings.WECHAT_APP_ID = "wx0123456789abcdef"
    settings.WXACODE_ENV_VERSION = "trial"

    html = client.get(f"/s/{share.code}").content.decode()

    href = unescape(html.split('class="open" href="', 1)[1].split('"', 1)[0])
    url = urlsplit(href)
    assert (url.scheme, url.netloc, url.path) == ("weixin", "dl", "/business/")
    query = parse_qs(url.query)
    assert query == {"appid": ["wx0123456789abcdef"], "path": ["pages/album/index"],
                     "query": [f"scene={share.code}"], "env_version": ["trial"]}  # fmt: skip
    assert "在微信中打开" in html


def test_inside_wechat_the_page_says_to_long_press_the_code(client, share, settings):
    settings.WECHAT_APP_ID = "wx0123456789abcdef"
    wechat_browser = "Mozilla/5.0 (Linux; Android 14) MicroMessenger/8.0.50"

    html = client.get(f"/s/{share.code}", HTTP_USER_AGENT=wechat_browser).content.decode()

    assert "长按下方小程序码" in html
    assert 'class="open"' not in html


@pytest.mark.parametrize("path", ["/s/{code}", "/s/{code}/qr.png", "/s/{code}/wxacode"])
def test_pages_take_only_get(share, path):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)

    response = browser.delete(path.format(code=share.code))

    assert response.status_code == 405


def test_a_photo_added_to_the_album_renews_its_page_but_scans_still_need_no_database(
    api, client, album, owner, share, local_photos, django_capture_on_commit_callbacks,
    django_assert_num_queries,
):  # fmt: skip
    from tests.album import pictures

    assert api.get(f"/api/v1/shortlinks/{share.code}").status_code == 200  # now in the cache
    assert 'class="cover"' not in client.get(f"/s/{share.code}").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        album_services.photo_upload(album=album, uploader=owner, data=pictures.jpeg())

    with django_assert_num_queries(0):  # the database could be down: the link still opens
        assert api.get(f"/api/v1/shortlinks/{share.code}").status_code == 200
    assert 'class="cover"' in client.get(f"/s/{share.code}").content.decode()  # the new cover


def test_the_last_counted_visit_closes_the_landing_page_and_images_at_once(
    api, client, owner, django_capture_on_commit_callbacks
):
    from tests.factories import LinkFactory

    link = LinkFactory(creator=owner, max_visits=2)
    shown = [client.get(f"/s/{link.code}"), client.get(f"/s/{link.code}/qr.png")]  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        visits = [api.get(f"/api/v1/shortlinks/{link.code}").status_code for _ in range(3)]

    assert [r.status_code for r in shown] == [200, 200]
    assert visits == [200, 200, 410]
    assert client.get(f"/s/{link.code}").status_code == 410
    assert client.get(f"/s/{link.code}/qr.png").status_code == 410
