"""The published OpenAPI document, held to independent tools: it validates with
openapi-spec-validator, and a client generated from it by openapi-python-client (pinned in
pyproject.toml) imports cleanly and runs the whole user journey against a live server, with
every response checked against the document by schemathesis."""

import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import schemathesis
from openapi_spec_validator import validate

from tests.album import pictures

pytestmark = pytest.mark.django_db(transaction=True)

GENERATOR_CONFIG = """\
content_type_overrides:
  image/png: application/octet-stream
  image/jpeg: application/octet-stream
  image/svg+xml: application/octet-stream
  text/html: text/plain
"""


@pytest.fixture
def document(live_server, local_photos, settings):
    settings.WECHAT_SANDBOX = True
    settings.SHORTLINK_BASE_URL = live_server.url
    return httpx.get(f"{live_server.url}/api/schema/?format=json", timeout=10).json()


@pytest.fixture
def generated(document, tmp_path):
    """The client package openapi-python-client makes from the document, imported."""
    (tmp_path / "schema.json").write_text(json.dumps(document))
    (tmp_path / "config.yaml").write_text(GENERATOR_CONFIG)
    bin_dir = Path(sys.executable).parent
    result = subprocess.run(
        [str(bin_dir / "openapi-python-client"), "generate", "--path", "schema.json",
         "--meta", "none", "--output-path", "wxalbum_client", "--config", "config.yaml"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={"PATH": f"{bin_dir}:/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout, result.stdout
    sys.path.insert(0, str(tmp_path))
    try:
        package = importlib.import_module("wxalbum_client")
        modules = [m.name for m in pkgutil.walk_packages(package.__path__, "wxalbum_client.")]
        for name in modules:
            importlib.import_module(name)
        yield package, modules
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("wxalbum_client")]:
            del sys.modules[name]


def test_the_document_is_valid_openapi(document):
    validate(document)

    operations = [op for ops in document["paths"].values() for op in ops.values()]
    assert all(op.get("summary") for op in operations)
    assert all('"example"' in json.dumps(op) for op in operations)


def test_the_generated_client_takes_no_token_where_none_is_needed(generated):
    import typing

    from wxalbum_client import AuthenticatedClient, Client
    from wxalbum_client.api.auth import auth_login_create, me_retrieve
    from wxalbum_client.api.pages import shortlinks_landing, shortlinks_qr_png
    from wxalbum_client.api.photos import uploads_local_create
    from wxalbum_client.api.shortlinks import shortlinks_destroy, shortlinks_retrieve

    def clients(operation) -> set[type]:
        hint = typing.get_type_hints(operation.sync_detailed)["client"]
        return set(typing.get_args(hint)) or {hint}

    anonymous = [auth_login_create, shortlinks_retrieve, uploads_local_create,
                 shortlinks_landing, shortlinks_qr_png]  # fmt: skip
    assert all(clients(operation) == {AuthenticatedClient, Client} for operation in anonymous)
    assert clients(me_retrieve) == clients(shortlinks_destroy) == {AuthenticatedClient}


def test_a_generated_client_runs_the_whole_journey(document, generated, live_server):
    package, modules = generated
    assert len(modules) > 80

    schema = schemathesis.openapi.from_dict(document)
    checked = []

    def conforms(response: httpx.Response):
        response.read()
        response.request.read()
        path = response.request.url.path
        found = schema.find_operation_by_path(response.request.method, path)
        if found is not None:  # the local upload target is the one path with a host of its own
            found.validate_response(response)
            checked.append(f"{response.request.method} {path} {response.status_code}")

    def client_for(token=None):
        from wxalbum_client import AuthenticatedClient, Client

        hooks = {"event_hooks": {"response": [conforms]}}
        if token is None:
            return Client(
                base_url=live_server.url, httpx_args=hooks, raise_on_unexpected_status=True
            )
        return AuthenticatedClient(base_url=live_server.url, token=token, httpx_args=hooks,
                                   raise_on_unexpected_status=True)  # fmt: skip

    journey(client_for)

    assert len(checked) >= 20, checked


def journey(client_for):
    from wxalbum_client.api.albums import albums_create, albums_members_list, albums_update
    from wxalbum_client.api.auth import auth_login_create, me_partial_update
    from wxalbum_client.api.comments import (
        comments_destroy,
        comments_like_update,
        comments_partial_update,
        photos_comments_create,
    )
    from wxalbum_client.api.pages import shortlinks_qr_png
    from wxalbum_client.api.photos import (
        albums_photos_create,
        albums_photos_list,
        albums_uploads_create,
        photos_destroy,
        photos_update,
        uploads_complete_create,
        uploads_local_create,
    )
    from wxalbum_client.api.shortlinks import albums_share_create, shortlinks_retrieve
    from wxalbum_client.models import (
        AlbumCreateRequest,
        AlbumShareRequest,
        AlbumUpdateRequest,
        CommentCreateRequest,
        LocalUploadRequest,
        LoginRequest,
        PatchedCommentEditRequest,
        PatchedProfileUpdateRequest,
        PhotoUpdateRequest,
        PhotoUploadRequest,
        UploadCreateRequest,
        VisibilityEnum,
    )
    from wxalbum_client.models.album_share_role_enum import AlbumShareRoleEnum
    from wxalbum_client.types import File

    def login(code):
        result = auth_login_create.sync(client=client_for(), body=LoginRequest(code=code))
        return client_for(result.token), result.user

    ada, _ = login("ada")
    bo, bo_user = login("bo")
    me_partial_update.sync(client=ada, body=PatchedProfileUpdateRequest(nickname="Ada"))

    album = albums_create.sync(
        client=ada, body=AlbumCreateRequest(title="Dali", visibility=VisibilityEnum.MEMBERS)
    )
    albums_update.sync(
        album.id,
        client=ada,
        body=AlbumUpdateRequest(
            title="Dali 2026", description="", visibility=VisibilityEnum.MEMBERS
        ),
    )

    jpeg = File(payload=pictures.jpeg(), file_name="a.jpg", mime_type="image/jpeg")
    first = albums_photos_create.sync(
        album.id, client=ada, body=PhotoUploadRequest(file=jpeg, caption="Lake")
    )
    ticket = albums_uploads_create.sync(
        album.id, client=ada, body=UploadCreateRequest(content_type="image/jpeg")
    )
    form = LocalUploadRequest(
        key=ticket.fields["key"],
        policy=ticket.fields["policy"],
        file=File(payload=pictures.jpeg(), file_name="b.jpg", mime_type="image/jpeg"),
        content_type=ticket.fields["Content-Type"],
    )
    stored = uploads_local_create.sync_detailed(client=client_for(), body=form)
    second = uploads_complete_create.sync(ticket.upload_id, client=ada)
    photos_update.sync(second.id, client=ada, body=PhotoUpdateRequest(caption="Old town"))

    share = albums_share_create.sync(
        album.id, client=ada, body=AlbumShareRequest(role=AlbumShareRoleEnum.CONTRIBUTOR)
    )
    qr = shortlinks_qr_png.sync_detailed(share.code, client=client_for())
    joined = shortlinks_retrieve.sync(share.code, client=bo)

    comment = photos_comments_create.sync(
        first.id, client=bo, body=CommentCreateRequest(body="Lovely")
    )
    reply = photos_comments_create.sync(
        first.id, client=ada, body=CommentCreateRequest(body="Thanks", parent_id=comment.id)
    )
    liked = comments_like_update.sync(comment.id, client=ada)
    edited = comments_partial_update.sync(
        comment.id, client=bo, body=PatchedCommentEditRequest(body="Lovely light")
    )
    comments_destroy.sync_detailed(reply.id, client=ada)
    photos_destroy.sync_detailed(second.id, client=ada)

    assert stored.status_code == 204
    assert (qr.status_code, qr.content[:4]) == (200, b"\x89PNG")
    assert joined.album_id == album.id
    members = albums_members_list.sync(album.id, client=ada).results
    assert [(m.user.id, m.role.value) for m in members][1] == (bo_user.id, "contributor")
    assert (liked.liked, liked.like_count) == (True, 1)
    assert edited.body == "Lovely light"
    photos = albums_photos_list.sync(album.id, client=bo).results
    assert [(p.id, p.caption) for p in photos] == [(first.id, "Lake")]
