"""Background work through the outbox: it exists exactly when the change that asked for it
was committed, runs once however often it is published, retries what may pass with backoff,
and ends where staff see it when it cannot be done. The photo check against a local stand-in
for WeChat is the work."""

import itertools
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from werkzeug import Response

from album.models import Photo
from audit.models import LogEntry
from config.problems import Forbidden
from outbox import services
from outbox.models import Message
from outbox.tasks import outbox_task
from tests.album import pictures

pytestmark = [pytest.mark.usefixtures("local_photos"), pytest.mark.django_db(transaction=True)]

CHECK = "/wxa/media_check_async"
BROKEN = []


@outbox_task("tests.broken")
def broken(n: int) -> None:
    BROKEN.append(n)
    raise ValueError("a bug in the task")


class Full(Exception):
    """This process has no room for the work right now."""


FULL_FOR = []  # how many more runs find the process full


@outbox_task("tests.full", waits=(Full,), max_attempts=2)
def full(n: int) -> None:
    if FULL_FOR and FULL_FOR[0] > 0:
        FULL_FOR[0] -= 1
        raise Full()


@pytest.fixture
def weixin(wechat, settings):
    """WeChat with the photo check on; each test says what the check answers."""
    settings.PHOTO_CONTENT_CHECK = "wechat"
    wechat.expect_request("/cgi-bin/stable_token", method="POST").respond_with_json(
        {"access_token": "TOKEN-1", "expires_in": 7200}
    )
    return wechat


def checks_sent(server) -> int:
    return sum(request.path == CHECK for request, _ in server.log)


def answers(server, *bodies):
    replies = itertools.chain(bodies, itertools.repeat(bodies[-1]))
    server.expect_request(CHECK, method="POST").respond_with_handler(
        lambda request: Response(json.dumps(next(replies)))
    )


