"""Photo uploads per core: how many 12 MP phone JPEGs the API accepts per second, and how many a
worker turns into renditions per second.

Acceptance goes through the full stack (`POST /albums/{id}/photos`, multipart, every
middleware), one request after another on one thread, with the derive tasks left waiting in
the outbox; then those tasks run one after another as a worker runs them (`outbox.perform`).
The baseline of acceptance is the same upload made ready inside its request, as before
photos were processed on the task queue (acceptance plus derivation); the baseline of the
derivation is Pillow decoding the file and encoding it once. Every photo is checked ready at
the end, so a fast wrong answer cannot pass.
"""

import json
import sys
import tempfile
import time

from bench.common import client, expect, row, run_child, setup_child

PHOTOS = 8


def child() -> list[dict]:
    setup_child()
    from celery import current_app
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts import tokens
    from accounts.models import User
    from album import services as albums
    from album.models import Album, Photo
    from bench.pipeline import baseline, phone_jpeg, timed
    from outbox import services as outbox
    from outbox.models import Message

    current_app.conf.task_always_eager = False  # the derive tasks wait for "a worker"
    owner = User.objects.create(username="owner", openid="owner")
    album = albums.album_create(owner=owner, title="Uploads", visibility=Album.Visibility.MEMBERS)
    http = client(tokens.issue(owner.pk))
    url = f"/api/v1/albums/{album.pk}/photos"

    def post(data: bytes) -> None:
        form = {"file": SimpleUploadedFile("photo.jpg", data, "image/jpeg")}
        expect(http.post(url, form), 201)

    def measure(picture: bytes) -> tuple[float, float]:
        """Seconds to accept one, and to derive one, of PHOTOS copies of `picture`."""
        Message.objects.all().delete()
        Photo.objects.all().delete()
        # Different files (bytes after the image's end, which decoders skip): one copy each.
        files = [picture + i.to_bytes(4, "big") for i in range(PHOTOS)]
        started = time.perf_counter()
        for data in files:
            post(data)
        accept_s = (time.perf_counter() - started) / PHOTOS
        waiting = Message.objects.filter(task=albums.DERIVE_PHOTO).values_list("pk", flat=True)
        started = time.perf_counter()
        for message_id in list(waiting):
            assert outbox.perform(message_id) == "done"  # noqa: S101
        derive_s = (time.perf_counter() - started) / PHOTOS
        ready = Photo.objects.filter(state=Photo.State.READY).count()
        assert ready == PHOTOS, ready  # noqa: S101
        return accept_s, derive_s

    post(phone_jpeg(texture=1))  # a serving process has its code loaded already
    rows = []
    for picture in (phone_jpeg(texture=8), phone_jpeg()):
        accept_s, derive_s = measure(picture)
        size = f"12 MP JPEG ({len(picture) / 1e6:.1f} MB)"
        rows += [
            row(f"photo uploads accepted per core, {size}", 1 / accept_s, "/s",
                "the same, made ready in the request", 1 / (accept_s + derive_s)),
            row(f"photos derived per worker core, {size}", 1 / derive_s, "/s",
                "Pillow decode + one JPEG encode", 1 / timed(baseline, picture)),
        ]  # fmt: skip
    return rows


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as media:
        return run_child("bench.uploads", {"THROTTLE_UPLOAD": "100000/min", "MEDIA_ROOT": media})


if __name__ == "__main__":
    print(json.dumps(child() if sys.argv[1:2] == ["--child"] else run()))
