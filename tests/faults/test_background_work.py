"""The fault suite's background work (services suite): uploads and shares under load with a real
Celery worker, while the broker is stopped, restarted empty and frozen, the worker is killed
mid-task, the bucket is down and answering 500, and a keyed request is killed half-way.

What must hold, whatever fails: every 2xx is true and every 503 changed nothing (no ghost
photo, no photo without its files, no duplicate from a keyed retry); every acknowledged upload
gets exactly one media check and every share its mini-program code, once the broken part is
back; what is down answers 503 with Retry-After, never 500; and nothing holds a request thread
for long."""

import itertools
import json
import os
import signal
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import psycopg
import pytest
from werkzeug import Response

from tests.album import pictures
from tests.faults.timeline import Answer, phase

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the fault suite runs in the services suite (make test-services)",
)

CHECK = "/wxa/media_check_async"
CODE = "/wxa/getwxacodeunlimit"
JPEG = b"\xff\xd8\xff\xe0" + b"wxacode" * 100


@pytest.fixture
def weixin(httpserver):
    """A local stand-in for WeChat: a token, a trace id per media check, a code per link."""
    httpserver.expect_request("/cgi-bin/stable_token", method="POST").respond_with_json(
        {"access_token": "TOKEN", "expires_in": 7200}
    )
    traces = itertools.count(1)
    httpserver.expect_request(CHECK, method="POST").respond_with_handler(
        lambda request: Response(json.dumps({"errcode": 0, "trace_id": f"t-{next(traces)}"}))
    )
    httpserver.expect_request(CODE, method="POST").respond_with_data(
        JPEG, content_type="image/jpeg"
    )
    return httpserver


def wechat_env(server, **extra) -> dict:
    return {
        "WECHAT_API_BASE": server.url_for("").rstrip("/"),
        "WECHAT_TIMEOUT": "5",
        "PHOTO_CONTENT_CHECK": "wechat",
        "WECHAT_PUSH_TOKEN": "push-token",
        **extra,
    }


def calls(server, path: str) -> int:
    return sum(request.path == path for request, _ in server.log)


@dataclass
class Writes:
    """Clients that upload photos and create links, each with an Idempotency-Key, retried
    with the same key after a 503, a 409 or a dropped connection until acknowledged (as the
    mini-program's client module does); and one that asks /healthz."""

    served: object
    attempts: list[Answer] = field(default_factory=list)
    acknowledged: dict[str, tuple] = field(default_factory=dict)  # key -> (kind, id or code)
    stop: threading.Event = field(default_factory=threading.Event)

    def send(self, http, kind: str, n: int, key: str):
        base, auth = self.served.base, {"Authorization": f"Bearer {self.served.owner_token}",
                                        "Idempotency-Key": key}  # fmt: skip
        if kind == "upload":
            return http.post(f"{base}/api/v1/albums/{self.served.album_id}/photos", headers=auth,
                             files={"file": ("p.jpg", pictures.jpeg(), "image/jpeg")})  # fmt: skip
        if kind == "share":
            return http.post(f"{base}/api/v1/shortlinks", headers=auth,
                             json={"page": "pages/event/index", "params": {"n": n}})  # fmt: skip
        return http.get(f"{base}/healthz")

    def client(self, kind: str) -> None:
        with httpx.Client(timeout=30) as http:
            for n in itertools.count():
                if self.stop.is_set():
                    return
                key = str(uuid.uuid4())
                deadline = time.monotonic() + 120
                while time.monotonic() < deadline:  # until acknowledged, with the same key
                    started = time.monotonic()
                    try:
                        response = self.send(http, kind, n, key)
                    except httpx.HTTPError:
                        self.attempts.append(Answer(kind, 0, started, time.monotonic() - started))
                        time.sleep(0.3)
                        continue
                    body = response.json() if "json" in response.headers.get(
                        "content-type", "") else {}  # fmt: skip
                    self.attempts.append(Answer(
                        kind, response.status_code, started, time.monotonic() - started,
                        code=body.get("code"), retry_after=response.headers.get("Retry-After"),
                        dependency=body.get("dependency"),
                    ))  # fmt: skip
                    if response.status_code < 300:
                        if kind != "health":
                            self.acknowledged[key] = (kind, body.get("id") or body["code"])
                        break
                    time.sleep(0.3)
                time.sleep(0.05)

    def __enter__(self):
        self.threads = [threading.Thread(target=self.client, args=(kind,), daemon=True)
                        for kind in ("upload", "upload", "upload", "share", "health")]  # fmt: skip
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=150)

    def ids(self, kind: str) -> set:
        return {id_ for k, id_ in self.acknowledged.values() if k == kind}


