"""The scheduled commands as Celery tasks: beat (`make beat`, one per deployment) sends
`config.run_command` with a command's name at the intervals of SCHEDULED_COMMANDS, and any
worker runs it. Each command is safe to run twice or at once on two machines, so a run beat
sends while the previous one is still going, or one lost with a broker, costs nothing."""

import io
import logging

from celery import shared_task
from django.conf import settings
from django.core.management import call_command

logger = logging.getLogger(__name__)

# Acknowledged on receipt: a run lost with its worker is the next interval's business, and a
# long one (a day's activity log pruned) is never handed to a second worker meanwhile.
COMMAND_TIME_LIMIT = 30 * 60


@shared_task(name="config.run_command", ignore_result=True, acks_late=False,
             time_limit=COMMAND_TIME_LIMIT, soft_time_limit=COMMAND_TIME_LIMIT - 30)  # fmt: skip
def run_command(name: str) -> None:
    """Run one of the SCHEDULED_COMMANDS (never any other command a message might name)."""
    if name not in settings.SCHEDULED_COMMANDS:
        logger.warning("not a scheduled command", extra={"command": name})
        return
    output = io.StringIO()
    call_command(name, stdout=output)
    logger.info("scheduled command ran",
                extra={"command": name, "output": output.getvalue().strip()[:500]})  # fmt: skip
