"""Private dependencies a fault test may stop and freeze: a PostgreSQL cluster and a Redis of
its own on free loopback ports, and the project served by gunicorn on them."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import RedisServer, free_port

ROOT = Path(__file__).resolve().parents[2]


class PostgresServer:
    """A throwaway PostgreSQL cluster (initdb, trust, fsync off) run as the `postgres` user
    when the tests run as root, as PostgreSQL insists."""

    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="wxalbum-pg-"))
        self.data = self.directory / "data"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/wxalbum"
        self.postmaster: int | None = None

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def create(self) -> "PostgresServer":
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/postgres",
                             autocommit=True) as conn:  # fmt: skip
            conn.execute("CREATE DATABASE wxalbum")
        return self

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.directory / "postgres.log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "-t", "60",
                  "start")  # fmt: skip
        self.postmaster = int((self.data / "postmaster.pid").read_text().split()[0])

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        self.postmaster = None

    def destroy(self) -> None:
        if self.postmaster is not None:
            try:
                self.stop()
            except subprocess.CalledProcessError:
                os.kill(self.postmaster, signal.SIGKILL)
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture
def postgres_server():
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        pytest.skip("PostgreSQL's server binaries are not installed")
    server = PostgresServer(found[-1].parent).create()
    yield server
    server.destroy()


@pytest.fixture
def fault_redis(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(free_port(), tmp_path).start()
    yield server
    server.stop()


SETUP = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django; django.setup()
from accounts import tokens
from accounts.models import User
from album import services as albums
from shortlinks import services as links
owner = User.objects.create(username="owner", openid="o-owner", nickname="Owner")
member = User.objects.create(username="member", openid="o-member", nickname="Member")
album = albums.album_create(owner=owner, title="Under load", visibility="members")
albums.member_join(album=album, user=member, role="viewer")
link, _ = links.album_share(album=album, actor=owner, role="viewer")
print(link.code, album.pk, tokens.issue(member.pk))
"""


class Served:
    def __init__(self, base: str, env: dict, log: Path):
        self.base, self.env, self.log = base, env, log

    def manage(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env,
                              check=True, capture_output=True, text=True, timeout=120)  # fmt: skip
        return done.stdout


@pytest.fixture
def served_on_private_services(postgres_server, fault_redis, tmp_path):
    """gunicorn with the project's configuration (2 workers x 4 threads) on the private
    PostgreSQL and Redis, in production mode; throttles high enough for the load."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")},
        "DJANGO_SECRET_KEY": "fault-suite-" + "k3y" * 20,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "WECHAT_APP_ID": "wx0123456789abcdef",
        "WECHAT_APP_SECRET": "secret",
        "DATABASE_URL": postgres_server.url,
        "REDIS_URL": fault_redis.url,
        "CACHE_KEY_PREFIX": "faults",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "SHORTLINK_BASE_URL": f"http://127.0.0.1:{port}",
        "THROTTLE_COMMENT_CREATE": "100000/min",
        "THROTTLE_LIKE": "100000/min",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "4",
        "GUNICORN_ACCESS_LOG": "off",
        "LOG_LEVEL": "INFO",
    }
    served = Served(f"http://127.0.0.1:{port}", env, tmp_path / "gunicorn.log")
    served.manage("migrate", "--no-input")
    made = subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    code, album_id, token = made.stdout.split()
    served.code, served.album_id, served.token = code, int(album_id), token
    with served.log.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:config.gunicorn_conf",
             "config.wsgi"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{served.base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield served
        process.terminate()
        process.wait(timeout=30)