def upload(api, user, album) -> dict:
    form = {"file": SimpleUploadedFile("p.jpg", pictures.jpeg(), "image/jpeg")}
    response = api.as_user(user).post(f"/api/v1/albums/{album.id}/photos", form, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()


def backoff_over():
    Message.objects.filter(state="pending").update(publish_at=timezone.now() - timedelta(seconds=1))
    call_command("relay_outbox")


def test_work_asked_for_by_a_change_that_rolled_back_never_runs(weixin, owner, album):
    answers(weixin, {"errcode": 0, "trace_id": "t-1"})
    from album import services as albums

    def request_failing_after_the_insert():
        with transaction.atomic():
            albums.photo_upload(album=album, uploader=owner, data=pictures.jpeg())
            raise RuntimeError("the request failed after the photo was inserted")

    with pytest.raises(RuntimeError):
        request_failing_after_the_insert()

    assert not Photo.objects.exists()
    assert not Message.objects.exists()
    assert checks_sent(weixin) == 0


def test_a_check_runs_once_however_often_its_message_is_delivered(
    api, weixin, shared_album, contributor
):
    answers(weixin, {"errcode": 0, "trace_id": "t-1"})
    photo = upload(api, contributor, shared_album)
    message = Message.objects.get(task="album.check_photo")

    again = [services.perform(message.pk) for _ in range(3)]  # the broker delivered it again

    assert again == ["skipped"] * 3
    assert (message.args, Message.objects.get(pk=message.pk).state) == ([photo["id"]], "done")
    assert checks_sent(weixin) == 1
    assert Photo.objects.get(pk=photo["id"]).check_trace_id == "t-1"


def test_a_run_in_progress_is_not_doubled_and_one_that_died_runs_again_after_its_lease(
    api, weixin, shared_album, contributor
):
    answers(weixin, {"errcode": -1, "errmsg": "busy"}, {"errcode": 0, "trace_id": "t-2"})
    photo = upload(api, contributor, shared_album)  # WeChat was busy: a retry is due later
    message = Message.objects.get(task="album.check_photo")
    running_elsewhere = timezone.now() + timedelta(seconds=30)
    Message.objects.filter(pk=message.pk).update(lease_until=running_elsewhere,
                                                 publish_at=timezone.now())  # fmt: skip

    assert services.perform(message.pk) == "skipped"
    assert checks_sent(weixin) == 1

    Message.objects.filter(pk=message.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert services.perform(message.pk) == "done"
    assert checks_sent(weixin) == 2
    assert Photo.objects.get(pk=photo["id"]).check_trace_id == "t-2"


def test_a_check_wechat_keeps_refusing_ends_failed_where_staff_see_and_rerun_it(
    api, weixin, shared_album, contributor, staff, staff_client
):
    answers(
        weixin, *[{"errcode": -1, "errmsg": "system busy"}] * 8, {"errcode": 0, "trace_id": "t"}
    )
    photo = upload(api, contributor, shared_album)
    message = Message.objects.get(task="album.check_photo")
    waits = []
    for _ in range(7):
        waits.append(Message.objects.get(pk=message.pk).publish_at - timezone.now())
        backoff_over()

    failed = Message.objects.get(pk=message.pk)
    assert (failed.state, failed.attempts, checks_sent(weixin)) == ("failed", 8, 8)
    assert "WeChatUnavailable" in failed.last_error
    assert timedelta(seconds=1) < waits[0] < timedelta(seconds=8) < waits[-1]  # backing off
    listed = staff_client.get("/admin/outbox/message/?state__exact=failed")
    assert "album.check_photo" in listed.content.decode()

    rerun = staff_client.post(
        "/admin/outbox/message/", {"action": "retry", "_selected_action": [str(message.pk)]}
    )

    assert rerun.status_code == 302
    assert Message.objects.get(pk=message.pk).state == "done"
    assert Photo.objects.get(pk=photo["id"]).check_trace_id == "t"
    retried = LogEntry.objects.get(action="task.retried")
    assert (retried.actor, retried.object_id) == (staff, str(message.pk))


def test_a_bug_in_a_task_fails_at_once_and_only_staff_run_it_again(owner, staff):
    BROKEN.clear()
    with transaction.atomic():
        message = services.enqueue("tests.broken", 7)

    assert BROKEN == [7]
    assert Message.objects.get(pk=message.pk).state == "failed"
    with pytest.raises(Forbidden):
        services.message_retry(message=Message.objects.get(pk=message.pk), actor=owner)
    assert BROKEN == [7]

    assert services.message_retry(message=Message.objects.get(pk=message.pk), actor=staff)
    assert BROKEN == [7, 7]


def test_the_relay_publishes_each_message_once_then_again_at_doubling_intervals_until_done():
    from config.celery import app

    app.conf.task_always_eager = False  # a broker (the suite's: memory, or its Redis)
    connection = app.connection_for_read()
    queue = connection.SimpleQueue(app.conf.task_default_queue)  # declared: what arrives stays
    queue.clear()  # nothing left from another run
    try:
        with transaction.atomic():
            first = services.enqueue("tests.broken", 1)
            second_message = services.enqueue("tests.broken", 2)
        start, again = timezone.now(), services.republish_after()
        second = start + again + timedelta(seconds=1)  # the broker lost them, say
        third = second + 2 * again + timedelta(seconds=1)

        rounds = [services.relay(), services.relay(), services.relay(now=second),
                  services.relay(now=second + again + timedelta(seconds=1)),  # not yet: 2x
                  services.relay(now=third)]  # fmt: skip

        delivered = []
        while True:
            try:
                message = queue.get(timeout=1)
            except queue.Empty:
                break
            delivered.append((message.headers["task"], message.payload[0]))
            message.ack()
    finally:
        app.conf.task_always_eager = True
        queue.close()
        connection.close()
    assert rounds == [2, 0, 2, 0, 2]
    ids = [("tests.broken", [first.pk]), ("tests.broken", [second_message.pk])]
    assert delivered == ids * 3
    assert not BROKEN or BROKEN[-1] not in (1, 2)  # published, not run here


def test_work_that_finds_its_process_full_waits_without_using_up_its_attempts(db):
    FULL_FOR[:] = [5]  # more times than its two attempts
    with transaction.atomic():
        message = services.enqueue("tests.full", 1)
    for _ in range(5):
        backoff_over()

    done = Message.objects.get(pk=message.pk)
    assert (done.state, FULL_FOR) == ("done", [0])
    assert done.attempts == 1
