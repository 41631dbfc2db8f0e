"""Reads of the outbox."""

from outbox.models import Message


def waiting_args(task: str) -> list[list]:
    """The arguments of every message of `task` that is not done or failed yet."""
    return list(
        Message.objects.filter(task=task, state=Message.State.PENDING).values_list(
            "args", flat=True
        )
    )
