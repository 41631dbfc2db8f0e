"""The hot paths under gunicorn, as server CPU time per request.

Three servers with the project's own gunicorn configuration (gunicorn.conf.py): a bare WSGI app
answering 302, an empty Django project (no apps, no middleware, one redirect view: the
framework's floor) and the project. wrk loads each path on loopback (16 connections, behind
`X-Forwarded-Proto: https` as in production), in interleaved rounds. Server CPU is read from
/proc for the gunicorn master and its workers (workers that were recycled are counted through
the master's reaped-children times), so it includes everything the server did for the load,
worker boots too. On these shared machines requests/s swing from run to run; CPU per request
holds within about 10 %, so the figures are ratios of CPU per request: "0.90x" means the empty
Django view's CPU per request divided by ours is 0.90 (ours costs 1/0.90 of it).

Runs on the embedded defaults (SQLite, local memory cache) and, when they answer, on
PostgreSQL + Redis.
"""

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.common import ROOT, production_env

DURATION = 3  # seconds of load per measurement
ROUNDS = 3  # interleaved rounds; medians are reported
CONNECTIONS = 16
HEADERS = ["X-Forwarded-Proto: https"]
GUNICORN = ["-c", "gunicorn.conf.py", "--log-level", "warning"]
TICKS = os.sysconf("SC_CLK_TCK")

# The server on one core and wrk on the others, when there are two or more: wrk then never
# takes the server's time slices, which on a shared two-core machine was most of the noise.
_CPUS = sorted(os.sched_getaffinity(0))
SERVER_CPUS = _CPUS[-1:]
LOAD_CPUS = _CPUS[:-1] or _CPUS

# Goals (issue #16): the empty Django view's CPU per request over ours, at least.
GOALS = {"resolve": 0.90, "landing page": 0.75, "qr.png": 0.85, "qr.svg": 0.85}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stat(pid: int) -> list[str]:
    raw = Path(f"/proc/{pid}/stat").read_text()
    return raw[raw.rindex(")") + 2 :].split()  # fields from `state` on


def server_cpu(master: int) -> float:
    """CPU seconds of a gunicorn master, its live workers, and the workers it has reaped."""
    fields = _stat(master)
    total = sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            child = _stat(int(entry.name))
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
        if int(child[1]) == master:  # ppid
            total += int(child[11]) + int(child[12])
    return total / TICKS


def worker_rss_mib(master: int) -> int:
    """The largest resident size among a gunicorn master's workers."""
    sizes = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int(_stat(int(entry.name))[1]) == master:
                status = (entry / "status").read_text()
                line = next(li for li in status.splitlines() if li.startswith("VmRSS"))
                sizes.append(int(line.split()[1]) // 1024)
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return max(sizes)


def _latency_ms(text: str, percentile: str) -> float:
    value, unit = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def load(url: str, headers: list[str], duration: float = DURATION) -> dict:
    """wrk against one URL: requests, requests/s and latency percentiles."""
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency"]
    for header in [*HEADERS, *headers]:
        command += ["-H", header]
    pin = ["taskset", "-c", ",".join(map(str, LOAD_CPUS))]
    out = subprocess.run([*pin, *command, url], check=True, capture_output=True, text=True).stdout
    if "Non-2xx or 3xx responses" in out:
        raise RuntimeError(f"{url} answered errors:\n{out}")
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": _latency_ms(out, "50"),
        "p99_ms": _latency_ms(out, "99"),
    }


