"""Background work that cannot be lost: written with the change, published after it, run once.

`enqueue("album.check_photo", photo_id)` inside a service's transaction writes a Message row
in that same transaction: the work exists exactly when the change does, and nothing about
the broker can turn a committed change into an error answer. The relay (`relay()`: a thread
in every worker, and `manage.py relay_outbox`) publishes due messages to the broker, and
publishes again a message that was not done `republish_after()` after it was published
(the broker lost it in a restart, or the worker running it was killed).

A published task carries only its message id. `perform(id)` claims the message for LEASE
seconds (a conditional UPDATE, so two copies never run at once and a finished one never runs
again), runs its handler and marks it done. A transient failure (the handler's `transient`
exceptions, or a dependency that is down) is tried again after a backoff, up to the
handler's `max_attempts`; then, or at once for any other error, the message is `failed`,
where staff see it in the admin and can retry it (`message_retry`).

Without a broker (the embedded defaults) a message runs in-process right after the commit
that wrote it, and a ticker in the serving process runs the retries when they are due.
"""

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from audit.services import log_action
from config import outages
from config.background import Ticker
from config.problems import Forbidden
from outbox.models import Message

logger = logging.getLogger(__name__)

State = Message.State
BATCH = 100  # messages published per relay query
KEEP_DONE = timedelta(days=7)  # done messages are pruned after this


@dataclass(frozen=True)
class Handler:
    name: str
    run: Callable
    transient: tuple[type[BaseException], ...] = ()
    max_attempts: int = 8
    # Failures that say this process is full right now (its image slots taken): tried again
    # soon, as often as it takes, without using up an attempt.
    waits: tuple[type[BaseException], ...] = ()

    def is_transient(self, exc: BaseException) -> bool:
        """Worth trying again later: the handler's own transient errors, a dependency that is
        down, or a run that took longer than the task's time limit allows."""
        return (
            isinstance(exc, (*self.transient, SoftTimeLimitExceeded))
            or outages.dependency_down(exc) is not None
        )


# Every task's handler by its name (outbox.tasks.outbox_task fills it at import).
registry: dict[str, Handler] = {}


def _eager() -> bool:
    """No broker: tasks run in this process (CELERY_TASK_ALWAYS_EAGER, as Celery has it)."""
    return bool(current_app.conf.task_always_eager)


