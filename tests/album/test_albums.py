"""Albums and membership: who may see, change and delete what."""

import pytest

from album import services
from album.models import Album, Membership

ALBUMS = "/api/v1/albums"


def test_owner_creates_album_and_is_its_owner_member(api, owner):
    response = api.as_user(owner).post(
        ALBUMS, {"title": "Summer", "description": "Beach", "visibility": "private"}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "Summer"
    assert body["my_role"] == "owner"
    assert body["photo_count"] == 0
    assert body["owner"]["id"] == owner.id
    assert Membership.objects.get(album_id=body["id"]).role == "owner"


@pytest.mark.parametrize(
    "payload",
    [
        {"title": ""},
        {"title": "x" * 101},
        {"title": "ok", "visibility": "secret"},
        {"title": "ok", "description": "x" * 2001},
    ],
)
def test_create_rejects_bad_fields(api, owner, payload):
    response = api.as_user(owner).post(ALBUMS, payload, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not Album.objects.exists()


def test_my_albums_lists_owned_and_joined_only(api, owner, member, outsider, album):
    services.album_create(owner=outsider, title="Public other", visibility="public")

    def titles(user):
        return [a["title"] for a in api.as_user(user).get(ALBUMS).json()["results"]]

    assert titles(owner) == ["Trip"]
    assert titles(member) == ["Trip"]
    assert titles(outsider) == ["Public other"]


def test_album_list_is_cursor_paginated(api, owner):
    for i in range(3):
        services.album_create(owner=owner, title=f"A{i}", visibility="private")

    first = api.as_user(owner).get(ALBUMS, {"page_size": 2}).json()
    second = api.get(first["next"]).json()

    assert [a["title"] for a in first["results"]] == ["A2", "A1"]
    assert [a["title"] for a in second["results"]] == ["A0"]
    assert second["next"] is None


# (visibility, actor) -> status of GET /albums/{id}
VIEW_MATRIX = [
    ("private", "owner", 200),
    ("private", "member", 404),
    ("private", "outsider", 404),
    ("private", "anonymous", 401),
    ("members", "owner", 200),
    ("members", "member", 200),
    ("members", "outsider", 404),
    ("members", "anonymous", 401),
    ("public", "owner", 200),
    ("public", "member", 200),
    ("public", "outsider", 200),
    ("public", "anonymous", 401),
]


@pytest.mark.parametrize(("visibility", "actor", "expected"), VIEW_MATRIX)
def test_who_may_view_an_album(api, request, album, visibility, actor, expected):
    Album.objects.filter(pk=album.pk).update(visibility=visibility)

    response = api.as_user(request.getfixturevalue(actor)).get(f"{ALBUMS}/{album.id}")

    assert response.status_code == expected
    if expected != 200:
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("method", "actor", "expected"),
    [
        ("patch", "owner", 200),
        ("patch", "member", 403),
        ("patch", "outsider", 404),
        ("patch", "anonymous", 401),
        ("delete", "member", 403),
        ("delete", "outsider", 404),
        ("delete", "anonymous", 401),
        ("delete", "owner", 204),
    ],
)
def test_only_the_owner_edits_and_deletes(api, request, album, method, actor, expected):
    client = api.as_user(request.getfixturevalue(actor))

    response = getattr(client, method)(f"{ALBUMS}/{album.id}", {"title": "New"}, format="json")

    assert response.status_code == expected
    still_there = Album.objects.filter(pk=album.pk).first()
    if expected == 204:
        assert still_there is None
    elif expected == 200:
        assert still_there.title == "New"
    else:
        assert still_there.title == "Trip"


def test_owner_changes_visibility(api, owner, album):
    response = api.as_user(owner).patch(
        f"{ALBUMS}/{album.id}", {"visibility": "public"}, format="json"
    )

    assert response.json()["visibility"] == "public"


def test_members_see_who_joined(api, member, outsider, album):
    response = api.as_user(member).get(f"{ALBUMS}/{album.id}/members")

    assert response.status_code == 200
    roles = {m["user"]["nickname"]: m["role"] for m in response.json()["results"]}
    assert roles == {"owner": "owner", "member": "viewer"}
    assert "openid" not in response.json()["results"][0]["user"]
    assert api.as_user(outsider).get(f"{ALBUMS}/{album.id}/members").status_code == 404


@pytest.mark.parametrize(
    ("actor", "target", "expected"),
    [
        ("owner", "member", 204),
        ("member", "member", 204),  # leaving
        ("member", "contributor", 403),
        ("member", "owner", 400),
        ("owner", "owner", 400),
        ("outsider", "member", 404),
        ("anonymous", "member", 401),
    ],
)
def test_removing_members(api, request, shared_album, actor, target, expected):
    target_user = request.getfixturevalue(target)
    client = api.as_user(request.getfixturevalue(actor))

    response = client.delete(f"{ALBUMS}/{shared_album.id}/members/{target_user.id}")

    assert response.status_code == expected
    is_member = shared_album.memberships.filter(user=target_user).exists()
    assert is_member is (expected != 204)


def test_removed_member_loses_access(api, owner, member, album):
    api.as_user(owner).delete(f"{ALBUMS}/{album.id}/members/{member.id}")

    assert api.as_user(member).get(f"{ALBUMS}/{album.id}").status_code == 404


def test_joining_keeps_a_higher_role(album, member):
    services.member_join(album=album, user=member, role="contributor")
    services.member_join(album=album, user=member, role="viewer")

    assert album.memberships.get(user=member).role == "contributor"


def test_every_write_is_throttled_per_user_and_reads_are_not(api, owner, member, album):
    edits = [
        api.as_user(owner).patch(f"{ALBUMS}/{album.id}", {"title": f"Take {n}"}, format="json")
        for n in range(61)
    ]

    assert [e.status_code for e in edits[:60]] == [200] * 60
    assert edits[60].status_code == 429
    assert edits[60].json()["code"] == "throttled"
    assert int(edits[60]["Retry-After"]) > 0
    assert api.as_user(owner).get(f"{ALBUMS}/{album.id}").status_code == 200
    assert (
        api.as_user(member).patch("/api/v1/me", {"nickname": "m"}, format="json").status_code == 200
    )


def test_a_page_header_reads_only_the_fields_it_asks_for(api, owner, member, album):
    header = api.as_user(member).get(f"{ALBUMS}/{album.pk}?fields=title, photo_count,cover_url")
    counted = api.as_user(member).get(f"{ALBUMS}/{album.pk}?fields=member_count")

    assert header.status_code == 200
    assert header.json() == {"id": album.pk, "title": "Trip", "photo_count": 0, "cover_url": None}
    assert header["ETag"] == api.as_user(member).get(f"{ALBUMS}/{album.pk}")["ETag"]
    assert counted.json() == {"id": album.pk, "member_count": 2}


def test_the_owner_reads_a_held_title_in_a_light_read_too(api, owner, album):
    Album.objects.filter(pk=album.pk).update(held_title="新标题")

    header = api.as_user(owner).get(f"{ALBUMS}/{album.pk}?fields=title,held").json()

    assert header == {"id": album.pk, "title": "新标题", "held": ["title"]}


@pytest.mark.parametrize("fields", ["title,secret", "", "title,,held"])
def test_asking_for_a_field_there_is_not_is_refused_naming_it(api, owner, album, fields):
    answer = api.as_user(owner).get(f"{ALBUMS}/{album.pk}", {"fields": fields})

    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"
    assert list(answer.json()["errors"]) == ["fields"]
