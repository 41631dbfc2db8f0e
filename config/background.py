"""A small periodic job inside a serving process, for work that must not wait for traffic.

`Ticker(name, interval, job, last=...)` runs `job` every `interval` seconds on one daemon
thread per process, started by the first `ensure_running()` (after a fork too: gunicorn forks
workers from the master), and `last` (by default `job`) when the process exits normally. A
failing job is logged (an outage once per burst) and tried again at the next tick. The thread
closes its database connections after each run, so it holds none between ticks.
"""

import atexit
import logging
import os
import threading

from django.db import connections

from config import outages

logger = logging.getLogger(__name__)


class Ticker:
    def __init__(self, name: str, interval: float, job, *, last=None):
        self.name, self.interval, self.job, self.last = name, interval, job, last or job
        self._pid: int | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def ensure_running(self) -> None:
        """Start the thread in this process unless it runs already (cheap: one int compare)."""
        if self._pid == os.getpid() or self.interval <= 0:
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._stop = threading.Event()
            thread = threading.Thread(target=self._loop, name=f"ticker-{self.name}", daemon=True)
            thread.start()
            atexit.register(self.stop)

    def stop(self) -> None:
        """Stop the thread and run `last` (at exit: nothing left behind)."""
        if self._pid != os.getpid():
            return
        self._stop.set()
        self._pid = None
        self.run_once(self.last)

    def run_once(self, job=None) -> None:
        try:
            (job or self.job)()
        except Exception as exc:
            dependency = outages.dependency_down(exc)
            if dependency:
                outages.report(dependency, exc)
            else:
                logger.exception("background job failed", extra={"job": self.name})
        finally:
            connections.close_all()  # this thread's own connections

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.run_once()
