"""The account deletion's task: run again after a failure, it finishes what was left."""

from outbox.tasks import outbox_task
from privacy import services


@outbox_task(services.DELETE_ACCOUNT)
def delete_account(user_id: int, why: str) -> None:
    services.account_delete(user_id=user_id, why=why)


@outbox_task(services.BUILD_EXPORT, max_attempts=5)
def build_export(export_id: int) -> None:
    services.export_build(export_id=export_id)
