"""Every text a user writes goes one way: cleaned (moderation.text), then, with
CONTENT_CHECK=wechat, sent to msgSecCheck with its author's openid and its field's scene."""

import json

import pytest

from accounts.models import User
from album.models import Album, Photo
from comments.models import Comment
from moderation import text
from tests.conftest import CHECK_PATH, verdict
from tests.factories import AlbumFactory, PhotoFactory


@pytest.fixture
def album(owner, member):
    return AlbumFactory(owner=owner, title="Dali", members=[member])


@pytest.fixture
def photo(album, owner):
    return PhotoFactory(album=album, uploader=owner, caption="Lake")


# Each field as the API writes it: (method, path, body of one field, where it is stored).
FIELDS = {
    "nickname": ("patch", "/api/v1/me", lambda u, a, p: u.nickname),
    "title": ("patch", "/api/v1/albums/{album}", lambda u, a, p: a.title),
    "description": ("patch", "/api/v1/albums/{album}", lambda u, a, p: a.description),
    "caption": ("patch", "/api/v1/photos/{photo}", lambda u, a, p: p.caption),
    "body": ("post", "/api/v1/photos/{photo}/comments", None),
}


def write(api, owner, album, photo, field, value):
    method, path, _ = FIELDS[field]
    path = path.format(album=album.pk, photo=photo.pk)
    return getattr(api.as_user(owner), method)(path, {field: value}, format="json")


def stored(owner, album, photo, field):
    owner.refresh_from_db()
    album.refresh_from_db()
    photo.refresh_from_db()
    if field == "body":
        return list(Comment.objects.values_list("body", flat=True))
    return FIELDS[field][2](owner, album, photo)


@pytest.mark.parametrize("field", list(FIELDS))
@pytest.mark.parametrize(
    "value",
    ["\u200b\u200b\u2060", " \ufeff ", "abc\u202egpj.exe", "a\u2066b\u2069", "red \x1b[31mtext",
     "bell\x07", "c1\x85control", "\x85leading"],
    ids=["zero-width", "bom-and-spaces", "rlo", "isolate", "escape", "bell", "c1", "c1-leading"],
)  # fmt: skip
def test_text_that_hides_or_fakes_itself_is_refused_in_every_field(
    api, owner, album, photo, field, value
):
    before = stored(owner, album, photo, field)

    response = write(api, owner, album, photo, field, value)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["errors"]) == [field]
    assert stored(owner, album, photo, field) == before


@pytest.mark.parametrize("field", ["nickname", "title"])
def test_a_line_break_is_refused_in_a_one_line_field(api, owner, album, photo, field):
    response = write(api, owner, album, photo, field, "two\nlines")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


@pytest.mark.parametrize("field", ["description", "caption", "body"])
def test_line_breaks_and_tabs_are_kept_in_a_multi_line_field(api, owner, album, photo, field):
    response = write(api, owner, album, photo, field, "第一行\r\n\t第二行")

    assert response.status_code in (200, 201)
    kept = stored(owner, album, photo, field)
    assert (kept[-1] if field == "body" else kept) == "第一行\n\t第二行"


@pytest.mark.parametrize("field", list(FIELDS))
@pytest.mark.parametrize("value", ["大理的夏天", "Summer in Dali", "Café 🌊"])
def test_plain_chinese_and_english_text_is_accepted(api, owner, album, photo, field, value):
    response = write(api, owner, album, photo, field, value)

    assert response.status_code in (200, 201)
    kept = stored(owner, album, photo, field)
    assert (kept[-1] if field == "body" else kept) == value


def test_text_is_stored_normalised(api, owner, album, photo):
    response = write(api, owner, album, photo, "title", "Cafe\u0301")

    assert response.status_code == 200
    assert stored(owner, album, photo, "title") == "Caf\u00e9"


SCHEMAS = {"nickname": "PatchedProfileUpdateRequest", "title": "PatchedAlbumUpdateRequest",
           "description": "PatchedAlbumUpdateRequest", "caption": "PatchedPhotoUpdateRequest",
           "body": "CommentCreateRequest"}  # fmt: skip
REFUSED = [
    "\u200b\u200b\u2060",
    "abc\u202egpj.exe",
    "red \x1b[31mtext",
    "c1\x85control",
    "\x85at the start",
    "at the end\x1f",
]
TAKEN = ["大理的夏天", "Summer in Dali", "Café 🌊"]


@pytest.mark.parametrize("field", list(FIELDS))
def test_the_schema_states_the_same_rules(api, db, field):
    import re

    schemas = api.get("/api/schema/?format=json").json()["components"]["schemas"]
    pattern = schemas[SCHEMAS[field]]["properties"][field]["pattern"]

    assert [v for v in REFUSED if re.search(pattern, v)] == []
    assert [v for v in TAKEN if not re.search(pattern, v)] == []
    one_line = field in ("nickname", "title")
    assert bool(re.search(pattern, "two\nlines")) is not one_line
    for value in [*REFUSED, *TAKEN, "two\nlines", ""]:
        try:
            text.clean(value, multiline=not one_line, required=field in ("title", "body"))
            cleaned = True
        except text.TextRefused:
            cleaned = False
        assert bool(re.search(pattern, value)) is cleaned, (field, value)


def test_the_cleaning_rules_hold_outside_the_api_too():
    assert text.clean(" e\u0301 ") == "\u00e9"
    assert text.clean("", required=False) == ""
    with pytest.raises(text.TextRefused):
        text.clean("\u200b", required=False)


SCENES = {"nickname": 1, "title": 4, "description": 4, "caption": 4, "body": 2}