def lease() -> timedelta:
    """How long a run holds its message: just above the task time limit."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 5)


def republish_after() -> timedelta:
    """A published message not done after this is published again (lost by the broker, or
    its worker was killed): just above the lease, so a run in progress is never doubled."""
    return lease() + timedelta(seconds=5)


def retry_delay(exc: BaseException, attempt: int) -> float:
    """Seconds before trying again: what the failure asked for (`retry_after`), or exponential
    backoff with jitter, so a crowd of retries does not arrive together: ~5 s to ~10 min."""
    backoff = min(600, 5 * 2 ** max(0, attempt - 1)) * random.uniform(0.5, 1.5)  # noqa: S311
    return max(getattr(exc, "retry_after", 0) or 0, backoff)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


# --- Writing work ---------------------------------------------------------------------------


def enqueue(task: str, *args) -> Message:
    """Write `task(*args)` to run after the current transaction commits (call inside it).

    `task` is a name registered with `outbox.tasks.outbox_task`; `args` must be JSON."""
    if registry.get(task) is None:
        raise LookupError(f"no background task named {task!r}")
    message = Message.objects.create(task=task, args=list(args), publish_at=timezone.now())
    if _eager():
        # No broker: run it in this process once the change is there for it to see.
        transaction.on_commit(lambda: _run_eagerly(message.pk), robust=True)
    return message


def _run_eagerly(message_id: int) -> None:
    perform(message_id)
    _eager_ticker.ensure_running()  # retries, when one is due


# --- Running work ---------------------------------------------------------------------------


def perform(message_id: int) -> str:
    """Run a message's handler if nobody else runs or ran it. Returns what became of it:
    "done", "retry", "failed", or "skipped" (done, failed, or running elsewhere)."""
    now = timezone.now()
    claimed = (
        Message.objects.filter(pk=message_id, state=State.PENDING)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=now + lease(), attempts=F("attempts") + 1)
    )
    if not claimed:
        return "skipped"
    message = Message.objects.get(pk=message_id)
    handler = registry.get(message.task)
    try:
        if handler is None:
            raise LookupError(f"no background task named {message.task!r}")
        handler.run(*message.args)
    except Exception as exc:
        return _failed(message, handler, exc)
    Message.objects.filter(pk=message_id).update(
        state=State.DONE, finished_at=timezone.now(), publish_at=None, lease_until=None,
        last_error="",
    )  # fmt: skip
    return "done"


OUTAGE_RETRY = 30  # seconds at most between two tries while one of our dependencies is down


def _failed(message: Message, handler: Handler | None, exc: Exception) -> str:
    where = {"task": message.task, "message_id": message.pk, "attempt": message.attempts}
    outage = outages.dependency_down(exc) is not None or (
        handler is not None and isinstance(exc, handler.waits)
    )
    if outage or (handler is not None and handler.is_transient(exc)):
        if outage or message.attempts < handler.max_attempts:
            # One of our own dependencies down (database, Redis, storage), or this process
            # full, is tried again every half minute at most for as long as it lasts, without
            # using up the attempts, which count what the outside service (WeChat) refused.
            delay = retry_delay(exc, message.attempts)
            if outage:
                delay = min(delay, OUTAGE_RETRY)
            Message.objects.filter(pk=message.pk).update(
                publish_at=timezone.now() + timedelta(seconds=delay),
                publications=0,
                lease_until=None,
                last_error=_describe(exc),
                attempts=F("attempts") - 1 if outage else F("attempts"),
            )
            logger.warning(
                "background task will be retried",
                extra={**where, "error": _describe(exc)[:300], "in_seconds": delay},
            )
            return "retry"
        logger.error("background task failed after its retries", extra=where)
    else:
        logger.error("background task failed", extra=where, exc_info=exc)
    Message.objects.filter(pk=message.pk).update(
        state=State.FAILED, finished_at=timezone.now(), publish_at=None, lease_until=None,
        last_error=_describe(exc),
    )  # fmt: skip
    return "failed"


# --- The relay ------------------------------------------------------------------------------


def relay(*, now=None) -> int:
    """Publish what is due: new messages, retries whose backoff is over, and messages not done
    by the time they were to be published again. Returns how many were published.

    A message published for the n-th time is published again if not done after
    `republish_after() * 2**(n-1)` (50 s, 100 s, ... at most 16 times that): soon enough that a
    message the broker lost runs within a minute, and, for a backlog the workers take long to
    reach, one more copy at longer and longer intervals, not one per round. Each message is
    taken by a conditional UPDATE, so relays in several workers never publish one message
    twice in a round; a publish that fails puts it back for the next round. Without a broker,
    due messages are run in this process instead.
    """
    now = now or timezone.now()
    due = Message.objects.filter(publish_at__lte=now)
    if _eager():
        ids = list(due.order_by("publish_at").values_list("pk", flat=True)[:BATCH])
        for message_id in ids:
            perform(message_id)
        return len(ids)
    published = 0
    columns = ("pk", "task", "publish_at", "publications")
    while batch := list(due.order_by("publish_at").values_list(*columns)[:BATCH]):
        for message_id, task, was, publications in batch:
            again = now + republish_after() * 2 ** min(publications, 4)
            taken = Message.objects.filter(pk=message_id, publish_at=was).update(
                publish_at=again, published_at=now, publications=F("publications") + 1
            )
            if not taken:
                continue  # another relay took it, or it was done meanwhile
            try:
                current_app.send_task(task, args=[message_id], retry=False)
            except Exception as exc:
                Message.objects.filter(pk=message_id, publish_at=again).update(
                    publish_at=was, publications=F("publications") - 1
                )
                outages.report("broker", exc)
                return published
            published += 1
        if len(batch) < BATCH:
            break
    return published


def prune(*, now=None) -> int:
    """Delete done messages older than KEEP_DONE, a bounded batch at a time."""
    cutoff = (now or timezone.now()) - KEEP_DONE
    old = Message.objects.filter(state=State.DONE, finished_at__lt=cutoff)
    deleted = 0
    while ids := list(old.values_list("pk", flat=True)[:1000]):
        deleted += Message.objects.filter(pk__in=ids).delete()[0]
    return deleted


def _relay_and_prune() -> None:
    relay()
    if random.random() < 0.001:  # noqa: S311 (about once in a thousand rounds)
        prune()


# The relay inside each worker (started by config.celery when the worker is ready), and in a
# serving process without a broker, for retries whose backoff is over.
worker_ticker = Ticker("outbox-relay", settings.OUTBOX_RELAY_INTERVAL, _relay_and_prune)
_eager_ticker = Ticker("outbox-retries", settings.OUTBOX_EAGER_RETRY_INTERVAL, _relay_and_prune)


# --- Staff ----------------------------------------------------------------------------------


@transaction.atomic
def message_retry(*, message: Message, actor) -> bool:
    """Staff run a failed task again, with a fresh count of attempts. Returns False when the
    message was not failed (done meanwhile, or already waiting). Raises Forbidden for others."""
    if not getattr(actor, "acts_as_staff", False):
        raise Forbidden("Only staff run failed background tasks again.")
    retried = Message.objects.filter(pk=message.pk, state=State.FAILED).update(
        state=State.PENDING, publish_at=timezone.now(), publications=0, lease_until=None,
        attempts=0, finished_at=None,
    )  # fmt: skip
    if retried:
        log_action("task.retried", actor=actor, obj=message, task=message.task,
                   last_error=message.last_error[:200])  # fmt: skip
        if _eager():
            transaction.on_commit(lambda: _run_eagerly(message.pk), robust=True)
    return bool(retried)
