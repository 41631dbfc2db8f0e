"""A phone's pick of 20 photos, sent 10 at a time (wx.uploadFile's cap) to the project served
by gunicorn, with a real Celery worker making the renditions: every photo is accepted at once,
and every one is ready soon after, for its album's other members too, even when the worker
has fewer image slots than tasks."""

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.album import pictures

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the fault suite runs in the services suite (make test-services)",
)


def test_twenty_photos_sent_ten_at_a_time_are_all_accepted_then_all_made_ready(deployment):
    # One image at a time per process, and hardly any wait for it: the web processes would
    # have answered most of these 503 `busy` when they made the renditions themselves.
    served = deployment(PHOTO_PROCESSING_CONCURRENCY="1", PHOTO_PROCESSING_WAIT="0.1")
    served.start_worker()
    owner = {"Authorization": f"Bearer {served.owner_token}"}
    member = {"Authorization": f"Bearer {served.token}"}
    picked = [pictures.noisy_jpeg(2400, 1800) for _ in range(20)]

    def send(data: bytes) -> httpx.Response:
        return httpx.post(
            f"{served.base}/api/v1/albums/{served.album_id}/photos",
            headers=owner, files={"file": ("photo.jpg", data, "image/jpeg")}, timeout=60,
        )  # fmt: skip

    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(send, picked))

    assert [answer.status_code for answer in answers] == [201] * 20, answers[0].text
    deadline, seen = time.monotonic() + 90, []
    while time.monotonic() < deadline and len(seen) < 20:
        listed = httpx.get(f"{served.base}/api/v1/albums/{served.album_id}/photos",
                           params={"page_size": 50}, headers=member, timeout=10)  # fmt: skip
        seen = listed.json()["results"]
        time.sleep(0.5)
    assert len(seen) == 20, served.worker_logs()[-3000:]
    assert {photo["state"] for photo in seen} == {"ready"}
    media = Path(served.env["MEDIA_ROOT"])  # served by nginx or the bucket, not gunicorn
    for photo in seen:
        thumb = media / urlsplit(photo["urls"]["thumb"]).path.removeprefix("/media/")
        assert thumb.read_bytes()[:2] == b"\xff\xd8"

    def sent() -> list[Path]:
        return [path for path in (media / "uploads").rglob("*") if path.is_file()]

    deadline = time.monotonic() + 30
    while sent() and time.monotonic() < deadline:  # deleted by a task of its own, just after
        time.sleep(0.2)
    assert sent() == []  # what the phone sent (EXIF and all) is deleted once derived
