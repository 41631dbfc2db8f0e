"""Creates refuse fields they would otherwise drop, and the schema says so: a client that sends
`expiry` on a share (the field is `expires_at`) learns at once that the link will not expire."""

import pytest

from shortlinks.models import ShortLink
from tests.factories import AlbumFactory


@pytest.mark.parametrize(
    ("path", "body", "unknown"),
    [
        ("/api/v1/albums/{album}/share", {"role": "viewer", "expiry": "2031-01-01T00:00:00Z"},
         "expiry"),
        ("/api/v1/shortlinks", {"page": "pages/a/index", "expiry": "2031-01-01T00:00:00Z"},
         "expiry"),
        ("/api/v1/albums/{album}/uploads", {"content_type": "image/jpeg", "size": 10}, "size"),
    ],
    ids=["share", "shortlink", "upload-ticket"],
)  # fmt: skip
def test_a_create_with_an_unknown_field_is_refused_and_makes_nothing(
    api, owner, path, body, unknown
):
    album = AlbumFactory(owner=owner, visibility="members")
    links = ShortLink.objects.count()

    response = api.as_user(owner).post(path.format(album=album.pk), body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["errors"]) == [unknown]
    assert ShortLink.objects.count() == links
    assert not album.uploads.exists()


def test_request_schemas_that_refuse_extra_fields_say_so(api, db):
    schemas = api.get("/api/schema/?format=json").json()["components"]["schemas"]

    strict = ["AlbumShareRequest", "ShortLinkCreateRequest", "UploadCreateRequest",
              "AlbumCreateRequest", "PatchedAlbumUpdateRequest", "PhotoUpdateRequest"]  # fmt: skip
    for name in strict:
        assert schemas[name]["additionalProperties"] is False, name
    assert "additionalProperties" not in schemas["Album"]  # answers may grow new fields


def test_an_empty_patch_changes_nothing_and_still_needs_the_right_to_edit(
    api, owner, member, outsider
):
    from tests.factories import CommentFactory, PhotoFactory

    album = AlbumFactory(owner=owner, visibility="members", members=[member])
    photo = PhotoFactory(album=album, uploader=owner, caption="As it was")
    comment = CommentFactory(album=album, author=member, body="As written")

    photo_patch = api.as_user(owner).patch(f"/api/v1/photos/{photo.pk}", {}, format="json")
    comment_patch = api.as_user(member).patch(f"/api/v1/comments/{comment.pk}", {}, format="json")
    photo_put = api.as_user(owner).put(f"/api/v1/photos/{photo.pk}", {}, format="json")
    by_member = api.as_user(member).patch(f"/api/v1/photos/{photo.pk}", {}, format="json")

    assert (photo_patch.status_code, photo_patch.json()["caption"]) == (200, "As it was")
    assert (comment_patch.status_code, comment_patch.json()["body"]) == (200, "As written")
    assert photo_put.status_code == 400  # PUT sends every editable field
    assert by_member.status_code == 403


def test_a_delete_with_a_stale_if_match_is_refused_and_deletes_nothing(api, owner, member):
    from album.models import Album, Photo
    from comments.models import Comment
    from tests.factories import CommentFactory, PhotoFactory

    album = AlbumFactory(owner=owner, visibility="members", members=[member])
    photo = PhotoFactory(album=album, uploader=owner)
    comment = CommentFactory(album=album, author=member)
    targets = {
        f"/api/v1/albums/{album.pk}": owner,
        f"/api/v1/photos/{photo.pk}": owner,
        f"/api/v1/comments/{comment.pk}": member,
    }
    tags = {path: api.as_user(user).get(path)["ETag"] for path, user in targets.items()}
    api.as_user(owner).patch(f"/api/v1/albums/{album.pk}", {"title": "Edited"}, format="json")
    api.as_user(owner).patch(f"/api/v1/photos/{photo.pk}", {"caption": "Edited"}, format="json")
    api.as_user(member).patch(f"/api/v1/comments/{comment.pk}", {"body": "Edited"},
                              format="json")  # fmt: skip

    stale = [api.as_user(user).delete(path, HTTP_IF_MATCH=tags[path]).status_code
             for path, user in targets.items()]  # fmt: skip

    assert stale == [412, 412, 412]
    assert Album.objects.filter(pk=album.pk).exists()
    assert Photo.objects.filter(pk=photo.pk).exists()
    assert Comment.objects.get(pk=comment.pk).deleted_at is None
    fresh = api.as_user(member).get(f"/api/v1/comments/{comment.pk}")["ETag"]
    deleted = api.as_user(member).delete(f"/api/v1/comments/{comment.pk}", HTTP_IF_MATCH=fresh)
    assert deleted.status_code == 204


