"""The account deletion's task: run again after a failure, it finishes what was left."""

from outbox.tasks import outbox_task
from privacy import services


@outbox_task(services.DELETE_ACCOUNT)
def delete_account(user_id: int, why: str) -> None:
    services.account_delete(user_id=user_id, why=why)
