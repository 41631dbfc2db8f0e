"""What the fault suite's clients record, and the phases they are read by."""

import time
from dataclasses import dataclass


@dataclass
class Answer:
    """One request of a load client: when it began, how long it took, what came back (status
    0: the connection failed)."""

    kind: str
    status: int
    at: float
    seconds: float
    code: str | None = None
    retry_after: str | None = None
    dependency: str | None = None
    comment_id: int | None = None


def phase(seconds: float) -> tuple[float, float]:
    """Let the load run for `seconds`; the window it ran in."""
    start = time.monotonic()
    time.sleep(seconds)
    return start, time.monotonic()
