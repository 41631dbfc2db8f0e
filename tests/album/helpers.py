"""Photo test helpers: reading back what a test stored, and posting to upload tickets."""

import contextlib
import io
import threading

import httpx
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from media import processing, storage


def download(api, url: str) -> bytes:
    """Fetch a photo URL: S3 presigned URLs over HTTP, local media from the storage itself."""
    if url.startswith("http://testserver/media/"):
        with default_storage.open(url.removeprefix("http://testserver/media/"), "rb") as f:
            return f.read()
    response = httpx.get(url, timeout=10)
    assert response.status_code == 200, response.text
    return response.content


def open_image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def stored_keys() -> list[str]:
    return sorted(storage.list_keys())


def upload_file(api, ticket: dict, data: bytes, *, content_type: str | None = None):
    """Post a file to an upload ticket's URL as a mini-program would; returns the status."""
    fields = dict(ticket["fields"])
    if content_type:
        fields["Content-Type"] = content_type
    if ticket["url"].startswith("http://testserver/"):
        form = {**fields, "file": SimpleUploadedFile("photo.jpg", data, fields["Content-Type"])}
        api.credentials()  # the signed policy is the credential, as on S3
        return api.post(ticket["url"], form, format="multipart").status_code
    response = httpx.post(
        ticket["url"],
        data=fields,
        files={"file": ("photo.jpg", data, fields["Content-Type"])},
        timeout=30,
    )
    return response.status_code


@contextlib.contextmanager
def image_slots_taken():
    """Every image slot of this process busy with other work (set PHOTO_PROCESSING_CONCURRENCY
    to 1 first) until the block ends."""
    started, finish = threading.Event(), threading.Event()

    def occupy():
        started.set()
        finish.wait(30)

    worker = threading.Thread(target=processing.limited, args=(occupy,))
    worker.start()
    assert started.wait(10)
    try:
        yield
    finally:
        finish.set()
        worker.join()
