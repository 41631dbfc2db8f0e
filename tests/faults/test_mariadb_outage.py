"""A MariaDB that stops or freezes under the served project (a private server, gunicorn in
production mode): writes answer 503 with Retry-After instead of 500 or a hung thread, nothing
acknowledged is lost, and the service comes back with the database."""

import os
import subprocess
import time

import httpx
import pytest

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the fault suite runs in the services suite (make test-services)",
)


def test_mariadb_stopped_or_frozen_answers_503_and_loses_nothing(deployment, mariadb_server):
    # One thread: every request reuses its connection, as a busy server's threads do.
    served = deployment(
        DATABASE_URL=mariadb_server.url,
        DATABASE_STATEMENT_TIMEOUT_MS="2000",
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="1",
    )
    url = f"{served.base}/api/v1/albums/{served.album_id}/comments"
    headers = {"Authorization": f"Bearer {served.token}"}

    def comment(body: str) -> httpx.Response:
        return httpx.post(url, json={"body": body}, headers=headers, timeout=60)

    def after_recovery(body: str) -> httpx.Response:
        for _ in range(20):  # the first request after a restart may meet a dead connection
            answer = comment(body)
            if answer.status_code != 503:
                return answer
            time.sleep(0.5)
        return answer

    before = comment("before")
    mariadb_server.stop()
    down = comment("while down")
    mariadb_server.start()
    back = after_recovery("back")
    mariadb_server.freeze()
    started = time.monotonic()
    frozen = comment("while frozen")
    waited = time.monotonic() - started
    mariadb_server.thaw()
    again = after_recovery("again")

    assert (before.status_code, back.status_code, again.status_code) == (201, 201, 201)
    for refused in (down, frozen):
        assert refused.status_code == 503, refused.text
        assert (refused.json()["code"], refused.headers["Retry-After"]) == (
            "service_unavailable", "5"
        )  # fmt: skip
    assert waited < 20  # the read timeout, not a thread held for ever
    stored = subprocess.run(
        ["mysql", "-uroot", "-h127.0.0.1", f"-P{mariadb_server.port}", "-N", "-e",
         "SELECT body FROM wxalbum.comments_comment ORDER BY id"],
        capture_output=True, text=True, check=True,
    ).stdout.split("\n")  # fmt: skip
    assert [body for body in stored if body] == ["before", "back", "again"]
