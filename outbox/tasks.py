"""`@outbox_task`: a function that runs in the background, through the outbox.

    @outbox_task("album.check_photo", transient=(WeChatError,))
    def check_photo(photo_id): ...

registers the function under its name for `outbox.services.enqueue("album.check_photo", 7)`
and makes the Celery task of that name, which takes a message id and runs the message
(`services.perform`). The function must be safe to run again after a crash: the outbox
guarantees each message runs to completion once, not that a run killed half-way is not
followed by another.
"""

from celery import shared_task

from config import outages
from outbox import services


def outbox_task(name: str, *, transient: tuple[type[BaseException], ...] = (),
                max_attempts: int = 8, waits: tuple[type[BaseException], ...] = ()):  # fmt: skip
    def register(function):
        services.registry[name] = services.Handler(
            name, function, transient=transient, max_attempts=max_attempts, waits=waits
        )

        @shared_task(name=name, ignore_result=True, acks_late=True)
        def run_message(message_id: int) -> str:
            try:
                return services.perform(message_id)
            except Exception as exc:
                # The database went away around the run: the message stays as it was and the
                # relay publishes it again; a warning per burst, not a traceback per task.
                dependency = outages.dependency_down(exc)
                if dependency is None:
                    raise
                outages.report(dependency, exc)
                return "later"

        function.task = run_message
        return function

    return register
