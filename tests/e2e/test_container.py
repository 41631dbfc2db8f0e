"""The container image: built from the Dockerfile with podman on a base made from Debian's
packages (no registry is reachable here), started as Cloud Hosting starts it, and used by the
mini-program's journey over HTTP: on the embedded defaults, on MariaDB, and Cloud-Hosting-shaped
(the gateway's identity headers, WeChat's open API service without a token).

These machines need three podman options a usual host does not: runc with cgroupfs (crun
refuses the hybrid cgroup layout) and ulimits below the host's (raising them is refused).
"""

import json
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import httpx
import pytest
from werkzeug import Request, Response

from tests.album import pictures
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
BASE = "localhost/wxalbum-base:bookworm"
IMAGE = "localhost/wxalbum:e2e"
PODMAN = ["podman", "--runtime", "runc", "--cgroup-manager", "cgroupfs"]
LIMITS = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"]
CA = "/etc/ssl/certs/ca-certificates.crt"  # this network's registry proxy signs with its own CA

pytestmark = pytest.mark.skipif(
    shutil.which("podman") is None, reason="podman is not installed (make e2e installs it)"
)


def podman(*args, timeout=900) -> subprocess.CompletedProcess:
    result = subprocess.run([*PODMAN, *args], capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


@pytest.fixture(scope="module")
def image():
    if subprocess.run([*PODMAN, "image", "exists", BASE]).returncode != 0:
        made = subprocess.run([str(ROOT / "deploy/container/make-base.sh"), BASE],
                              capture_output=True, text=True, timeout=900)  # fmt: skip
        assert made.returncode == 0, made.stderr[-3000:]
    podman("build", "--network", "host", *LIMITS, "-v", f"{CA}:{CA}:ro",
           "--build-arg", f"BASE={BASE}", "-t", IMAGE, str(ROOT))  # fmt: skip
    return IMAGE


class Container:
    def __init__(self, image: str, env: dict, command: str = "web"):
        self.port = free_port()
        self.name = f"wxalbum-e2e-{uuid.uuid4().hex[:8]}"
        options = [f"--env={key}={value}" for key, value in {**env, "PORT": self.port}.items()]
        podman("run", "-d", "--name", self.name, "--network", "host", *LIMITS, *options,
               image, command)  # fmt: skip
        self.base = f"http://127.0.0.1:{self.port}"

    def ready(self, seconds: float = 90) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/readyz", timeout=2).status_code == 200:
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        return False

    def logs(self) -> str:
        found = subprocess.run([*PODMAN, "logs", self.name], capture_output=True, text=True)
        return (found.stdout + found.stderr)[-4000:]

    def stop(self) -> None:
        subprocess.run([*PODMAN, "rm", "-f", "-t", "5", self.name], capture_output=True)


@pytest.fixture
def started(image):
    running = []

    def start(env: dict, command: str = "web") -> Container:
        container = Container(image, env, command)
        running.append(container)
        assert container.ready(), container.logs()
        return container

    yield start
    for container in running:
        container.stop()


class Phone:
    """The mini-program over HTTP: wx.request (JSON) and wx.uploadFile (multipart POST)."""

    def __init__(self, base: str, headers: dict | None = None):
        self.http = httpx.Client(base_url=base, headers=headers or {}, timeout=20)

    def login(self, code: str) -> dict:
        answer = self.call("POST", "/api/v1/auth/login", {"code": code})
        self.http.headers["Authorization"] = f"Bearer {answer['token']}"
        return answer["user"]

    def call(self, method: str, url: str, body=None, expect=(200, 201, 204)) -> dict:
        response = self.http.request(method, url, json=body)
        assert response.status_code in expect, (method, url, response.text[:500])
        return response.json() if response.content else {}

    def upload(self, url: str, data: bytes, form=None) -> dict:
        response = self.http.post(url, data=form or {}, files={"file": ("tmp.jpg", data)})
        assert response.status_code in (200, 201), (url, response.text[:500])
        return response.json()


def journey(ada: Phone, bo: Phone) -> None:
    """Profile and avatar, an album, a photo, a share the other opens, a comment and a like."""
    ada.call("PUT", "/api/v1/me", {"nickname": "Ada"})
    ada.upload("/api/v1/me/avatar", pictures.jpeg())
    album = ada.call("POST", "/api/v1/albums", {"title": "容器里的相册", "visibility": "members"})
    photo = ada.upload(f"/api/v1/albums/{album['id']}/photos", pictures.jpeg(), {"caption": "湖"})
    share = ada.call("POST", f"/api/v1/albums/{album['id']}/share", {"role": "viewer"})
    joined = bo.call("GET", f"/api/v1/shortlinks/{share['code']}")
    comment = bo.call("POST", f"/api/v1/photos/{photo['id']}/comments", {"body": "真好看 👍"})
    liked = ada.call("PUT", f"/api/v1/comments/{comment['id']}/like")
    page = ada.http.get(f"/s/{share['code']}", headers={"Accept-Language": "zh-CN"})

    assert joined["album_id"] == album["id"]
    assert [p["caption"] for p in bo.call("GET", f"/api/v1/albums/{album['id']}/photos")[
        "results"]] == ["湖"]  # fmt: skip
    comments = ada.call("GET", f"/api/v1/photos/{photo['id']}/comments")["results"]
    assert [c["body"] for c in comments] == ["真好看 👍"]  # emoji stored (utf8mb4 on MariaDB)
    assert liked == {"liked": True, "like_count": 1}
    assert page.status_code == 200
    assert "容器里的相册" in page.text
    assert ada.call("GET", "/api/v1/me")["avatar"]["review"] == "unchecked"


DEFAULTS = {"DJANGO_DEBUG": "true", "RUN_MIGRATIONS": "1", "WEB_CONCURRENCY": "1"}


def test_the_image_serves_the_journey_on_the_embedded_defaults(started):
    container = started(DEFAULTS)
    ada, bo = Phone(container.base), Phone(container.base)
    ada.login("ada-code")
    bo.login("bo-code")

    journey(ada, bo)


def test_the_image_serves_the_journey_on_mariadb(started):
    database = f"wxalbum_container_{uuid.uuid4().hex[:6]}"
    subprocess.run(["mysql", "-uroot", "-h127.0.0.1", "-e",
                    f"CREATE DATABASE {database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"],
                   check=True)  # fmt: skip
    try:
        container = started({**DEFAULTS, "DATABASE_URL": f"mysql://root@127.0.0.1:3306/{database}"})
        ada, bo = Phone(container.base), Phone(container.base)
        ada.login("ada-code")
        bo.login("bo-code")

        journey(ada, bo)
    finally:
        subprocess.run(["mysql", "-uroot", "-h127.0.0.1", "-e", f"DROP DATABASE {database}"])


def open_api(request: Request) -> Response:
    """Cloud Hosting's open API service as the container sees it: credentials are its own, so
    a call that brings an access token is refused."""
    if "access_token" in request.args or request.path == "/cgi-bin/stable_token":
        return Response(json.dumps({"errcode": 41001, "errmsg": "no token here"}), status=400)
    if request.path == "/wxa/msg_sec_check":
        body = {"errcode": 0, "result": {"suggest": "pass", "label": 100}}
    else:
        body = {"errcode": 0, "errmsg": "ok"}
    return Response(json.dumps(body), content_type="application/json",
                    headers={"x-openapi-seqid": "seq-e2e"})  # fmt: skip


def test_a_cloud_hosting_shaped_run_needs_no_login_and_no_token(started, httpserver):
    httpserver.expect_request("/cgi-bin/stable_token").respond_with_handler(open_api)
    httpserver.expect_request("/wxa/msg_sec_check").respond_with_handler(open_api)
    container = started({
        "DJANGO_SECRET_KEY": "container-e2e-" + "k3y" * 15, "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false", "RUN_MIGRATIONS": "1", "WEB_CONCURRENCY": "1",
        "WECHAT_APP_ID": "wx-cloud-app", "WECHAT_IDENTITY": "cloudrun",
        "WECHAT_OPEN_API": "cloudrun", "WECHAT_CLOUDRUN_PUBLIC_ACCESS": "off",
        "WECHAT_API_BASE": httpserver.url_for("").rstrip("/"), "CONTENT_CHECK": "wechat",
        "SHORTLINK_BASE_URL": "https://wx.example.com",
    })  # fmt: skip
    # What the gateway adds to each wx.cloud.callContainer request.
    gateway = {"X-WX-APPID": "wx-cloud-app", "X-WX-SOURCE": "wx_client"}
    ada = Phone(container.base, {**gateway, "X-WX-OPENID": "o-ada-cloud"})
    bo = Phone(container.base, {**gateway, "X-WX-OPENID": "o-bo-cloud"})

    journey(ada, bo)

    checks = [r for r, _ in httpserver.log if r.path == "/wxa/msg_sec_check"]
    assert checks  # every text went to WeChat's check, through the open API service
    assert all("access_token" not in r.args for r, _ in httpserver.log)
    assert ada.call("GET", "/api/v1/me")["openid"] == "o-ada-cloud"
