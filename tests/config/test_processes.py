"""The processes a deployment runs start from their systemd units' exact commands, with the
settings in one environment file: the API answers, a worker and beat run a scheduled command,
and a missing setting stops each of them with one line naming it."""

import contextlib
import json
import re
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
VENV_BIN = Path(__file__).resolve().parents[2] / ".venv" / "bin"


def exec_start(unit: str, state: Path) -> list[str]:
    """The unit's ExecStart, with the install's paths made this checkout's."""
    text = (UNITS / f"wxalbum-{unit}.service").read_text()
    command = re.search(r"^ExecStart=(.+)$", text, re.M).group(1)
    command = command.replace("/srv/wxalbum/venv/bin/", f"{VENV_BIN}/")
    return command.replace("/var/lib/wxalbum/", f"{state}/").split()


def environment_file(path: Path) -> dict[str, str]:
    """What systemd's EnvironmentFile= gives the process: NAME=value lines, # comments."""
    pairs = [line.split("=", 1) for line in path.read_text().splitlines()
             if line.strip() and not line.lstrip().startswith(("#", ";"))]  # fmt: skip
    return {"PATH": "/usr/bin:/bin", "HOME": str(path.parent), **dict(pairs)}


@pytest.fixture
def installed(tmp_path, private_redis):
    """/etc/wxalbum/wxalbum.env for one machine: production settings on SQLite and Redis."""
    env_file = tmp_path / "wxalbum.env"
    port = free_port()
    env_file.write_text("\n".join([
        "# as an operator writes it, from .env.example",
        "DJANGO_DEBUG=false",
        "DJANGO_SECRET_KEY=" + "units-test-k3y-" * 4,
        "DJANGO_ALLOWED_HOSTS=127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT=false",
        "WECHAT_APP_ID=wx0123456789abcdef",
        "WECHAT_APP_SECRET=secret",
        f"DATABASE_URL=sqlite:///{tmp_path}/wxalbum.sqlite3",
        f"REDIS_URL={private_redis}",
        f"MEDIA_ROOT={tmp_path}/media",
        f"STATIC_ROOT={tmp_path}/static",
        f"GUNICORN_BIND=127.0.0.1:{port}",
        "GUNICORN_WORKERS=1",
        "SCHEDULED_COMMANDS=flush_visits:1",
        "CACHE_KEY_PREFIX=units-test",
    ]) + "\n")  # fmt: skip
    env = environment_file(env_file)
    subprocess.run([f"{VENV_BIN}/wxalbum", "migrate", "--no-input"], env=env, cwd=tmp_path,
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    return env, port


@contextlib.contextmanager
def started(unit: str, env: dict, cwd: Path):
    log = cwd / f"{unit}.log"
    with log.open("w") as out:
        process = subprocess.Popen(exec_start(unit, cwd), env=env, cwd=cwd, stdout=out,
                                   stderr=subprocess.STDOUT)  # fmt: skip
        try:
            yield log
        finally:
            process.terminate()  # systemd's KillSignal=SIGTERM
            assert process.wait(timeout=60) is not None


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def ran(log: Path, command: str) -> bool:
    for line in log.read_text().splitlines():
        with contextlib.suppress(ValueError):
            entry = json.loads(line)
            if entry.get("msg") == "scheduled command ran" and entry.get("command") == command:
                return True
    return False


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def test_the_units_commands_serve_and_run_the_schedule(installed, tmp_path):
    env, port = installed

    with (started("web", env, tmp_path), started("worker", env, tmp_path) as worker_log,
          started("beat", env, tmp_path)):  # fmt: skip
        assert wait_for(lambda: healthy(port), 30), (tmp_path / "web.log").read_text()[-2000:]
        assert wait_for(lambda: ran(worker_log, "flush_visits"), 40), worker_log.read_text()[-3000:]

    assert (tmp_path / "celerybeat-schedule").exists() or list(tmp_path.glob("celerybeat-*"))


@pytest.mark.parametrize("unit", ["web", "worker", "beat"])
def test_a_missing_setting_stops_each_with_one_line_naming_it(installed, tmp_path, unit):
    env, _ = installed
    del env["DJANGO_SECRET_KEY"]

    result = subprocess.run(exec_start(unit, tmp_path), env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)  # fmt: skip

    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert "Set the DJANGO_SECRET_KEY environment variable" in result.stderr + result.stdout