@pytest.mark.parametrize("field", list(FIELDS))
def test_each_field_is_checked_with_its_scene_and_the_authors_openid(
    api, owner, album, photo, checked, field
):
    checked.expect_request(CHECK_PATH, method="POST").respond_with_json(verdict("pass"))

    response = write(api, owner, album, photo, field, "  看海  ")

    assert response.status_code in (200, 201)
    asked = json.loads(checked.log[-1][0].data)
    assert asked == {"openid": owner.openid, "scene": SCENES[field], "version": 2,
                     "content": "看海"}  # fmt: skip


@pytest.mark.parametrize("field", list(FIELDS))
def test_a_risky_text_is_refused_naming_its_field_and_nothing_is_stored(
    api, owner, album, photo, checked, field
):
    checked.expect_request(CHECK_PATH, method="POST").respond_with_json(verdict("risky"))
    before = stored(owner, album, photo, field)

    response = write(api, owner, album, photo, field, "something risky")

    assert response.status_code == 400
    assert response.json()["code"] == "content_rejected"
    assert list(response.json()["errors"]) == [field]
    assert stored(owner, album, photo, field) == before


def test_wechat_down_stores_nothing(api, owner, album, photo, checked):
    from werkzeug import Response

    checked.expect_request(CHECK_PATH, method="POST").respond_with_response(Response(status=500))

    response = write(api, owner, album, photo, "title", "New title")

    assert (response.status_code, response.json()["code"]) == (503, "wechat_unavailable")
    assert response["Retry-After"]
    assert stored(owner, album, photo, "title") == "Dali"


def test_a_held_album_title_is_its_owners_until_staff_approve_it(
    api, owner, member, album, checked, staff_client
):
    checked.expect_request(CHECK_PATH, method="POST").respond_with_json(verdict("review"))
    path = f"/api/v1/albums/{album.pk}"

    response = api.as_user(owner).patch(path, {"title": "Borderline"}, format="json")

    assert (response.status_code, response.json()["title"]) == (200, "Borderline")
    assert response.json()["held"] == ["title"]
    seen = api.as_user(member).get(path).json()
    assert (seen["title"], seen["held"]) == ("Dali", [])
    queue = staff_client.get("/admin/album/album/?held=yes").content.decode()
    assert "Borderline" in queue

    staff_client.post("/admin/album/album/",
                      {"action": "approve_held_texts", "_selected_action": [album.pk]})  # fmt: skip

    assert api.as_user(member).get(path).json()["title"] == "Borderline"
    assert api.as_user(owner).get(path).json()["held"] == []


def test_a_new_album_whose_title_is_held_is_untitled_to_everyone_else(
    api, owner, member, checked, client
):
    from album import services as albums
    from shortlinks import services as links

    checked.expect_request(CHECK_PATH, method="POST").respond_with_json(verdict("review"))
    created = (
        api.as_user(owner)
        .post("/api/v1/albums", {"title": "Borderline", "visibility": "members"}, format="json")
        .json()
    )
    album = Album.objects.get(pk=created["id"])
    albums.member_join(album=album, user=member, role="viewer")
    link, _ = links.album_share(album=album, actor=owner, role="viewer")

    assert created["title"] == "Borderline"
    assert api.as_user(member).get(f"/api/v1/albums/{album.pk}").json()["title"] == (
        "Untitled album"
    )
    page = client.get(f"/s/{link.code}", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "未命名相册" in page
    assert "Borderline" not in page


def test_staff_reject_a_held_caption_and_everyone_keeps_the_previous_one(
    api, owner, member, photo, checked, staff_client
):
    checked.expect_request(CHECK_PATH, method="POST").respond_with_json(verdict("review"))
    path = f"/api/v1/photos/{photo.pk}"
    api.as_user(owner).patch(path, {"caption": "Borderline"}, format="json")

    staff_client.post("/admin/album/photo/",
                      {"action": "reject_held_texts", "_selected_action": [photo.pk]})  # fmt: skip

    assert api.as_user(owner).get(path).json()["caption"] == "Lake"
    assert Photo.objects.get(pk=photo.pk).held_caption == ""


def test_a_held_nickname_is_the_users_own_and_nobody_elses(
    api, owner, member, album, checked, staff_client
):
    checked.expect_request(CHECK_PATH, method="POST").respond_with_json(verdict("review"))

    mine = api.as_user(member).put("/api/v1/me", {"nickname": "Borderline"}, format="json").json()
    members = api.as_user(owner).get(f"/api/v1/albums/{album.pk}/members").json()["results"]

    assert (mine["nickname"], mine["held"]) == ("Borderline", ["nickname"])
    assert {m["user"]["nickname"] for m in members} == {"owner", ""}

    approve = {"action": "approve_held_texts", "_selected_action": [member.pk]}
    staff_client.post("/admin/accounts/user/", approve)

    assert User.objects.get(pk=member.pk).nickname == "Borderline"


def test_view_only_staff_cannot_release_held_texts(db, album, checked, client):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    Album.objects.filter(pk=album.pk).update(held_title="Borderline")
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_album"))
    client.force_login(viewer)

    approve = {"action": "approve_held_texts", "_selected_action": [album.pk]}
    response = client.post("/admin/album/album/", approve)

    assert response.status_code in (200, 302)
    assert Album.objects.get(pk=album.pk).title == "Dali"


def test_the_sandbox_holds_and_refuses_its_markers_in_every_field(api, owner, album, photo,
                                                                  settings):  # fmt: skip
    settings.CONTENT_CHECK = "wechat"

    held = write(api, owner, album, photo, "caption", "maybe [sandbox-review]")
    refused = write(api, owner, album, photo, "nickname", "no [sandbox-risky]")

    assert held.json()["held"] == ["caption"]
    assert (refused.status_code, refused.json()["code"]) == (400, "content_rejected")
