"""The owner's share links with limits: a share with an expiry or a visit cap is a new link
each time; the album's links are listed for its owner; limits are changed, and enforced on the
next scan."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import LogEntry
from shortlinks.models import ShortLink

pytestmark = pytest.mark.django_db


def share(api, owner, album, **options):
    return api.as_user(owner).post(f"/api/v1/albums/{album.pk}/share",
                                   {"role": "viewer", **options}, format="json")  # fmt: skip


def test_a_share_with_limits_is_a_new_link_with_them_each_time(api, owner, album):
    plain = share(api, owner, album).json()
    expires = (timezone.now() + timedelta(days=7)).isoformat()
    first = share(api, owner, album, expires_at=expires, max_visits=3)
    second = share(api, owner, album, max_visits=3)

    assert (first.status_code, second.status_code) == (201, 201)
    assert len({plain["code"], first.json()["code"], second.json()["code"]}) == 3
    assert first.json()["max_visits"] == 3
    assert first.json()["expires_at"] is not None
    assert share(api, owner, album).json()["code"] == plain["code"]  # the plain one, again


def test_a_visit_cap_is_enforced_on_the_scans(api, owner, album, outsider):
    code = share(api, owner, album, max_visits=1).json()["code"]

    first = api.as_user(outsider).get(f"/api/v1/shortlinks/{code}")
    second = api.as_user(outsider).get(f"/api/v1/shortlinks/{code}")

    assert first.status_code == 200
    assert (second.status_code, second.json()["code"]) == (410, "used_up")


def test_the_owner_lists_the_albums_links_revoked_ones_too(api, owner, album):
    kept = share(api, owner, album).json()["code"]
    gone = share(api, owner, album, max_visits=9).json()["code"]
    api.as_user(owner).delete(f"/api/v1/shortlinks/{gone}")

    listed = api.as_user(owner).get(f"/api/v1/albums/{album.pk}/links").json()["results"]

    assert [link["code"] for link in listed] == [gone, kept]  # newest first
    assert listed[0]["revoked_at"] is not None
    assert listed[0]["max_visits"] == 9
    assert listed[1]["revoked_at"] is None


def test_changed_limits_apply_to_the_next_scan(api, owner, album, outsider):
    code = share(api, owner, album).json()["code"]
    past_soon = (timezone.now() + timedelta(seconds=1)).isoformat()

    changed = api.as_user(owner).put(
        f"/api/v1/shortlinks/{code}", {"expires_at": past_soon, "max_visits": None}, format="json"
    )
    ShortLink.objects.filter(code=code).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert changed.status_code == 200
    assert api.as_user(outsider).get(f"/api/v1/shortlinks/{code}").json()["code"] == "expired"
    assert LogEntry.objects.filter(action="shortlink.updated").count() == 1


def test_limits_in_the_past_or_on_a_revoked_link_are_refused(api, owner, album):
    code = share(api, owner, album).json()["code"]
    past = api.as_user(owner).put(
        f"/api/v1/shortlinks/{code}", {"expires_at": "2020-01-01T00:00:00Z"}, format="json"
    )
    api.as_user(owner).delete(f"/api/v1/shortlinks/{code}")
    revoked = api.as_user(owner).put(f"/api/v1/shortlinks/{code}", {"max_visits": 5},
                                     format="json")  # fmt: skip

    assert (past.status_code, past.json()["code"]) == (400, "invalid")
    assert (revoked.status_code, revoked.json()["code"]) == (410, "revoked")
    assert ShortLink.objects.get(code=code).max_visits is None
