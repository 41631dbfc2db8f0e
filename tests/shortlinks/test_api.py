"""Short links over the API: create, resolve, join by scanning, revoke."""

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from album.models import Membership
from shortlinks.models import ShortLink

LINKS = "/api/v1/shortlinks"


def test_create_stores_metadata_under_a_code(api, owner):
    response = api.as_user(owner).post(
        LINKS, {"page": "pages/event/index", "params": {"id": 7, "t": "春"}}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert len(body["code"]) == 32
    assert body["url"] == f"https://wx.example.com/s/{body['code']}"
    assert body["qr_png"].endswith(f"/s/{body['code']}/qr.png")
    assert body["params"] == {"id": 7, "t": "春"}
    assert body["visit_count"] == 0
    assert ShortLink.objects.get(code=body["code"]).creator == owner


def test_params_over_2kb_are_413(api, owner):
    response = api.as_user(owner).post(
        LINKS, {"page": "pages/a", "params": {"x": "y" * 2100}}, format="json"
    )

    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert not ShortLink.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"page": ""},
        {"page": "x" * 129},
        {"page": "https://evil.example.com/"},
        {"page": "pages/a", "params": [1, 2]},
        {"page": "pages/a", "max_visits": 0},
        {"page": "pages/a", "expires_at": "2000-01-01T00:00:00Z"},
    ],
)
def test_create_rejects_bad_fields(api, owner, payload):
    response = api.as_user(owner).post(LINKS, payload, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_anonymous_cannot_create(api, db):
    assert api.post(LINKS, {"page": "pages/a"}, format="json").status_code == 401


def test_creation_is_throttled(api, owner):
    api.as_user(owner)
    statuses = [api.post(LINKS, {"page": "pages/a"}, format="json").status_code for _ in range(31)]

    assert statuses.count(201) == 30
    assert statuses[-1] == 429


def test_anyone_resolves_in_any_case_and_with_lookalikes(api, link):
    mangled = link.code.lower().replace("0", "o").replace("1", "l")

    response = api.get(f"{LINKS}/{mangled}")

    assert response.status_code == 200
    assert response.json()["page"] == "pages/event/index"
    assert response.json()["params"] == {"id": 7}


def test_a_resolve_answers_exactly_what_drfs_fields_would_write(api, owner):
    from rest_framework import serializers

    from shortlinks.selectors import meta_of
    from shortlinks.serializers import ShortLinkSerializer, public_urls

    link = ShortLink.objects.create(
        code="7" * 32, creator=owner, page="pages/p/index", params={"名": "相册", "n": [1, 2.5]},
        expires_at=timezone.now() + timedelta(days=3, microseconds=7), max_visits=None,
    )  # fmt: skip
    meta = {**meta_of(link), **public_urls(link.code)}
    by_fields = serializers.Serializer.to_representation(ShortLinkSerializer(), meta)

    response = api.get(f"{LINKS}/{link.code}")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == by_fields


@pytest.mark.parametrize("code", ["0" * 32, "short", "U" * 32, "A" * 40])
def test_unknown_or_malformed_code_is_404(api, db, code):
    response = api.get(f"{LINKS}/{code}")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_expired_link_is_410(api, link):
    ShortLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = api.get(f"{LINKS}/{link.code}")

    assert response.status_code == 410
    assert response.json()["code"] == "expired"


def test_max_visits_are_counted_exactly(api, owner):
    code = api.as_user(owner).post(LINKS, {"page": "pages/a", "max_visits": 3}, format="json")
    code = code.json()["code"]
    api.as_user(None)

    statuses = [api.get(f"{LINKS}/{code}").status_code for _ in range(5)]

    assert statuses == [200, 200, 200, 410, 410]
    assert api.get(f"{LINKS}/{code}").json()["code"] == "used_up"
    assert ShortLink.objects.get(code=code).visit_count == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_resolves_never_exceed_max_visits(owner):
    from rest_framework.test import APIClient

    from shortlinks import services

    link = services.shortlink_create(creator=owner, page="pages/a", params={}, max_visits=10)
    results: list[int] = []
    lock = threading.Lock()

    def scan():
        client = APIClient()
        for _ in range(5):
            status = client.get(f"{LINKS}/{link.code}").status_code
            with lock:
                results.append(status)
        connection.close()

    threads = [threading.Thread(target=scan) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert results.count(200) == 10
    assert set(results) == {200, 410}
    assert ShortLink.objects.get(pk=link.pk).visit_count == 10


def test_visits_are_counted_off_the_database_and_flushed(api, link, django_assert_num_queries):
    api.get(f"{LINKS}/{link.code}")  # warms the metadata cache (and runs the periodic flush)
    with django_assert_num_queries(0):
        for _ in range(4):
            assert api.get(f"{LINKS}/{link.code}").status_code == 200

    call_command("flush_visits")

    link.refresh_from_db()
    assert link.visit_count == 5
    assert link.last_visited_at is not None


@pytest.mark.django_db(transaction=True)
def test_concurrent_flushes_lose_and_double_nothing(link):
    from shortlinks import services
    from shortlinks.counters import get_counters

    counters = get_counters()
    for _ in range(500):
        counters.add(link.code)

    def flush():
        for _ in range(3):
            services.visits_flush()
            counters.add(link.code)
        connection.close()

    threads = [threading.Thread(target=flush) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    services.visits_flush()

    link.refresh_from_db()
    assert link.visit_count == 500 + 4 * 3


@pytest.mark.parametrize(("actor", "expected"), [("outsider", 403), ("member", 403)])
def test_only_the_creator_revokes(api, request, link, actor, expected):
    response = api.as_user(request.getfixturevalue(actor)).delete(f"{LINKS}/{link.code}")

    assert response.status_code == expected
    assert api.get(f"{LINKS}/{link.code}").status_code == 200


def test_revoked_link_is_410_at_once(api, owner, link, django_capture_on_commit_callbacks):
    api.get(f"{LINKS}/{link.code}")  # cached as live

    with django_capture_on_commit_callbacks(execute=True):
        assert api.as_user(owner).delete(f"{LINKS}/{link.code}").status_code == 204

    response = api.as_user(None).get(f"{LINKS}/{link.code}")
    assert response.status_code == 410
    assert response.json()["code"] == "revoked"
    again = api.as_user(owner).delete(f"{LINKS}/{link.code}")
    assert (again.status_code, again.json()["code"]) == (410, "revoked")


# --- Album shares -----------------------------------------------------------------------


def share_url(album):
    return f"/api/v1/albums/{album.id}/share"


def test_owner_shares_and_gets_the_same_live_link_again(api, owner, album):
    first = api.as_user(owner).post(share_url(album), {"role": "contributor"}, format="json")
    again = api.post(share_url(album), {"role": "contributor"}, format="json")
    viewer = api.post(share_url(album), {"role": "viewer"}, format="json")

    assert (first.status_code, again.status_code, viewer.status_code) == (201, 200, 201)
    assert first.json()["code"] == again.json()["code"] != viewer.json()["code"]
    assert first.json()["kind"] == "album_share"
    assert first.json()["params"] == {"album_id": album.id}


def test_a_revoked_share_is_replaced(api, owner, album, share, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api.as_user(owner).delete(f"{LINKS}/{share.code}")

    response = api.post(share_url(album), {"role": "viewer"}, format="json")

    assert response.status_code == 201
    assert response.json()["code"] != share.code


@pytest.mark.parametrize(("actor", "expected"), [("member", 403), ("outsider", 404)])
def test_only_the_owner_shares(api, request, album, actor, expected):
    response = api.as_user(request.getfixturevalue(actor)).post(share_url(album), {}, format="json")

    assert response.status_code == expected
    assert not ShortLink.objects.exists()


def test_private_albums_cannot_be_shared(api, owner, album):
    album.visibility = "private"
    album.save()

    response = api.as_user(owner).post(share_url(album), {}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "album_private"


def test_scanning_a_share_joins_the_album_once(api, outsider, album, share):
    first = api.as_user(outsider).get(f"{LINKS}/{share.code}")
    again = api.get(f"{LINKS}/{share.code}")

    assert first.status_code == again.status_code == 200
    membership = Membership.objects.get(album=album, user=outsider)
    assert membership.role == "viewer"
    assert membership.via_link_id == share.id
    assert api.get(f"/api/v1/albums/{album.id}").status_code == 200


def test_scanning_keeps_a_higher_role(api, member, album, owner):
    from shortlinks import services

    Membership.objects.filter(album=album, user=member).update(role="contributor")
    link, _ = services.album_share(album=album, actor=owner, role="viewer")

    api.as_user(member).get(f"{LINKS}/{link.code}")

    assert Membership.objects.get(album=album, user=member).role == "contributor"


def test_anonymous_scan_gets_metadata_but_joins_nothing(api, album, share):
    response = api.get(f"{LINKS}/{share.code}")

    assert response.status_code == 200
    assert response.json()["album_id"] == album.id
    assert album.memberships.count() == 2


def test_the_album_owner_revokes_a_share(api, owner, share):
    assert api.as_user(owner).delete(f"{LINKS}/{share.code}").status_code == 204


def test_a_private_albums_link_does_not_exist_for_others_revoking_it(
    api, owner, member, album, share
):
    from album import services as album_services

    album_services.album_update(album=album, actor=owner, visibility="private")

    response = api.as_user(member).delete(f"{LINKS}/{share.code}")

    assert response.status_code == 404


def test_a_stale_token_on_a_scan_is_ignored_and_the_link_opens(api, owner, db):
    from tests.factories import LinkFactory

    link = LinkFactory(creator=owner)
    api.credentials(HTTP_AUTHORIZATION="Bearer expired-or-forged-token")

    response = api.get(f"/api/v1/shortlinks/{link.code}")

    assert response.status_code == 200
    assert response.json()["code"] == link.code


def test_head_on_a_share_counts_no_visit_and_joins_nobody(api, owner, outsider, db):
    from album.models import Membership
    from tests.factories import AlbumFactory, LinkFactory, ShareFactory

    share = ShareFactory(album=AlbumFactory(owner=owner))
    limited = LinkFactory(creator=owner, max_visits=1)

    looks = [api.as_user(outsider).head(f"/api/v1/shortlinks/{share.code}") for _ in range(2)]
    limited_looks = [api.head(f"/api/v1/shortlinks/{limited.code}") for _ in range(3)]

    assert [r.status_code for r in looks + limited_looks] == [200] * 5
    assert not Membership.objects.filter(user=outsider).exists()
    assert ShortLink.objects.get(pk=limited.pk).visit_count == 0
    assert api.get(f"/api/v1/shortlinks/{limited.code}").status_code == 200  # the one visit
