"""Row locks for services that change a row another request may be deleting."""

from django.db.models import Model

from config.problems import NotFound


def lock_existing(model: type[Model], pk, detail: str) -> None:
    """Lock the row until the transaction ends, or raise NotFound if it is gone.

    Call inside `transaction.atomic()`, before changing an instance loaded earlier: a delete
    that committed in between would otherwise turn the change into a 500 (a failed
    `update_fields` save, a foreign key gone) or, for a full save, re-insert the deleted row.
    """
    if not model.objects.select_for_update().filter(pk=pk).exists():
        raise NotFound(detail)
