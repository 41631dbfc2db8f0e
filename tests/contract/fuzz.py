"""Contract fuzzing: schemathesis against the live OpenAPI schema of a running server.

Run by `make fuzz` (and `.ci/run`). It starts gunicorn on loopback over a throwaway database
seeded with one user's album, photo, comment and short link, then lets schemathesis generate
requests for every operation as that logged-in user, with a time budget, in every phase
(examples, coverage, fuzzing, and stateful sequences that follow the schema's links). Every
check schemathesis has applies; a failure is any 5xx, a response that does not match the schema
(body, status code, content type, headers), a request the schema calls invalid that is
accepted, or a well-formed request refused other than by a documented business rule. Not
collected by pytest (no `test_` prefix).
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_TIME = int(os.environ.get("FUZZ_MAX_TIME", "240"))  # seconds of generation, all phases
# Every check schemathesis has; the two about accepting and refusing requests in the forms that
# allow the documented business rules and the wire (tests/contract/rules.py, loaded as hooks).
HOOKS = "tests.contract.rules"
EXCLUDED_CHECKS = "positive_data_acceptance,negative_data_rejection"

SEED = """
import django; django.setup()
from accounts import tokens
from accounts.models import User
from album import services as albums
from comments import services as comments
from shortlinks import services as links
from tests.album import pictures

user = User.objects.create(username="fuzz", openid="fuzz-openid", nickname="Fuzz")
friend = User.objects.create(username="friend", openid="friend-openid", nickname="Friend")
album = albums.album_create(owner=user, title="Fuzzed", visibility="members")
albums.member_join(album=album, user=friend, role="viewer")
photo = albums.photo_upload(album=album, uploader=user, data=pictures.jpeg())
comments.comment_create(user=user, album=album, photo=photo, body="First")
links.album_share(album=album, actor=user, role="viewer")
print(tokens.issue(user.pk))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "true",  # the sandbox WeChat client, so login can be fuzzed too
            "DJANGO_SECRET_KEY": "fuzz-only-secret",
            "DATABASE_URL": f"sqlite:///{tmp}/fuzz.db",
            "MEDIA_ROOT": f"{tmp}/media",
            "LOG_LEVEL": "WARNING",
            # Throttles would answer most generated requests with 429 and test nothing else.
            **{
                f"THROTTLE_{scope}": "100000/min"
                for scope in (
                    "LOGIN",
                    "UPLOAD",
                    "SHORTLINK_CREATE",
                    "COMMENT_CREATE",
                    "LIKE",
                    "WRITE",
                )
            },
        }
        env.pop("REDIS_URL", None)
        python = [sys.executable]
        subprocess.run(
            [*python, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
        )
        seeded = subprocess.run(
            [*python, "-c", SEED], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        token = seeded.stdout.strip().splitlines()[-1]

        port = free_port()
        server = subprocess.Popen(
            [*python, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2",
                 "GUNICORN_ACCESS_LOG": "off"},
        )  # fmt: skip
        try:
            schema = f"http://127.0.0.1:{port}/api/schema/?format=json"
            for _ in range(100):
                try:
                    urllib.request.urlopen(schema, timeout=2)  # noqa: S310 (loopback)
                    break
                except OSError:
                    time.sleep(0.2)
            junit = os.environ.get("FUZZ_REPORT")  # CI sums every suite's JUnit XML
            report = ["--report", "junit", "--report-junit-path", junit] if junit else []
            return subprocess.run(
                [
                    str(Path(sys.executable).parent / "schemathesis"),
                    "run",
                    schema,
                    "--header",
                    f"Authorization: Bearer {token}",
                    "--checks",
                    "all",
                    "--exclude-checks",
                    EXCLUDED_CHECKS,
                    "--max-time",
                    str(MAX_TIME),
                    # One at a time, so a run is reproducible from its seed. Concurrent
                    # requests found the update-while-deleting race (tests/album/test_races.py);
                    # races are tested there, deterministically, not left to chance here.
                    "--workers",
                    "1",
                    "--seed",
                    os.environ.get("FUZZ_SEED", "20261122"),
                    *report,
                ],
                cwd=ROOT,
                env={**env, "SCHEMATHESIS_HOOKS": HOOKS},
            ).returncode
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