def serve(app: str, env: dict) -> tuple[subprocess.Popen, int]:
    port = free_port()
    pin = ["taskset", "-c", ",".join(map(str, SERVER_CPUS))]
    process = subprocess.Popen(
        [*pin, sys.executable, "-m", "gunicorn", *GUNICORN, "--bind", f"127.0.0.1:{port}", app],
        cwd=ROOT,
        # One worker per core the server has, as gunicorn.conf.py does on a whole machine.
        env={**env, "GUNICORN_ACCESS_LOG": "off", "GUNICORN_WORKERS": str(len(SERVER_CPUS))},
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            break
        except urllib.error.HTTPError:
            break  # it answers
        except OSError:
            time.sleep(0.1)
    return process, port


SETUP = """
import django; django.setup()
from django.core.management import call_command; call_command('migrate', verbosity=0)
from accounts.models import User
from shortlinks import qr, services
u, _ = User.objects.get_or_create(username='bench', openid='bench')
link = services.shortlink_create(creator=u, page='pages/a', params={'id': 1})
print(link.code)
"""


def measure(label: str, extra: dict) -> list[dict]:
    env = production_env(extra)
    code = subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True).stdout.split()[-1]  # fmt: skip
    servers = {
        "bare": serve("bench.bare:app", env),
        "empty": serve("bench.empty_django:app", env),
        "ours": serve("config.wsgi:application", env),
    }
    ours = f"http://127.0.0.1:{servers['ours'][1]}"
    png = urllib.request.urlopen(f"{ours}/s/{code}/qr.png")  # noqa: S310 (loopback)
    png_etag = png.headers["ETag"]
    paths = {
        "bare WSGI 302": ("bare", "/", []),
        "empty Django view": ("empty", "/", []),
        "/healthz": ("ours", "/healthz", []),
        "resolve": ("ours", f"/api/v1/shortlinks/{code}", []),
        "landing page": ("ours", f"/s/{code}", []),
        "qr.png": ("ours", f"/s/{code}/qr.png", []),
        "qr.svg": ("ours", f"/s/{code}/qr.svg", []),
        "qr.png 304": ("ours", f"/s/{code}/qr.png", [f"If-None-Match: {png_etag}"]),
    }
    results: dict[str, list[dict]] = {name: [] for name in paths}
    try:
        for server, path, headers in paths.values():  # warm-up: imports, caches
            load(f"http://127.0.0.1:{servers[server][1]}{path}", headers, duration=1)
        for _ in range(ROUNDS):
            for name, (server, path, headers) in paths.items():
                process, port = servers[server]
                before = server_cpu(process.pid)
                result = load(f"http://127.0.0.1:{port}{path}", headers)
                result["cpu_us"] = (server_cpu(process.pid) - before) / result["requests"] * 1e6
                results[name].append(result)
        resting_mib = worker_rss_mib(servers["ours"][0].pid)
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait()

    def median(name: str, key: str) -> float:
        return statistics.median(r[key] for r in results[name])

    empty_cpu = median("empty Django view", "cpu_us")
    rows = []
    for name in paths:
        cpu = median(name, "cpu_us")
        row = {
            "name": f"{name}: server CPU per request ({label})",
            "value": round(cpu),
            "unit": "us",
            "baseline": "empty Django view (CPU per request / ours)",
            "baseline_value": round(empty_cpu),
            "ratio": round(empty_cpu / cpu, 2),
            "rps": round(median(name, "rps")),
        }
        if name in GOALS:
            row["goal"] = GOALS[name]
        rows.append(row)
    rows.append({
        "name": f"gunicorn worker memory at rest, after the load ({label})",
        "value": resting_mib, "unit": "MiB", "baseline": "(none)", "baseline_value": resting_mib,
        "ratio": 1.0,
    })  # fmt: skip
    # The tail of the servers that run none of our code, beside ours: under gunicorn on these
    # machines even the bare WSGI app has a p99 many times its median at saturation.
    for name in ("bare WSGI 302", "empty Django view", "resolve"):
        p50, p99 = median(name, "p50_ms"), median(name, "p99_ms")
        row = {
            "name": f"{name}: p99 latency at {CONNECTIONS} connections ({label})",
            "value": round(p99, 2), "unit": "ms", "baseline": "its median latency",
            "baseline_value": round(p50, 2), "ratio": round(p99 / p50, 2),
        }  # fmt: skip
        if name == "resolve":
            row["goal_max"] = 3.0
        rows.append(row)
    return rows


def services_up() -> bool:
    for port in (5432, 6379):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return False
    return True


def run() -> list[dict]:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is missing: `make bench` installs Debian's wrk")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows += measure("SQLite + local memory", {"DATABASE_URL": f"sqlite:///{tmp}/b.db"})
    if services_up():
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists",
                        "wxalbum_bench"], capture_output=True)  # fmt: skip
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "wxalbum_bench"],
                       capture_output=True, check=True)  # fmt: skip
        rows += measure(
            "PostgreSQL + Redis",
            {
                "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/wxalbum_bench",
                "REDIS_URL": "redis://127.0.0.1:6379/14",
                "CACHE_KEY_PREFIX": "bench",
            },
        )
    return rows


if __name__ == "__main__":
    import json

    sys.path.insert(0, str(ROOT))
    print(json.dumps(run(), indent=2))
