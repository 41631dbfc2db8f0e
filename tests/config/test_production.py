"""Production settings as an operator runs them: `check --deploy`, gunicorn, static files, logs.

These start real processes (manage.py, gunicorn) with debug off and the required variables set,
as `make serve` does.
"""

import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def production_env(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "WECHAT_", "GUNICORN_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="production-test-" + "k3y" * 20,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        WECHAT_APP_ID="wx0123456789abcdef",
        WECHAT_APP_SECRET="secret",
        DATABASE_URL=f"sqlite:///{tmp_path}/prod.db",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    return env


def manage(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_check_deploy_reports_nothing(production_env):
    result = manage(production_env, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_missing_secret_stops_start_up_with_its_name(production_env):
    del production_env["DJANGO_SECRET_KEY"]

    result = manage(production_env, "check")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_cloud_hosting_identity_starts_only_once_public_access_is_said_to_be_closed(
    production_env,
):
    cloud = {**production_env, "WECHAT_IDENTITY": "cloudrun", "WECHAT_OPEN_API": "cloudrun"}
    del cloud["WECHAT_APP_SECRET"]  # the open API service needs none

    refused = manage(cloud, "check")
    confirmed = manage({**cloud, "WECHAT_CLOUDRUN_PUBLIC_ACCESS": "off"}, "check")

    assert refused.returncode != 0
    assert "WECHAT_CLOUDRUN_PUBLIC_ACCESS=off" in refused.stderr
    assert confirmed.returncode == 0, confirmed.stderr


@contextlib.contextmanager
def serving(env: dict, port: int, log):
    """gunicorn as `make serve` starts it, on `port`, logging to `log`; stopped on exit."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def python(env: dict, source: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", source], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip


@pytest.fixture
def gunicorn(production_env, unused_port, tmp_path):
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        assert manage(production_env, *command).returncode == 0
    env = {**production_env, "GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "2"}
    with (tmp_path / "gunicorn.log").open("w+") as log, serving(env, unused_port, log) as base:
        yield base, log


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, method: str = "GET", **headers):
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers, method=method)
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_gunicorn_serves_the_api_behind_tls_and_logs_json(gunicorn):
    base, log = gunicorn

    status, headers, _ = fetch(f"{base}/healthz", **{"X-Forwarded-Proto": "https"})
    plain_http, redirect, _ = fetch(f"{base}/api/v1/me")

    assert status == 200
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert plain_http == 301
    assert redirect["Location"].startswith("https://")
    time.sleep(0.2)  # the access line is written after the response
    log.seek(0)
    lines = [json.loads(line) for line in log if line.startswith("{")]
    ours = [e for e in lines if e.get("request_id") == headers["X-Request-ID"]]
    # The app's request line and gunicorn's access line, joined by the request id.
    assert {e["logger"] for e in ours} == {"wxalbum.request", "gunicorn.access"}
    assert all(e["status"] == 200 and e["path"] == "/healthz" for e in ours)


def test_a_replaced_worker_serves_at_once_forked_from_the_loaded_project(
    production_env, unused_port, tmp_path
):
    assert manage(production_env, "migrate", "--no-input").returncode == 0
    env = {**production_env, "GUNICORN_WORKERS": "1", "GUNICORN_MAX_REQUESTS": "3"}
    with (tmp_path / "gunicorn.log").open("w+") as log:
        with serving(env, unused_port, log) as base:
            # Three workers' lives (max_requests 3, jitter 0): each new worker is a fork of the
            # master, which loaded the project, and answers the next request without an import.
            answers = [fetch(f"{base}/healthz", **{"X-Forwarded-Proto": "https"})[0]
                       for _ in range(9)]  # fmt: skip
        log.seek(0)
        text = log.read()

    assert answers == [200] * 9
    assert text.count("Autorestarting worker") >= 2
    assert "Traceback" not in text


def test_loading_the_project_opens_no_connection_a_worker_would_inherit(production_env):
    show = ("import config.wsgi; from django.db import connections; "
            "print([c.connection for c in connections.all()])")  # fmt: skip
    result = python(production_env, show)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "[None]"


def test_garbage_made_after_loading_is_still_collected(production_env):
    # config.wsgi freezes what loading made out of the collector's sight; requests' own
    # reference cycles must still be freed.
    show = ("import config.wsgi, gc, weakref\n"
            "class Node: pass\n"
            "node = Node(); node.me = node; ref = weakref.ref(node); del node\n"
            "gc.collect(); print(gc.get_freeze_count() > 0, ref() is None)")  # fmt: skip
    result = python(production_env, show)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["True", "True"]


SHARE_AND_TOKEN = """
import django; django.setup()
from accounts import tokens
from tests.factories import AlbumFactory, ShareFactory
share = ShareFactory(album=AlbumFactory())
print(share.code, tokens.issue(share.album.owner_id))
"""


def test_once_a_revoke_returns_no_worker_serves_the_link_from_its_near_copy(
    production_env, redis_server, tmp_path
):
    env = {**production_env, "REDIS_URL": redis_server.url, "GUNICORN_WORKERS": "2"}
    assert manage(env, "migrate", "--no-input").returncode == 0
    code, token = python(env, SHARE_AND_TOKEN).stdout.split()
    https = {"X-Forwarded-Proto": "https"}
    with (tmp_path / "gunicorn.log").open("w+") as log, serving(env, free_port(), log) as base:
        scan = f"{base}/api/v1/shortlinks/{code}"
        before = [fetch(scan, **https)[0] for _ in range(40)]  # both workers keep a copy
        started = time.monotonic()
        revoked = fetch(scan, "DELETE", Authorization=f"Bearer {token}", **https)[0]
        took = time.monotonic() - started
        after = [fetch(scan, **https)[0] for _ in range(40)]

    assert before == [200] * 40
    assert revoked == 204
    assert took >= 0.5  # SHORTLINK_NEAR_CACHE_SECONDS: held until no copy can be served
    assert after == [410] * 40


def test_static_files_are_served_hashed_and_cached_for_ever(gunicorn, production_env):
    base, _ = gunicorn
    manifest = json.loads((Path(production_env["STATIC_ROOT"]) / "staticfiles.json").read_text())
    hashed = manifest["paths"]["admin/css/base.css"]

    status, headers, body = fetch(f"{base}/static/{hashed}", **{"X-Forwarded-Proto": "https"})

    assert status == 200
    assert b"body" in body
    assert "immutable" in headers["Cache-Control"]


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DJANGO_SECURE_SSL_REDIRECT", "ture"),
        ("DJANGO_DEBUG", "flase"),
        ("PHOTO_MAX_BYTES", "20MB"),
    ],
)
def test_a_misspelt_setting_stops_start_up_naming_it(production_env, variable, value):
    result = manage({**production_env, variable: value}, "check")

    assert result.returncode != 0
    assert f"{variable}={value!r}" in result.stderr


def test_gunicorn_reads_its_variables_with_the_same_parser(production_env):
    env = {**production_env, "GUNICORN_ACCESS_LOG": "of"}
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--check-config",
         "config.wsgi"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    assert result.returncode != 0
    assert "GUNICORN_ACCESS_LOG='of'" in result.stdout + result.stderr


@pytest.mark.parametrize(("value", "expected"), [("on", True), ("OFF", False), ("1", True),
                                                 ("no", False), ("", True)])  # fmt: skip
def test_booleans_take_the_usual_spellings(monkeypatch, value, expected):
    from config.env import env_bool

    monkeypatch.setenv("GUNICORN_ACCESS_LOG", value)

    assert env_bool("GUNICORN_ACCESS_LOG", True) is expected


def test_debug_without_a_key_makes_a_random_one_once_and_keeps_it(production_env):
    env = {**production_env, "DJANGO_DEBUG": "true"}
    del env["DJANGO_SECRET_KEY"]
    show = "from django.conf import settings; print(settings.SECRET_KEY)"

    first = manage(env, "shell", "-c", show).stdout.split()[-1]
    second = manage(env, "shell", "-c", show).stdout.split()[-1]

    assert first == second
    assert len(first) >= 50
    kept = ROOT / "var" / "debug_secret_key"
    assert kept.read_text().strip() == first
    assert kept.stat().st_mode & 0o777 == 0o600
    assert first not in (ROOT / "config" / "settings.py").read_text()
