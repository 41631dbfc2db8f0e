"""Conventions every API endpoint shares: problem documents, docs, probes, request logs."""

import logging

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.test import override_settings


def test_unknown_api_path_is_404_problem(api, db):
    response = api.get("/api/v1/no-such-thing")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


def test_wrong_method_is_405_problem(api, db):
    response = api.get("/api/v1/auth/login")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "method_not_allowed"


def test_malformed_json_is_400_problem(api, db):
    response = api.post("/api/v1/auth/login", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_unexpected_error_is_500_problem(client, db, settings):
    from django.urls import path

    from config import urls

    def boom(request):
        raise RuntimeError("bug")

    class BrokenUrls:
        urlpatterns = [path("api/v1/boom", boom), *urls.urlpatterns]
        handler500 = urls.handler500

    settings.ROOT_URLCONF = BrokenUrls
    client.raise_request_exception = False

    response = client.get("/api/v1/boom")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "server_error"
    assert "bug" not in response.content.decode()


def test_openapi_schema_and_docs_are_served(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    assert "/api/v1/auth/login" in schema.json()["paths"]
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    # Assets come from this server, never a CDN.
    assert "cdn." not in html
    assert "/static/drf_spectacular_sidecar/" in html


def test_healthz_answers(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_reports_each_dependency(client, db):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "storage": "ok"}


def test_readyz_names_the_cache_when_it_is_down(client, db, unused_port):
    broken = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{unused_port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    with override_settings(CACHES=broken):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "fail"
    assert response.json()["checks"]["database"] == "ok"


def test_each_request_logs_one_structured_line(api, owner, caplog):
    caplog.set_level(logging.INFO, logger="wxalbum.request")

    response = api.as_user(owner).get("/api/v1/me", HTTP_X_REQUEST_ID="req-123")

    assert response["X-Request-ID"] == "req-123"
    lines = [r for r in caplog.records if r.name == "wxalbum.request"]
    assert len(lines) == 1
    line = lines[0]
    assert (line.method, line.path, line.status, line.user_id, line.request_id) == (
        "GET",
        "/api/v1/me",
        200,
        owner.id,
        "req-123",
    )
    assert line.duration_ms >= 0


@pytest.mark.parametrize("supplied", ["", "bad id with spaces", "x" * 200])
def test_unsafe_request_id_is_replaced(client, supplied):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=supplied)

    assert response["X-Request-ID"] != supplied
    assert len(response["X-Request-ID"]) == 32


def test_every_request_gets_its_own_id(client):
    ids = {client.get("/healthz")["X-Request-ID"] for _ in range(50)}

    assert len(ids) == 50


def test_a_write_to_a_malformed_api_path_is_a_404_problem_not_a_csrf_page(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).delete("/api/v1/albums/not-a-number")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_an_id_too_large_for_the_database_is_a_404_problem(api, owner):
    api.as_user(owner)

    response = api.delete("/api/v1/albums/1/members/669062380492203884544")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_the_schema_documents_problem_documents_for_errors(api, db):
    schema = api.get("/api/schema/", {"format": "json"}).json()

    delete_member = schema["paths"]["/api/v1/albums/{album_id}/members/{user_id}"]["delete"]
    not_found = delete_member["responses"]["404"]["content"]
    assert not_found["application/problem+json"]["schema"]["$ref"] == "#/components/schemas/Problem"
    assert schema["components"]["schemas"]["Problem"]["required"] == [
        "type",
        "title",
        "status",
        "code",
    ]


@pytest.mark.parametrize(
    ("exc", "status", "code", "errors"),
    [
        (DjangoValidationError({"title": ["Too long."]}), 400, "invalid", {"title": ["Too long."]}),
        (DjangoValidationError("Bad."), 400, "invalid", {"non_field_errors": ["Bad."]}),
        (ObjectDoesNotExist("gone"), 404, "not_found", None),
    ],
)
def test_django_exceptions_from_a_service_are_problems_not_500s(exc, status, code, errors):
    from config.problems import exception_handler

    response = exception_handler(exc, {})

    assert (response.status_code, response.data["code"]) == (status, code)
    assert response.data.get("errors") == errors


@pytest.mark.parametrize(
    "path", ["/api/v1/me", "/api/v1/albums", "/api/v1/shortlinks/{code}", "/api/v1/nope"]
)
def test_api_answers_are_never_stored_by_caches(api, owner, path):
    from tests.factories import LinkFactory

    code = LinkFactory(creator=owner).code

    response = api.as_user(owner).get(path.format(code=code))

    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("path", "body", "field", "message"),
    [
        ("/api/v1/albums/{album}", {"titel": "Typo"}, "titel", "Unknown field."),
        ("/api/v1/albums/{album}", {"photo_count": 9}, "photo_count", "Unknown field."),
        ("/api/v1/photos/{photo}", {"caption": "x", "width": 1}, "width", "Unknown field."),
        ("/api/v1/comments/{comment}", {"body": "x", "author": 1}, "author", "Unknown field."),
        ("/api/v1/me", {"openid": "someone-else"}, "openid", "Unknown field."),
    ],
)
def test_patch_refuses_fields_it_would_ignore(api, owner, path, body, field, message):
    from tests.factories import AlbumFactory, CommentFactory, PhotoFactory

    album = AlbumFactory(owner=owner)
    photo = PhotoFactory(album=album)
    comment = CommentFactory(album=album, author=owner)
    url = path.format(album=album.pk, photo=photo.pk, comment=comment.pk)

    response = api.as_user(owner).patch(url, body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {field: [message]}


def test_put_needs_every_editable_field(api, owner):
    from tests.factories import AlbumFactory

    album = AlbumFactory(owner=owner)

    response = api.as_user(owner).put(f"/api/v1/albums/{album.pk}", {"title": "Only"},
                                      format="json")  # fmt: skip

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"description", "visibility"}


@pytest.mark.parametrize("page_size", ["abc", "0", "101", "-1", "¹", "٣", "1e1"])
def test_a_bad_page_size_is_refused_not_ignored(api, owner, page_size):
    response = api.as_user(owner).get("/api/v1/albums", {"page_size": page_size})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page_size"]


def test_json_operations_refuse_form_bodies(api, owner):
    response = api.as_user(owner).post("/api/v1/albums", {"title": "Form"}, format="multipart")

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_an_accept_header_the_api_cannot_meet_is_406(api, owner):
    response = api.as_user(owner).get("/api/v1/albums", HTTP_ACCEPT="text/html")

    assert response.status_code == 406
    assert response.json()["code"] == "not_acceptable"


def test_a_host_not_served_is_a_400_problem(client, db, settings):
    settings.ALLOWED_HOSTS = ["api.example.com"]

    response = client.get("/api/v1/me", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_an_altered_cursor_is_bad_input(api, owner):
    response = api.as_user(owner).get("/api/v1/albums", {"cursor": "QÖ"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["cursor"]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/albums/{album}", "/api/v1/albums", "/api/v1/auth/login", "/api/v1/uploads/local",
     "/api/v1/shortlinks/7Q2K9M4TX1B8C6D3F5G0H2J4K6M8N0P2"],
)  # fmt: skip
def test_options_is_not_an_api_method_nor_advertised_as_one(api, owner, path):
    from tests.factories import AlbumFactory

    album = AlbumFactory(owner=owner)

    response = api.as_user(owner).options(path.format(album=album.pk))
    wrong = api.as_user(owner).generic("TRACE", path.format(album=album.pk))

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert "OPTIONS" not in response["Allow"]
    assert "OPTIONS" not in wrong["Allow"]
    assert response["Allow"]


def test_each_operation_documents_the_codes_it_can_answer_with(api, db):
    """No 405 on an operation's own method, a 429 only where a throttle counts (every write;
    never a read), a 401 only where a token is required, a 503 wherever a service is needed."""
    paths = api.get("/api/schema/?format=json").json()["paths"]

    for path, operations in paths.items():
        for method, operation in operations.items():
            responses = operation["responses"]
            label = f"{method.upper()} {path}"
            assert "405" not in responses, label
            assert ("429" in responses) == (method != "get" or "/qr." in path), label
            assert ("401" in responses) == bool(operation["security"]), label
            assert "503" in responses, label


def test_operations_that_need_no_token_carry_no_security_requirement(api, db):
    """A generator reads `security: [{}]` as "token required"; `[]` is "none needed"."""
    paths = api.get("/api/schema/?format=json").json()["paths"]

    anonymous = {operation["operationId"] for operations in paths.values()
                 for operation in operations.values() if operation["security"] == []}  # fmt: skip
    assert anonymous == {
        "auth_login_create", "shortlinks_retrieve", "uploads_local_create", "shortlinks_landing",
        "shortlinks_qr_png", "shortlinks_qr_svg", "shortlinks_wxacode",
    }  # fmt: skip


def test_a_bad_token_on_an_operation_that_needs_none_is_ignored(api, db, settings):
    settings.WECHAT_SANDBOX = True
    api.credentials(HTTP_AUTHORIZATION="Bearer expired.or.forged")

    login = api.post("/api/v1/auth/login", {"code": "a-code"}, format="json")

    assert login.status_code == 200


@pytest.mark.parametrize(
    ("accept", "title", "detail"),
    [
        ("", "未找到", "不存在，或你无权查看"),
        ("zh-CN,zh;q=0.9", "未找到", "不存在，或你无权查看"),
        ("en-US,en;q=0.8", "Not Found", "No such album."),
    ],
)
def test_problems_speak_chinese_unless_english_is_asked_for(db, owner, accept, title, detail):
    from tests.conftest import Client

    api = Client()
    api.defaults["HTTP_ACCEPT_LANGUAGE"] = accept

    response = api.as_user(owner).get("/api/v1/albums/999")

    assert response.status_code == 404
    assert (response.json()["code"], response.json()["title"]) == ("not_found", title)
    assert response.json()["detail"] == detail


@pytest.mark.parametrize(
    ("accept", "heading"), [("zh-CN", "站点管理"), ("en", "Site administration")]
)
def test_the_admin_follows_the_operators_language(staff_client, accept, heading):
    page = staff_client.get("/admin/", HTTP_ACCEPT_LANGUAGE=accept)

    assert heading in page.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/auth/login", "/api/v1/albums"])
def test_json_nested_too_deep_is_a_400_not_a_500(api, owner, path):
    body = '{"code": ' + "[" * 100_000 + "]" * 100_000 + "}"

    response = api.as_user(owner).generic("POST", path, body, "application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
