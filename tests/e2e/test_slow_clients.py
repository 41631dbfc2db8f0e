"""Slow clients: the serving shape in docs/operations.md (nginx with docs/nginx.conf in front
of gunicorn on loopback) keeps answering while fifty clients trickle their headers a byte at a
time; nginx keeps a share's images; and gunicorn alone binds to loopback unless told
otherwise."""

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import httpx
import pytest

from tests.album import pictures
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]

MAKE_LINK = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django; django.setup()
from accounts.models import User
from shortlinks import services as links
creator = User.objects.create(username="slow", openid="slow-openid", nickname="Slow")
link = links.shortlink_create(creator=creator, page="pages/event/index", params={"id": 1})
from accounts import tokens
print(link.code, tokens.issue(creator.pk))
"""


def wait_for(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError(f"{url} never answered")


@pytest.fixture
def gunicorn_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="slow-clients-" + "k3y" * 20,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        WECHAT_APP_ID="wx0123456789abcdef",
        WECHAT_APP_SECRET="secret",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        MEDIA_ROOT=str(tmp_path / "media"),
        STATIC_ROOT=str(tmp_path / "static"),
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="4",
        GUNICORN_ACCESS_LOG="off",
        DJANGO_NUM_PROXIES="1",
        QR_RENDERS_PER_MINUTE="2",
    )
    return env


def start_gunicorn(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:config.gunicorn_conf", "config.wsgi"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip


class Front(NamedTuple):
    base: str
    code: str
    token: str  # a WeChat user's


@pytest.fixture
def behind_nginx(gunicorn_env, tmp_path):
    if shutil.which("nginx") is None:
        pytest.fail("nginx is missing: `make e2e` installs Debian's nginx-light")
    app_port, front_port = free_port(), free_port()
    env = {**gunicorn_env, "GUNICORN_BIND": f"127.0.0.1:{app_port}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT,
                   env=env, check=True)  # fmt: skip
    made = subprocess.run([sys.executable, "-c", MAKE_LINK], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True)  # fmt: skip
    code, token = made.stdout.split()[-2:]
    app = start_gunicorn(env, tmp_path / "gunicorn.log")

    site = (ROOT / "docs" / "nginx.conf").read_text()
    assert "listen 80;" in site
    assert "server 127.0.0.1:8000;" in site
    assert "/var/cache/nginx/wxalbum " in site
    site = site.replace("/var/cache/nginx/wxalbum ", f"{tmp_path}/images ")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{front_port};")
    site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    site = site.replace("/var/log/nginx/access.log", f"{tmp_path}/access.log")
    assert "set_real_ip_from 10.0.0.0/8;" in site
    site = site.replace("set_real_ip_from 10.0.0.0/8;", "set_real_ip_from 127.0.0.1;")  # the LB
    assert "alias /srv/wxalbum/media/;" in site
    site = site.replace("alias /srv/wxalbum/media/;", f"alias {env['MEDIA_ROOT']}/;")
    (tmp_path / "wxalbum.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(f"""
        {"user root;" if os.geteuid() == 0 else ""}
        daemon off;
        worker_processes 1;
        pid {tmp_path}/nginx.pid;
        error_log {tmp_path}/nginx-error.log;
        events {{ worker_connections 1024; }}
        http {{
            access_log off;
            client_body_temp_path {tmp_path}/body;
            proxy_temp_path {tmp_path}/proxy;
            fastcgi_temp_path {tmp_path}/fastcgi;
            uwsgi_temp_path {tmp_path}/uwsgi;
            scgi_temp_path {tmp_path}/scgi;
            include {tmp_path}/wxalbum.conf;
        }}
    """)
    front = subprocess.Popen(["nginx", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
                             stderr=subprocess.STDOUT, stdout=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{front_port}"
    wait_for(f"http://127.0.0.1:{app_port}/healthz")
    wait_for(f"{base}/healthz")
    yield Front(base, code, token)
    front.terminate()
    app.terminate()
    front.wait(timeout=30)
    app.wait(timeout=30)


class Trickle:
    """Connections that send a request's headers one byte at a time and never finish."""

    def __init__(self, base: str, count: int):
        host, port = base.removeprefix("http://").split(":")
        self.sockets = [socket.create_connection((host, int(port))) for _ in range(count)]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._trickle, daemon=True)

    def _trickle(self):
        request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"x" * 4000
        for byte in request:
            for s in self.sockets:
                try:
                    s.send(bytes([byte]))
                except OSError:
                    pass
            if self.stop.wait(0.2):
                return

    def __enter__(self):
        self.thread.start()
        time.sleep(1)  # every connection has started its headers
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=5)
        for s in self.sockets:
            s.close()


