"""What the benchmarks share: production-like settings, child processes, in-process requests.

Each Django benchmark runs in a child process with its own throwaway database, so the numbers
do not depend on (or change) the developer's database, and one benchmark's caches cannot warm
another's.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_env(extra: dict) -> dict:
    """Debug off, as in production, with throwaway secrets and the sandbox turned off."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "WECHAT_APP_ID": "bench",
        "WECHAT_APP_SECRET": "bench",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    env.update(extra)
    return env


def run_child(module: str, extra: dict | None = None) -> list[dict]:
    """Run `python -m module --child` on a fresh SQLite file; it prints its rows as JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        env = production_env({
            "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
            # Seeding a million rows in one statement outlasts production's statement timeout.
            "DATABASE_STATEMENT_TIMEOUT_MS": "0",
            **(extra or {}),
        })  # fmt: skip
        out = subprocess.run(
            [sys.executable, "-m", module, "--child"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
    if out.returncode:
        raise RuntimeError(f"{module} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def setup_child() -> None:
    """In the child: Django set up and the throwaway database migrated."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def client(token: str | None = None):
    """A Django test client speaking to the full stack (all middleware), as 127.0.0.1."""
    from django.test import Client

    headers = {"HTTP_HOST": "127.0.0.1"}
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return Client(**headers)


def median_ms(fn, rounds: int) -> float:
    """Median wall time of `fn()` in milliseconds; fn must fail loudly on a wrong answer."""
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def row(name: str, value: float, unit: str, baseline: str, baseline_value: float) -> dict:
    return {
        "name": name,
        "value": round(value, 2),
        "unit": unit,
        "baseline": baseline,
        "baseline_value": round(baseline_value, 2),
        "ratio": round(value / baseline_value, 2),
    }


def expect(response, status: int = 200):
    assert response.status_code == status, (response.status_code, response.content[:300])  # noqa: S101
    return response
