"""The local-disk stand-in for a presigned POST checks its signed policy like S3 does."""

import pytest

from album.models import Upload
from tests.album import pictures
from tests.album.helpers import stored_keys

pytestmark = [
    pytest.mark.usefixtures("photo_storage"),
    pytest.mark.parametrize("photo_storage", ["local"], indirect=True),
]


@pytest.fixture
def ticket(api, owner, album):
    return (
        api.as_user(owner)
        .post(f"/api/v1/albums/{album.id}/uploads", {"content_type": "image/png"}, format="json")
        .json()
    )


def post_form(api, fields: dict, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    api.credentials()
    form = {**fields, "file": SimpleUploadedFile("x.png", data, "image/png")}
    return api.post("/api/v1/uploads/local", form, format="multipart")


def test_forged_policy_is_refused(api, ticket):
    fields = {**ticket["fields"], "policy": ticket["fields"]["policy"][:-2] + "xx"}

    response = post_form(api, fields, pictures.png())

    assert response.status_code == 400
    assert response.json()["code"] == "upload_ticket_invalid"
    assert stored_keys() == []


def test_policy_is_bound_to_its_key(api, ticket):
    fields = {**ticket["fields"], "key": "photos/somebody-elses/original.png"}

    response = post_form(api, fields, pictures.png())

    assert response.json()["code"] == "upload_ticket_invalid"
    assert stored_keys() == []


def test_a_good_form_is_stored_under_the_ticket_key(api, ticket):
    response = post_form(api, ticket["fields"], pictures.png())

    assert response.status_code == 204
    assert stored_keys() == [Upload.objects.get().key]


@pytest.mark.django_db(transaction=True)
def test_a_ticket_is_used_up_once_its_photo_exists(api, owner, ticket):
    post_form(api, ticket["fields"], pictures.png())
    completed = api.as_user(owner).post(f"/api/v1/uploads/{ticket['upload_id']}/complete")
    assert completed.status_code == 201
    photo_files = stored_keys()

    again = post_form(api, ticket["fields"], b"anything at all, served as octet-stream")

    assert again.status_code == 409
    assert again.json()["code"] == "upload_ticket_used"
    assert stored_keys() == photo_files


def test_a_body_without_a_length_is_refused_before_it_is_read(api, ticket):
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    body = encode_multipart(BOUNDARY, {**ticket["fields"], "file": pictures.png()})
    api.credentials()

    response = api.generic(
        "POST", "/api/v1/uploads/local", body, MULTIPART_CONTENT, CONTENT_LENGTH=""
    )

    assert response.status_code == 411
    assert response.json()["code"] == "length_required"
    assert stored_keys() == []


def test_local_posts_are_throttled_per_client(api, ticket):
    statuses = [post_form(api, ticket["fields"], b"x").status_code for _ in range(61)]

    assert statuses[-1] == 429
    assert statuses.count(429) == 1
