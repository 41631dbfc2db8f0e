"""Resolve throughput: GET /api/v1/shortlinks/{code} under gunicorn, against a bare WSGI app
that answers 302, with the same gunicorn settings in the same run. Load from wrk on loopback
(a bounded Python client when wrk is missing). Runs on the embedded defaults (SQLite, local
memory cache) and, when they answer, on PostgreSQL + Redis.
"""

import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.client import HTTPConnection

from bench.common import ROOT, production_env

DURATION = 3  # seconds of load per measurement
ROUNDS = 5  # interleaved rounds; medians are reported
CONNECTIONS = 16
# The production configuration (gunicorn.conf.py: gthread workers, one per core, keep-alive)
# for the app and the bare baseline alike; access lines off, as the app's request log is.
GUNICORN = ["-c", "gunicorn.conf.py", "--log-level", "warning"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _load_python(url: str, duration: float) -> float:
    """Bounded fallback load generator: CONNECTIONS keep-alive clients for DURATION seconds."""
    host, port, path = re.match(r"http://([^:/]+):(\d+)(/.*)", url).groups()
    deadline = time.monotonic() + duration
    counts = []

    def worker():
        conn, done = HTTPConnection(host, int(port), timeout=5), 0
        while time.monotonic() < deadline:
            conn.request("GET", path)
            conn.getresponse().read()
            done += 1
        counts.append(done)

    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / duration


def load(url: str, duration: float = DURATION) -> float:
    if shutil.which("wrk"):
        out = subprocess.run(
            ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration}s", url],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return _load_python(url, duration)


def serve(app: str, env: dict) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *GUNICORN, "--bind", f"127.0.0.1:{port}", app],
        cwd=ROOT,
        env={**env, "GUNICORN_ACCESS_LOG": "off"},
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            break
        except urllib.error.HTTPError:
            break  # it answers (the bare app answers 302 -> 404 at "/")
        except OSError:
            time.sleep(0.1)
    return process, port


def make_link(env: dict) -> str:
    script = (
        "import django; django.setup();"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from accounts.models import User; from shortlinks import services;"
        "u, _ = User.objects.get_or_create(username='bench', openid='bench');"
        "print(services.shortlink_create(creator=u, page='pages/a', params={'id': 1}).code)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return out.stdout.decode().strip().splitlines()[-1]


def measure(label: str, extra: dict) -> list[dict]:
    """Interleave rounds on the bare app, a plain Django view and resolve; report medians.

    The machines are shared and noisy, so each round loads the three servers back to back and
    the figure is the median of the per-round ratios. The plain Django view (`/healthz`, the
    same middleware, no DRF, no cache) shows how much of the gap is Django's own request cycle.
    """
    env = production_env(extra)
    code = make_link(env)
    servers = {
        "bare": (serve("bench.bare:app", env), "/"),
        "django": (serve("config.wsgi:application", env), "/healthz"),
        "resolve": (serve("config.wsgi:application", env), f"/api/v1/shortlinks/{code}"),
    }
    urls = {name: f"http://127.0.0.1:{port}{path}" for name, ((_, port), path) in servers.items()}
    try:
        for url in urls.values():
            load(url, duration=1)  # warm-up: imports done, caches filled
        rounds = [{name: load(url) for name, url in urls.items()} for _ in range(ROUNDS)]
    finally:
        for (process, _), _path in servers.values():
            process.terminate()
            process.wait()

    def row(name: str, what: str) -> dict:
        ratios = [r[name] / r["bare"] for r in rounds]
        return {
            "name": f"{what} req/s ({label})",
            "value": round(statistics.median(r[name] for r in rounds)),
            "unit": "/s",
            "baseline": "bare WSGI 302 app, same gunicorn settings",
            "baseline_value": round(statistics.median(r["bare"] for r in rounds)),
            "ratio": round(statistics.median(ratios), 2),
        }

    return [row("resolve", "resolve"), row("django", "plain Django view")]


def services_up() -> bool:
    for port in (5432, 6379):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return False
    return True


def run() -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows += measure("SQLite + local memory", {"DATABASE_URL": f"sqlite:///{tmp}/b.db"})
    if services_up():
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", "wxalbum_bench"],
            capture_output=True,
        )
        rows += measure(
            "PostgreSQL + Redis",
            {
                "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/wxalbum_bench",
                "REDIS_URL": "redis://127.0.0.1:6379/14",
            },
        )
    return rows


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
