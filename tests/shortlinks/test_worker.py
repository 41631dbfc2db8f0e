"""The task queue for real: web processes enqueue after commit, separate Celery worker processes
make the mini-program codes, all sharing one access token through Redis. Runs against the
services suite's Redis (or a private one), and once against RabbitMQ when it is there."""

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from shortlinks.models import ShortLink
from tests.conftest import database_url

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
RABBITMQ = "amqp://guest:guest@127.0.0.1:5672//"

CREATE_LINKS = """
import sys
import django; django.setup()
from accounts.models import User
from shortlinks import services
web = int(sys.argv[1])
owner, _ = User.objects.get_or_create(username=f"web{web}", defaults={"openid": f"web{web}"})
for n in range(5):
    services.shortlink_create(creator=owner, page="pages/event/index", params={"n": n})
"""


def reachable(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


@pytest.fixture
def redis_url(request):
    url = os.environ.get("REDIS_URL")
    return url or request.getfixturevalue("private_redis")


@pytest.fixture(params=["redis", "rabbitmq"])
def broker(request, redis_url):
    if request.param == "rabbitmq":
        if not reachable("127.0.0.1", 5672):
            pytest.skip("RabbitMQ is not running on 127.0.0.1:5672")
        return RABBITMQ
    return redis_url


@pytest.fixture
def environment(wechat, tmp_path, redis_url, broker):
    """What a web process and a worker of one deployment share."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))},
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": broker,
        "CACHE_KEY_PREFIX": f"t{uuid.uuid4().hex[:8]}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "WECHAT_APP_ID": "wx-app",
        "WECHAT_APP_SECRET": "wx-secret",
        "WECHAT_API_BASE": wechat.url_for("").rstrip("/"),
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture
def workers(environment, tmp_path):
    started = []
    for n in (1, 2):
        log = (tmp_path / f"worker{n}.log").open("w+")
        started.append((subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=threads",
             "--concurrency=2", "-n", f"w{n}-{uuid.uuid4().hex[:6]}@%h", "--without-heartbeat",
             "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
        ), log))  # fmt: skip
    yield started
    for process, log in started:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_two_web_processes_and_two_workers_make_each_code_once_with_one_token(
    wechat, environment, workers
):
    wechat.expect_request("/cgi-bin/stable_token", method="POST").respond_with_json(
        {"access_token": "SHARED-TOKEN", "expires_in": 7200}
    )
    wechat.expect_request("/wxa/getwxacodeunlimit", method="POST").respond_with_data(
        b"\xff\xd8\xff\xe0jpeg", content_type="image/jpeg"
    )

    webs = [subprocess.Popen([sys.executable, "-c", CREATE_LINKS, str(web)],
                             cwd=ROOT, env=environment) for web in (1, 2)]  # fmt: skip
    for web in webs:
        assert web.wait(timeout=60) == 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and ShortLink.objects.filter(wxacode_key="").exists():
        time.sleep(0.2)

    logs = "\n".join(log.seek(0) or log.read() for _, log in workers)
    assert ShortLink.objects.count() == 10
    assert not ShortLink.objects.filter(wxacode_key="").exists(), logs[-3000:]
    calls = [r for r, _ in wechat.log if r.path == "/wxa/getwxacodeunlimit"]
    scenes = sorted(json.loads(r.data)["scene"] for r in calls)
    assert scenes == sorted(ShortLink.objects.values_list("code", flat=True))
    tokens = [r for r, _ in wechat.log if r.path == "/cgi-bin/stable_token"]
    assert len(tokens) == 1