def query(postgres_server, sql: str, *args):
    with psycopg.connect(postgres_server.url.replace("postgres://", "postgresql://")) as conn:
        return conn.execute(sql, args).fetchall()


def wait_for(condition, seconds: float, describe=lambda: "") -> float:
    """Seconds until `condition()` held; fails after `seconds`, saying `describe()`."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, f"not done in time: {describe()}"
        time.sleep(0.5)
    return time.monotonic() - started


def not_done(postgres_server, served):
    """The messages not done, and what the workers said last (to tell why)."""
    sql = ("SELECT id, task, state, attempts, publications, publish_at, last_error "
           "FROM outbox_message WHERE state <> 'done'")  # fmt: skip
    return lambda: f"{query(postgres_server, sql)}\n--- workers ---\n{served.worker_logs()[-4000:]}"


def all_done(postgres_server):
    def done() -> bool:
        (waiting,) = query(postgres_server, "SELECT count(*) FROM outbox_message "
                                            "WHERE state <> 'done'")[0]  # fmt: skip
        return waiting == 0

    return done


def assert_every_write_true_and_its_work_done_once(load, served, postgres_server, weixin):
    """No 500; every key acknowledged once; the database holds exactly the acknowledged
    photos and links (with their files), each checked once and given its code once."""
    statuses = Counter((a.kind, a.status) for a in load.attempts)
    assert not [a for a in load.attempts if a.status == 500], statuses
    refused = [a for a in load.attempts if a.status == 503]
    assert all(a.retry_after for a in refused), statuses
    photos = {row[0]: row[1:] for row in query(
        postgres_server, "SELECT id, original, large, thumb, check_trace_id "
                         "FROM album_photo")}  # fmt: skip
    links = {row[0]: row[1:] for row in query(
        postgres_server, "SELECT code, id, wxacode_key FROM shortlinks_shortlink "
                         "WHERE code <> %s", served.code)}  # fmt: skip
    assert set(photos) == load.ids("upload")  # no ghost, no duplicate, none lost
    assert set(links) == load.ids("share")
    assert len(load.ids("upload")) >= 5, statuses
    assert len(load.ids("share")) >= 2, statuses
    media = Path(served.env["MEDIA_ROOT"])
    if not served.env.get("S3_BUCKET"):
        assert all((media / key).is_file() for row in photos.values() for key in row[:3])
    checks = Counter(row[0] for row in query(
        postgres_server, "SELECT object_id FROM audit_logentry "
                         "WHERE action = 'photo.check_requested'"))  # fmt: skip
    assert checks == Counter({str(pk): 1 for pk in photos})
    assert all(row[3] for row in photos.values())  # each has its trace id
    assert calls(weixin, CHECK) == len(photos)
    made = Counter(row[0] for row in query(
        postgres_server, "SELECT object_id FROM audit_logentry "
                         "WHERE action = 'shortlink.wxacode_made'"))  # fmt: skip
    assert all(key for _, key in links.values())
    assert {code: made[str(pk)] for code, (pk, _) in links.items()} == dict.fromkeys(links, 1)
    assert calls(weixin, CODE) == len(links) + 1  # and the album's share, made at set-up


def test_the_broker_stopped_restarted_empty_and_frozen_loses_no_work_and_lies_to_nobody(
    deployment, weixin, fault_redis, postgres_server
):
    served = deployment(**wechat_env(weixin))
    # A lost broker connection can stop a Celery worker ("Unrecoverable error", a race in
    # kombu's Redis transport); its supervisor starts it again, and the outbox loses nothing.
    served.start_worker(restart_on_failure=True)
    with Writes(served) as load:
        phase(3)
        fault_redis.stop()  # the broker (and the cache) gone
        stopped = phase(4)
        fault_redis.start()  # back, empty: every queued task is gone
        phase(6)
        fault_redis.freeze()
        frozen = phase(4)
        fault_redis.thaw()
        phase(3)
    waited = wait_for(all_done(postgres_server), 90, not_done(postgres_server, served))

    assert_every_write_true_and_its_work_done_once(load, served, postgres_server, weixin)
    # Writes were acknowledged while the broker was away: the outbox holds their work.
    assert [a for a in load.attempts if stopped[0] <= a.at < stopped[1] and a.status == 201]
    # A frozen broker holds no request thread: /healthz kept answering quickly.
    health = [a for a in load.attempts if a.kind == "health" and frozen[0] <= a.at < frozen[1]]
    assert health
    assert max(a.seconds for a in health) < 3
    assert waited < 60
    assert "Traceback" not in served.log.read_text()


def test_a_worker_killed_mid_task_has_its_task_run_again_within_a_minute_once(
    deployment, httpserver, postgres_server
):
    httpserver.expect_request("/cgi-bin/stable_token", method="POST").respond_with_json(
        {"access_token": "TOKEN", "expires_in": 7200}
    )
    asked = threading.Event()
    traces = itertools.count(1)

    def check(request):
        number = next(traces)
        if number == 1:
            asked.set()
            time.sleep(4)  # the worker is killed while WeChat takes its time
        return Response(json.dumps({"errcode": 0, "trace_id": f"t-{number}"}))

    httpserver.expect_request(CHECK, method="POST").respond_with_handler(check)
    httpserver.expect_request(CODE, method="POST").respond_with_data(
        JPEG, content_type="image/jpeg"
    )
    served = deployment(**wechat_env(httpserver))
    first = served.start_worker()
    upload = httpx.post(
        f"{served.base}/api/v1/albums/{served.album_id}/photos",
        headers={"Authorization": f"Bearer {served.owner_token}"},
        files={"file": ("p.jpg", pictures.jpeg(), "image/jpeg")}, timeout=30,
    )  # fmt: skip
    assert upload.status_code == 201
    assert asked.wait(30)
    first.send_signal(signal.SIGKILL)
    killed_at = time.monotonic()
    first.wait(timeout=10)
    served.start_worker()

    photo = upload.json()["id"]
    wait_for(lambda: query(postgres_server, "SELECT check_trace_id FROM album_photo "
                                            "WHERE id = %s", photo)[0][0], 75)  # fmt: skip

    assert time.monotonic() - killed_at < 60
    trace = query(postgres_server, "SELECT check_trace_id FROM album_photo WHERE id = %s", photo)
    assert trace == [("t-2",)]
    requested = query(postgres_server, "SELECT count(*) FROM audit_logentry WHERE action = "
                      "'photo.check_requested' AND object_id = %s", str(photo))  # fmt: skip
    assert requested == [(1,)]


class Bucket:
    """A switchable front for the real S3 server: passes requests through, answers 500
    InternalError to everything (as a bucket in trouble does), or is down (refuses)."""

    def __init__(self, upstream: str):
        self.upstream, self.mode = upstream, "up"
        self.http = httpx.Client(timeout=30)
        bucket = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, and 100-continue as S3 answers it

            def log_message(self, *args):
                pass

            def handle_one(self):
                if bucket.mode == "down":  # connections kept alive are dropped too
                    self.close_connection = True
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if bucket.mode == "500":
                    error = (b"<?xml version='1.0' encoding='UTF-8'?><Error><Code>InternalError"
                             b"</Code><Message>Please try again.</Message></Error>")  # fmt: skip
                    self.send_response(500)
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", str(len(error)))
                    self.end_headers()
                    self.wfile.write(error)
                    return
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("connection", "content-length")}  # fmt: skip
                answer = bucket.http.request(self.command, bucket.upstream + self.path,
                                             headers=headers, content=body)  # fmt: skip
                self.send_response(answer.status_code)
                for name, value in answer.headers.items():
                    if name.lower() not in ("connection", "transfer-encoding", "content-length",
                                            "content-encoding"):  # fmt: skip
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(answer.content)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_one  # noqa: N815

        self.handler = Handler
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self._serve()

    def _serve(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def down(self):
        self.mode = "down"
        self.server.shutdown()
        self.server.server_close()

    def up(self, mode: str = "up"):
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self.handler)
        self.mode = mode
        self._serve()


@pytest.fixture
def bucket(s3_bucket):
    import boto3

    from tests.seaweedfs import ACCESS_KEY, SECRET_KEY

    name = f"faults-{uuid.uuid4().hex[:8]}"
    boto3.client("s3", endpoint_url=s3_bucket.endpoint, aws_access_key_id=ACCESS_KEY,
                 aws_secret_access_key=SECRET_KEY,
                 region_name="us-east-1").create_bucket(Bucket=name)  # fmt: skip
    front = Bucket(s3_bucket.endpoint)
    front.env = {"S3_BUCKET": name, "S3_ENDPOINT_URL": f"http://127.0.0.1:{front.port}",
                 "S3_ACCESS_KEY_ID": ACCESS_KEY, "S3_SECRET_ACCESS_KEY": SECRET_KEY,
                 "S3_REGION": "us-east-1"}  # fmt: skip
    yield front
    front.mode = "up"
    front.server.shutdown()


def test_a_bucket_down_or_answering_500_is_503_and_every_code_is_made_once_it_is_back(
    deployment, weixin, bucket, postgres_server
):
    served = deployment(**wechat_env(weixin), **bucket.env)
    served.start_worker()
    with Writes(served) as load:
        phase(3)
        bucket.down()
        down = phase(4)
        bucket.up("500")
        failing = phase(4)
        bucket.mode = "up"
        phase(3)
    wait_for(all_done(postgres_server), 90, not_done(postgres_server, served))

    assert_every_write_true_and_its_work_done_once(load, served, postgres_server, weixin)
    for window in (down, failing):
        # Uploads begun and answered inside the window (botocore's own retries may carry
        # one begun late into the bucket's return, and that one rightly succeeds).
        refused = [a for a in load.attempts if window[0] + 1 <= a.at
                   and a.at + a.seconds < window[1] and a.kind == "upload"]  # fmt: skip
        assert refused
        assert {(a.status, a.code, a.dependency) for a in refused} == {
            (503, "service_unavailable", "storage")
        }
    assert "Traceback" not in served.log.read_text()


def test_a_keyed_request_killed_half_way_is_done_by_its_retry_within_the_claim_timeout(
    deployment, httpserver, postgres_server
):
    httpserver.expect_request("/cgi-bin/stable_token", method="POST").respond_with_json(
        {"access_token": "TOKEN", "expires_in": 7200}
    )
    asked = threading.Event()

    def text_check(request):
        # The deployment's seeded album title is checked too; only the comment is held up.
        if json.loads(request.data)["content"] == "killed half-way" and not asked.is_set():
            asked.set()
            time.sleep(3)  # the server is killed while it waits for WeChat
        return Response(json.dumps({"errcode": 0, "result": {"suggest": "pass", "label": 100}}))

    httpserver.expect_request("/wxa/msg_sec_check", method="POST").respond_with_handler(text_check)
    served = deployment(WECHAT_API_BASE=httpserver.url_for("").rstrip("/"),
                        COMMENTS_CONTENT_CHECK="wechat")  # fmt: skip
    key = str(uuid.uuid4())
    send = {"url": f"{served.base}/api/v1/albums/{served.album_id}/comments",
            "headers": {"Authorization": f"Bearer {served.token}", "Idempotency-Key": key},
            "json": {"body": "killed half-way"}, "timeout": 30}  # fmt: skip
    first: list = []
    sender = threading.Thread(target=lambda: first.append(_post(send)), daemon=True)
    sender.start()
    assert asked.wait(30)
    for pid in served.worker_pids():
        os.kill(pid, signal.SIGKILL)
    killed_at = time.monotonic()
    sender.join(timeout=30)

    answers = []
    while time.monotonic() - killed_at < 90:
        answer = _post(send)
        answers.append(answer)
        if answer[0] == 201:
            break
        time.sleep(2)

    assert first == [(0, None, None)]  # the connection died with the server
    assert answers[-1][0] == 201
    assert {a for a in answers[:-1] if a[0]} <= {(409, "idempotency_key_in_use", "2")}
    assert time.monotonic() - killed_at < 75  # CLAIM_TIMEOUT (60 s) and a retry's interval
    stored = query(postgres_server, "SELECT count(*) FROM comments_comment WHERE body = %s",
                   "killed half-way")  # fmt: skip
    assert stored == [(1,)]


def _post(send: dict) -> tuple[int, str | None, str | None]:
    try:
        response = httpx.post(**send)
    except httpx.HTTPError:
        return (0, None, None)
    code = (
        response.json().get("code") if "json" in response.headers.get("content-type", "") else None
    )
    return (response.status_code, code, response.headers.get("Retry-After"))