@pytest.mark.parametrize("value", [42, 4.5, True, ["a"]])
def test_a_number_where_text_is_declared_is_a_400(api, owner, value):
    response = api.as_user(owner).post(
        "/api/v1/albums", {"title": value, "visibility": "members"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["title"]


def test_the_schemas_header_examples_can_be_sent_as_they_are(api, db):
    """A tool that sends the examples must not replay one create for all (a shared key) nor
    have its edits refused (a made-up tag)."""
    paths = api.get("/api/schema/?format=json").json()["paths"]
    headers = [parameter for operations in paths.values() for operation in operations.values()
               for parameter in operation.get("parameters", [])
               if parameter["in"] == "header"]  # fmt: skip

    keys = [p for p in headers if p["name"] == "Idempotency-Key"]
    if_matches = [p for p in headers if p["name"] == "If-Match"]
    assert keys
    assert all("example" not in p for p in keys)
    assert all(p["schema"]["pattern"] == r"^[\x21-\x7e]+$" for p in keys)
    assert {p["example"] for p in if_matches} == {"*"}


def test_the_schema_is_one_english_document_whatever_the_language_asked_for(client, db):
    english = client.get("/api/schema/?format=json", HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get("/api/schema/?format=json", HTTP_ACCEPT_LANGUAGE="zh-CN")
    unasked = client.get("/api/schema/?format=json")

    assert english.json() == chinese.json() == unasked.json()


def test_a_number_where_the_login_code_is_declared_is_a_400(api, db, settings):
    settings.WECHAT_SANDBOX = True

    response = api.post("/api/v1/auth/login", {"code": 0}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["code"]


@pytest.mark.parametrize(
    ("schema", "path", "method", "field", "refused", "taken"),
    [
        ("ShortLinkCreateRequest", "/api/v1/shortlinks", "post", "page",
         "pages/../admin", "pages/event/index"),
        ("ShortLinkCreateRequest", "/api/v1/shortlinks", "post", "page",
         "pages/a?x=1", "pages/a"),
        ("CommentCreateRequest", "/api/v1/albums/{album}/comments", "post", "body",
         " \u3000\t", "a"),
        ("LoginRequest", "/api/v1/auth/login", "post", "code", "   ", "a-code"),
        ("AlbumCreateRequest", "/api/v1/albums", "post", "description", "a\x00b", ""),
    ],
    ids=["page-dots", "page-query", "blank-comment",
         "blank-code", "nul-description"],
)  # fmt: skip
def test_what_the_server_refuses_the_schemas_pattern_refuses_too(
    api, owner, settings, schema, path, method, field, refused, taken
):
    import re

    settings.WECHAT_SANDBOX = True
    album = AlbumFactory(owner=owner, visibility="members")
    pattern = api.get("/api/schema/?format=json").json()["components"]["schemas"][schema][
        "properties"][field]["pattern"]  # fmt: skip
    base = {"AlbumCreateRequest": {"title": "T"}}.get(schema, {})
    send = getattr(api.as_user(owner), method)

    refusal = send(path.format(album=album.pk), {**base, field: refused}, format="json")
    acceptance = send(path.format(album=album.pk), {**base, field: taken}, format="json")

    assert refusal.status_code == 400
    assert list(refusal.json()["errors"]) == [field]
    assert re.search(pattern, refused) is None
    assert acceptance.status_code in (200, 201), acceptance.json()
    assert re.search(pattern, taken)


def test_the_local_upload_form_documents_its_content_type_field(api, db):
    schemas = api.get("/api/schema/?format=json").json()["components"]["schemas"]

    assert "Content-Type" in schemas["LocalUploadRequest"]["properties"]


def test_a_text_over_its_length_as_sent_is_refused_even_if_trimming_would_fit(api, owner):
    album = AlbumFactory(owner=owner, visibility="members")

    response = api.as_user(owner).post(
        f"/api/v1/albums/{album.pk}/comments", {"body": "ok" + "\t" * 500}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["body"]
    assert not album.comments.exists()


def test_refusals_read_chinese_in_a_chinese_answer(api, owner):
    album = AlbumFactory(owner=owner, visibility="members")

    answer = api.as_user(owner).patch(
        f"/api/v1/albums/{album.pk}", {"titel": "x", "title": 5, "photo_count": 3},
        format="json", HTTP_ACCEPT_LANGUAGE="zh-CN",
    )  # fmt: skip

    assert answer.status_code == 400
    assert answer.json()["errors"] == {
        "titel": ["未知字段。"], "title": ["必须是字符串。"], "photo_count": ["未知字段。"],
    }  # fmt: skip
