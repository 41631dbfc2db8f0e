"""A CASCADE for foreign keys a check constraint keeps set.

Django's CASCADE, on a database that cannot defer constraint checks (MySQL, MariaDB), first
sets a nullable key to NULL and then deletes the rows, so that their order does not matter.
Where a check constraint says the key is set (a like has exactly one target; an album share
names its album) that UPDATE is refused. This one deletes the rows as they are, children first
(the collector orders them by the dependency it records), on every database.
"""


def CASCADE_CHECKED(collector, field, sub_objs, using):  # noqa: N802 (Django's spelling)
    collector.collect(
        sub_objs,
        source=field.remote_field.model,
        source_attr=field.name,
        nullable=False,  # a dependency: these rows go before the row they point to
        fail_on_restricted=False,
    )


# The collector may pass the rows as an unevaluated queryset (rows with nothing pointing at them
# are then deleted in one statement, as CASCADE does).
CASCADE_CHECKED.lazy_sub_objs = True
