"""A bucket that does not answer: uploads answer 503 `service_unavailable` naming the storage,
and nothing is kept."""

import pytest
from botocore.config import Config
from django.core.files.uploadedfile import SimpleUploadedFile

from album.models import Photo
from tests.album import pictures


@pytest.fixture
def bucket_down(settings, unused_port):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "photos",
                "endpoint_url": f"http://127.0.0.1:{unused_port}",
                "access_key": "key",
                "secret_key": "secret",
                "region_name": "us-east-1",
                "client_config": Config(
                    s3={"addressing_style": "path"}, signature_version="s3v4",
                    connect_timeout=0.5, retries={"max_attempts": 1},
                ),
            },
        },
    }  # fmt: skip


def test_an_upload_to_a_bucket_that_is_down_is_503_and_keeps_nothing(
    api, owner, album, bucket_down, db
):
    form = {"file": SimpleUploadedFile("p.jpg", pictures.jpeg(), "image/jpeg")}

    response = api.as_user(owner).post(
        f"/api/v1/albums/{album.id}/photos", form, format="multipart"
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert (response.json()["code"], response.json()["dependency"]) == (
        "service_unavailable",
        "storage",
    )
    assert not Photo.objects.exists()
