"""Storage that does not answer, answers 500 or is full: uploads answer 503
`service_unavailable` naming the storage, and nothing is kept."""

import subprocess

import pytest
from botocore.config import Config
from django.core.files.uploadedfile import SimpleUploadedFile

from album.models import Photo
from tests.album import pictures


def bucket_settings(storages: dict, port: int) -> dict:
    """STORAGES with the default storage an S3 bucket at 127.0.0.1:port, tried once."""
    return {
        **storages,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "photos",
                "endpoint_url": f"http://127.0.0.1:{port}",
                "access_key": "key",
                "secret_key": "secret",
                "region_name": "us-east-1",
                "client_config": Config(
                    s3={"addressing_style": "path"}, signature_version="s3v4",
                    connect_timeout=0.5, read_timeout=2, retries={"max_attempts": 1},
                ),
            },
        },
    }  # fmt: skip


@pytest.fixture
def bucket_down(settings, unused_port):
    settings.STORAGES = bucket_settings(settings.STORAGES, unused_port)


@pytest.fixture
def bucket_failing(settings, httpserver):
    """A bucket that answers every request with 500 InternalError, as S3 does in trouble."""
    error = (
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code>'
        "<Message>We encountered an internal error. Please try again.</Message></Error>"
    )
    httpserver.expect_request("").respond_with_data(error, status=500,
                                                    content_type="application/xml")  # fmt: skip
    settings.STORAGES = bucket_settings(settings.STORAGES, httpserver.port)
    return httpserver


@pytest.fixture
def full_disk(settings, tmp_path):
    """Local storage on a 64 KiB filesystem, already full (a tmpfs: needs root)."""
    media = tmp_path / "media"
    media.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(media)],
                             capture_output=True)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    (media / "filler").write_bytes(b"\0" * 60_000)
    settings.MEDIA_ROOT = str(media)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media)},
        },
    }
    yield media
    subprocess.run(["umount", "-l", str(media)], check=False)


@pytest.mark.parametrize("storage", ["bucket_down", "bucket_failing", "full_disk"])
def test_an_upload_to_storage_that_is_down_failing_or_full_is_503_and_keeps_nothing(
    request, api, owner, album, storage, db
):
    request.getfixturevalue(storage)
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
