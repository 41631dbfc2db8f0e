"""What ships is what runs: the wheel, built from this checkout and installed into a fresh
virtual environment outside it, migrates, serves with the packaged gunicorn configuration, and
answers a landing page, a QR image and the OpenAPI document."""

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*command, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, **kwargs)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def fetch(url: str):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A virtual environment outside the checkout with only the wheel (and its dependencies)."""
    where = tmp_path_factory.mktemp("wheel")
    # Built from a copy, so the build leaves nothing (build/, egg-info) in the checkout.
    source = where / "source"
    skip = shutil.ignore_patterns(".git", ".venv", "var", "build", "*.egg-info", "__pycache__")
    shutil.copytree(ROOT, source, ignore=skip)
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(where / "dist"), str(source))
    wheel = next((where / "dist").glob("wxalbum-*.whl"))
    run(sys.executable, "-m", "venv", str(where / "venv"))
    python = where / "venv" / "bin" / "python"
    run(str(python), "-m", "pip", "install", "--quiet", str(wheel))
    return where, python


@pytest.fixture
def served(installed, unused_port):
    where, python = installed
    bin_dir = python.parent
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "HOME": str(where),
        "DJANGO_SECRET_KEY": "wheel-test-" + "k3y" * 20,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "WECHAT_APP_ID": "wx0123456789abcdef",
        "WECHAT_APP_SECRET": "secret",
        "DATABASE_URL": f"sqlite:///{where}/db.sqlite3",
        "MEDIA_ROOT": str(where / "media"),
        "STATIC_ROOT": str(where / "static"),
        "SHORTLINK_BASE_URL": f"http://127.0.0.1:{unused_port}",
        "GUNICORN_BIND": f"127.0.0.1:{unused_port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
        "GUNICORN_ACCESS_LOG": "off",
    }
    run(str(bin_dir / "wxalbum"), "migrate", "--no-input", cwd=where, env=env)
    run(str(bin_dir / "wxalbum"), "collectstatic", "--no-input", cwd=where, env=env)
    made = run(str(python), "-c", MAKE_LINK, cwd=where, env=env)
    code = made.stdout.strip().splitlines()[-1]
    log = (where / "gunicorn.log").open("w+")
    server = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "-c", "python:config.gunicorn_conf", "config.wsgi"],
        cwd=where, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{unused_port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if fetch(f"{base}/healthz")[0] == 200:
                break
        except OSError:  # not listening yet
            time.sleep(0.2)
    yield base, code, where
    server.terminate()
    server.wait(timeout=30)
    log.close()


MAKE_LINK = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django; django.setup()
from accounts.models import User
from album import services as albums
from shortlinks import services as links
owner = User.objects.create(username="wheel", openid="wheel-openid", nickname="Wheel")
album = albums.album_create(owner=owner, title="Shipped album", visibility="members")
link, _ = links.album_share(album=album, actor=owner, role="viewer")
print(link.code)
"""


def test_the_installed_wheel_serves_pages_images_and_the_schema(served):
    base, code, where = served

    page = fetch(f"{base}/s/{code}")
    image = fetch(f"{base}/s/{code}/qr.png")
    schema = fetch(f"{base}/api/schema/?format=json")

    assert page[0] == 200, page[2][:500]
    assert "Shipped album" in page[2].decode()
    assert image[0] == 200
    assert image[2].startswith(b"\x89PNG")
    assert schema[0] == 200
    assert "/api/v1/albums" in json.loads(schema[2])["paths"]
    # It ran from the installed package, not from this checkout.
    site = next((where / "venv" / "lib").glob("python3*/site-packages"))
    assert (site / "shortlinks" / "templates" / "shortlinks" / "landing.html").exists()
    assert not os.path.exists(where / "shortlinks")
