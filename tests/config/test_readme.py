"""The README's walk-through runs as pasted: its shell blocks, in order, against the project
served as `make run` serves it (runserver on the embedded defaults in a fresh var directory)."""

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def walk_through() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## A walk through the API", 1)[1].split("\n## ", 1)[0]
    return "\n".join(re.findall(r"```sh\n(.*?)```", section, re.S))


@pytest.fixture
def served(tmp_path):
    """`make run`: migrate, then runserver in debug mode on a free port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env |= {"DJANGO_DEBUG": "true", "WXALBUM_VAR_DIR": str(tmp_path / "var"),
            "WXALBUM_ENV_FILE": ""}  # fmt: skip
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env,
                   check=True, timeout=120)  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=30)


def test_the_walk_through_runs_as_pasted(served, tmp_path):
    script = walk_through().replace("API=http://127.0.0.1:8000", f"API={served}")
    script = script.replace(".venv/bin/python", sys.executable)
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    out = done.stdout

    assert done.returncode == 0, done.stderr + out
    assert '"nickname":"Alice"' in out
    assert re.search(r"\}20[14]\n", out)  # the file reached the upload form
    listed, _ = json.JSONDecoder().raw_decode(out[out.index('{"results":') :])
    # the multipart upload and the direct one, newest first
    assert [p["caption"] for p in listed["results"]] == ["", "At the beach"]
    assert re.search(r"\}200\n", out)  # photo.jpg again: the photo already there
    assert re.search(r"<title>.*Summer.*</title>", out)
