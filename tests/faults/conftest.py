"""Private dependencies a fault test may stop and freeze: a PostgreSQL cluster and a Redis of
its own on free loopback ports, and the project served by gunicorn on them."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
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


class MariaDBServer:
    """A throwaway MariaDB (mariadb-install-db, root without a password) on a free port, run as
    the `mysql` user when the tests run as root."""

    def __init__(self):
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="wxalbum-mariadb-"))
        self.data = self.directory / "data"
        self.url = f"mysql://root@127.0.0.1:{self.port}/wxalbum"
        self.process: subprocess.Popen | None = None

    def create(self) -> "MariaDBServer":
        user = ["--user=mysql"] if os.geteuid() == 0 else []
        if os.geteuid() == 0:
            shutil.chown(self.directory, "mysql")
        subprocess.run(["mariadb-install-db", *user, f"--datadir={self.data}",
                        "--auth-root-authentication-method=normal", "--skip-test-db"],
                       check=True, capture_output=True, timeout=120)  # fmt: skip
        self.start()
        subprocess.run(["mysql", "-uroot", "-h127.0.0.1", f"-P{self.port}", "-e",
                        "CREATE DATABASE wxalbum CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"],
                       check=True, capture_output=True, timeout=30)  # fmt: skip
        return self

    def start(self) -> None:
        user = ["--user=mysql"] if os.geteuid() == 0 else []
        log = (self.directory / "server.log").open("a")
        self.process = subprocess.Popen(
            ["/usr/sbin/mariadbd", "--no-defaults", *user, f"--datadir={self.data}",
             f"--port={self.port}", "--bind-address=127.0.0.1",
             f"--socket={self.directory}/mysqld.sock", f"--pid-file={self.directory}/pid"],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ping = subprocess.run(["mysql", "-uroot", "-h127.0.0.1", f"-P{self.port}", "-e",
                                   "SELECT 1"], capture_output=True)  # fmt: skip
            if ping.returncode == 0:
                return
            time.sleep(0.2)
        raise RuntimeError("MariaDB did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)
        self.process = None

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def destroy(self) -> None:
        if self.process is not None:
            self.thaw()
            self.process.kill()
            self.process.wait(timeout=30)
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture
def mariadb_server():
    if shutil.which("mariadb-install-db") is None or not Path("/usr/sbin/mariadbd").exists():
        pytest.skip("MariaDB's server is not installed")
    pytest.importorskip("MySQLdb", reason="the mysql extra is not installed (make test-mariadb)")
    server = MariaDBServer().create()
    yield server
    server.destroy()


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
print(link.code, album.pk, tokens.issue(member.pk), tokens.issue(owner.pk))
"""


class Served:
    """The project served by gunicorn on the private services, with Celery workers on demand."""

    def __init__(self, base: str, env: dict, tmp_path: Path):
        self.base, self.env, self.tmp_path = base, env, tmp_path
        self.log = tmp_path / "gunicorn.log"
        self.server: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []
        self.stopping = threading.Event()
        self.restarts = 0

    def manage(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env,
                              check=True, capture_output=True, text=True, timeout=120)  # fmt: skip
        return done.stdout

    def serve(self) -> None:
        with self.log.open("w") as log:
            self.server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "python:config.gunicorn_conf",
                 "config.wsgi"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start: {self.log.read_text()[-2000:]}")

    def worker_pids(self) -> list[int]:
        """gunicorn's worker processes (the master's children)."""
        children = Path(f"/proc/{self.server.pid}/task/{self.server.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def start_worker(self, *, restart_on_failure: bool = False) -> subprocess.Popen:
        """A Celery worker of this deployment (threads, 4 at a time), its relay included; with
        `restart_on_failure`, started again 2 s after it exits with an error, as the systemd
        unit (Restart=on-failure) and the container platforms do."""
        n = len(self.workers) + 1
        log = (self.tmp_path / f"worker{n}.log").open("w")
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=threads",
                   "--concurrency=4", "-n", f"w{n}@%h", "--without-heartbeat", "--without-gossip",
                   "--without-mingle", "--loglevel=INFO"]  # fmt: skip

        def start() -> subprocess.Popen:
            return subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log,
                                    stderr=subprocess.STDOUT)  # fmt: skip

        worker = start()
        self.workers.append(worker)
        if restart_on_failure:
            index = len(self.workers) - 1

            def supervise() -> None:
                while not self.stopping.is_set():
                    if self.workers[index].wait() == 0 or self.stopping.wait(2):
                        return
                    self.restarts += 1
                    self.workers[index] = start()

            threading.Thread(target=supervise, daemon=True).start()
        return worker

    def worker_logs(self) -> str:
        return "".join(p.read_text() for p in sorted(self.tmp_path.glob("worker*.log")))

    def stop(self) -> None:
        self.stopping.set()
        for process in [*self.workers, self.server]:
            if process is not None and process.poll() is None:
                process.terminate()
        for process in [*self.workers, self.server]:
            if process is None:
                continue
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def deployment(postgres_server, fault_redis, tmp_path):
    """A factory: `deployment(**env)` migrates and seeds the private PostgreSQL, then serves
    the project with gunicorn (2 workers x 4 threads) in production mode, throttles high
    enough for the load, Redis as cache (and, unless told otherwise, as broker)."""
    started: list[Served] = []

    def deploy(**extra) -> Served:
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
            "THROTTLE_UPLOAD": "100000/min",
            "THROTTLE_WRITE": "100000/min",
            "THROTTLE_SHORTLINK_CREATE": "100000/min",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_THREADS": "4",
            "GUNICORN_ACCESS_LOG": "off",
            "LOG_LEVEL": "INFO",
            **extra,
        }
        served = Served(f"http://127.0.0.1:{port}", env, tmp_path)
        served.manage("migrate", "--no-input")
        made = subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True,
                              capture_output=True, text=True, timeout=60)  # fmt: skip
        code, album_id, token, owner_token = made.stdout.split()
        served.code, served.album_id, served.token = code, int(album_id), token
        served.owner_token = owner_token
        started.append(served)
        served.serve()
        return served

    yield deploy
    for served in started:
        served.stop()


@pytest.fixture
def served_on_private_services(deployment):
    """The project served on the private PostgreSQL and Redis, without a worker."""
    return deployment()