def test_fifty_slow_clients_do_not_stop_scans_or_the_probe(behind_nginx):
    base, code, _ = behind_nginx

    with Trickle(base, 50):
        started = time.monotonic()
        probe = httpx.get(f"{base}/healthz", timeout=1)
        scan = httpx.get(f"{base}/api/v1/shortlinks/{code}", timeout=1)
        took = time.monotonic() - started

    assert (probe.status_code, scan.status_code) == (200, 200)
    assert scan.json()["code"] == code
    assert took < 1.0


def test_nginx_keeps_a_shares_images_and_asks_gunicorn_once(behind_nginx):
    base, code, _ = behind_nginx
    image = f"{base}/s/{code}/qr.png"

    first = httpx.get(image)
    again = httpx.get(image)
    revalidated = httpx.get(image, headers={"If-None-Match": first.headers["ETag"]})
    unknown = [httpx.get(f"{base}/s/{'2' * 32}/qr.png") for _ in range(2)]

    assert (first.status_code, first.headers["X-Cache-Status"]) == (200, "MISS")
    assert (again.status_code, again.headers["X-Cache-Status"]) == (200, "HIT")
    assert again.content == first.content
    assert again.headers["X-Request-ID"] != first.headers["X-Request-ID"]
    assert revalidated.status_code == 304
    assert [u.status_code for u in unknown] == [404, 404]
    assert unknown[1].headers["X-Cache-Status"] == "MISS"  # errors are not kept


def test_nginx_logs_the_message_push_without_its_signed_query(behind_nginx, tmp_path):
    base = behind_nginx.base
    httpx.post(f"{base}/wechat/push?timestamp=1&nonce=n&signature=secret-signature", content=b"{}")

    time.sleep(0.5)
    log = (tmp_path / "access.log").read_text()
    assert '"POST /wechat/push"' in log
    assert "secret-signature" not in log


def test_photos_on_local_disk_are_served_by_nginx_with_debug_off(behind_nginx):
    auth = {"Authorization": f"Bearer {behind_nginx.token}"}
    with httpx.Client(base_url=behind_nginx.base, headers=auth, timeout=10) as api:
        album = api.post("/api/v1/albums", json={"title": "Disk", "visibility": "members"})
        jpeg = pictures.jpeg()
        photo = api.post(f"/api/v1/albums/{album.json()['id']}/photos",
                         files={"file": ("p.jpg", jpeg, "image/jpeg")})  # fmt: skip
    assert photo.status_code == 201, photo.text

    # Paths only: nginx passes `Host` without the test's port, which production has not.
    paths = [urlsplit(url).path for url in photo.json()["urls"].values()]
    served = [httpx.get(behind_nginx.base + path, timeout=10) for path in paths]

    assert all(path.startswith("/media/photos/") for path in paths)
    assert [(r.status_code, r.headers["content-type"]) for r in served] == [(200, "image/jpeg")] * 3
    assert httpx.get(f"{behind_nginx.base}/media/../db.sqlite3").status_code in (400, 404)


def test_behind_the_load_balancer_and_nginx_each_client_has_its_own_throttle(behind_nginx):
    base, code, _ = behind_nginx

    def variant(client: str, size: int) -> int:
        return httpx.get(f"{base}/s/{code}/qr.png?size={size}&margin=1",
                         headers={"X-Forwarded-For": client}, timeout=10).status_code  # fmt: skip

    first = [variant("203.0.113.7", size) for size in (301, 302, 303)]
    second = variant("198.51.100.9", 304)  # another phone behind the same load balancer

    assert first == [200, 200, 429]
    assert second == 200


def test_gunicorn_binds_to_loopback_unless_told_otherwise():
    done = subprocess.run(
        [sys.executable, "-c", "from config import gunicorn_conf; print(gunicorn_conf.bind)"],
        cwd=ROOT, env={k: v for k, v in os.environ.items() if k != "GUNICORN_BIND"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip

    assert done.stdout.strip() == "127.0.0.1:8000"
