"""Standing actors and the API client every test shares."""

import time

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from accounts import tokens
from accounts.models import User
from tests.factories import StaffFactory, UserFactory


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Tasks run in the test's process when enqueued, whatever broker the suite has (the
    services suite's Redis): tests see their effects at once. tests/shortlinks/test_worker.py
    runs real workers in their own processes."""
    from config.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttles, counters and breakers start empty for every test."""
    from shortlinks.counters import get_counters

    cache.clear()
    get_counters().clear()
    yield
    cache.clear()
    get_counters().clear()


# The standing actors, one meaning in every app: `owner` made the album; `member` joined it as a
# viewer; `contributor` joined it as a contributor; `outsider` is logged in and not in it;
# `staff` is an operator in the admin; `anonymous` has no token.


@pytest.fixture
def owner(db):
    return UserFactory(nickname="owner")


@pytest.fixture
def member(db):
    return UserFactory(nickname="member")


@pytest.fixture
def contributor(db):
    return UserFactory(nickname="contributor")


@pytest.fixture
def outsider(db):
    return UserFactory(nickname="outsider")


@pytest.fixture
def staff(db):
    return StaffFactory(username="operator")


@pytest.fixture
def staff_client(client, staff):
    """Django's test client signed in to the admin as `staff`."""
    client.force_login(staff)
    return client


class Client(APIClient):
    """An API client that can act as a user through a real bearer token. It reads English
    (problem details are Chinese when a request names no language we have)."""

    def __init__(self, **defaults):
        super().__init__(HTTP_ACCEPT_LANGUAGE="en", **defaults)

    def request(self, *args, **kwargs):
        # The test's transaction never commits: what a request's services leave for after
        # their commit (the tasks of the outbox, run in-process) runs once it has answered,
        # as a worker would run it.
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(*args, **kwargs)

    def as_user(self, user: User | None) -> "Client":
        if user is None:
            self.credentials()
        else:
            self.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.issue(user.pk)}")
        return self


@pytest.fixture
def api():
    """A client for an anonymous caller; `api.as_user(owner)` to act as someone."""
    return Client()


@pytest.fixture
def anonymous():
    """The caller with no token, for permission matrices that name their actors."""
    return None


@pytest.fixture
def wechat(httpserver):
    """The real WeChat HTTP client, pointed at a local stand-in for the WeChat API."""
    with override_settings(
        WECHAT_SANDBOX=False,
        WECHAT_API_BASE=httpserver.url_for("").rstrip("/"),
        WECHAT_APP_ID="wx-app",
        WECHAT_APP_SECRET="wx-secret",
        WECHAT_TIMEOUT=0.5,
    ):
        yield httpserver


@pytest.fixture
def weixin(wechat, settings):
    """WeChat with the photo check on: a token, a trace id per image sent, and the push."""
    import itertools
    import json

    from werkzeug import Response

    from tests.wechat import pushes

    settings.PHOTO_CONTENT_CHECK = "wechat"
    settings.WECHAT_PUSH_TOKEN = pushes.PUSH_TOKEN
    settings.WECHAT_PUSH_AES_KEY = pushes.AES_KEY
    wechat.expect_request("/cgi-bin/stable_token", method="POST").respond_with_json(
        {"access_token": "TOKEN-1", "expires_in": 7200}
    )
    traces = itertools.count(1)
    wechat.expect_request(pushes.CHECK, method="POST").respond_with_handler(
        lambda request: Response(json.dumps({"errcode": 0, "trace_id": f"trace-{next(traces)}"}))
    )
    return wechat


def database_url() -> str:
    """The test database as a DATABASE_URL, for the processes a test starts."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    scheme = {"postgresql": "postgres", "mysql": "mysql"}[connection.vendor]
    credentials = f"{db['USER']}:{db['PASSWORD']}" if db["PASSWORD"] else db["USER"]
    return f"{scheme}://{credentials}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


TOKEN_PATH = "/cgi-bin/stable_token"
CHECK_PATH = "/wxa/msg_sec_check"


@pytest.fixture
def checked(wechat, settings):
    """CONTENT_CHECK=wechat against the local stand-in, with an access token to hand out."""
    settings.CONTENT_CHECK = "wechat"
    credentials = {"grant_type": "client_credential", "appid": "wx-app", "secret": "wx-secret"}
    wechat.expect_request(
        TOKEN_PATH, method="POST", json={**credentials, "force_refresh": False}
    ).respond_with_json({"access_token": "TOKEN-1", "expires_in": 7200})
    # After WeChat calls the token invalid: one forced refresh, which WeChat rate-limits.
    wechat.expect_request(
        TOKEN_PATH, method="POST", json={**credentials, "force_refresh": True}
    ).respond_with_json({"access_token": "TOKEN-2", "expires_in": 7200})
    return wechat


def verdict(suggest: str) -> dict:
    return {"errcode": 0, "errmsg": "ok", "result": {"suggest": suggest, "label": 100}}


def free_port() -> int:
    """A loopback port nothing listens on."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def unused_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    """A SeaweedFS S3 gateway for the whole session, started on first use."""
    from tests.seaweedfs import SeaweedFS

    server = SeaweedFS(tmp_path_factory.mktemp("seaweedfs"))
    server.start()
    yield server
    server.stop()


def _s3_storage_settings(server, bucket: str, location: str) -> dict:
    from tests.seaweedfs import ACCESS_KEY, SECRET_KEY

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "location": location,
            "endpoint_url": server.endpoint,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "region_name": "us-east-1",
            "addressing_style": "path",
            "signature_version": "s3v4",
            "querystring_auth": True,
            "querystring_expire": 600,
            "file_overwrite": False,
            "default_acl": None,
        },
    }


@pytest.fixture
def local_photos(settings, tmp_path):
    """Photos on local disk in a fresh directory, for tests where the storage does not matter."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media", "base_url": "/media/"},
        },
    }
    return "local"


@pytest.fixture(params=["local", "s3"])
def photo_storage(request, settings, tmp_path):
    """Runs a test twice: photos on local disk, then in a fresh bucket on SeaweedFS."""
    if request.param == "local":
        return request.getfixturevalue("local_photos")

    import uuid

    server = request.getfixturevalue("s3_bucket")
    # One bucket per session (each SeaweedFS bucket takes volumes); a fresh prefix per test.
    location = f"t-{uuid.uuid4().hex[:12]}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": _s3_storage_settings(server, S3_BUCKET, location),
    }
    return "s3"


S3_BUCKET = "photos"


@pytest.fixture(scope="session")
def s3_bucket(seaweedfs):
    """The session's SeaweedFS with its one bucket made."""
    import boto3

    from tests.seaweedfs import ACCESS_KEY, SECRET_KEY

    client = boto3.client(
        "s3",
        endpoint_url=seaweedfs.endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
    )
    for attempt in range(50):  # the gateway answers a moment before its filer is ready
        try:
            client.create_bucket(Bucket=S3_BUCKET)
            break
        except Exception:
            if attempt == 49:
                raise
            time.sleep(0.2)
    return seaweedfs


class RedisServer:
    """A Redis server of a test's own on a loopback port, which the test may stop, start
    again (empty), freeze (SIGSTOP: it accepts connections and answers nothing) and thaw."""

    def __init__(self, port: int, directory):
        self.port, self.directory = port, directory
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    def start(self) -> "RedisServer":
        import subprocess

        import redis

        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_timeout=1)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.thaw()
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def freeze(self) -> None:
        import signal

        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        import signal

        self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def redis_server(tmp_path, unused_port):
    import shutil

    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(unused_port, tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache(settings, redis_server, monkeypatch):
    """The default cache on a Redis of the test's own, given up on quickly when it fails."""
    from config.cache import RedisCache

    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "outage",
            "OPTIONS": {"socket_timeout": 0.3, "socket_connect_timeout": 0.3},
        }
    }
    monkeypatch.setattr(RedisCache, "DOWN_FOR", 0.5)  # try Redis again soon after it returns
    return redis_server


@pytest.fixture
def private_redis(redis_server):
    """A Redis server of this test's own on a free loopback port; its URL."""
    return redis_server.url


# --- Problem codes: the suite must produce every code the registry lists ---------------------

PRODUCED_CODES: set[str] = set()
REGISTRY_CHECK = "test_every_registered_code_is_produced_by_some_test"


@pytest.fixture(scope="session", autouse=True)
def _record_problem_codes():
    """Note the code of every problem document built while the suite runs (an observation:
    the document is built by the real function and returned unchanged)."""
    from config import problems

    build = problems.problem

    def recording(status_code, code, detail, **extra):
        PRODUCED_CODES.add(code)
        return build(status_code, code, detail, **extra)

    problems.problem = recording
    yield
    problems.problem = build


def pytest_collection_modifyitems(session, config, items):
    """The registry check runs last, and only when the whole suite was asked for."""
    last = [item for item in items if item.name == REGISTRY_CHECK]
    for item in last:
        items.remove(item)
        items.append(item)
    whole = not config.option.keyword and all(
        arg.rstrip("/").endswith("tests") for arg in config.args
    )
    config.stash[_WHOLE_SUITE] = whole


_WHOLE_SUITE = pytest.StashKey[bool]()


@pytest.fixture
def whole_suite(request) -> bool:
    return request.config.stash.get(_WHOLE_SUITE, False)
