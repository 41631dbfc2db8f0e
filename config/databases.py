"""Per-connection settings the DATABASES options cannot say for every server."""

from django.conf import settings


def on_connection_created(sender, connection, **kwargs):
    """The statement timeout on MySQL and MariaDB, which name it differently: MySQL's
    max_execution_time (milliseconds, SELECTs only), MariaDB's max_statement_time (seconds,
    every statement). PostgreSQL's comes with its connection options (config.settings)."""
    if connection.vendor != "mysql":
        return
    limit = settings.DATABASE_STATEMENT_TIMEOUT_MS
    with connection.cursor() as cursor:
        if connection.mysql_is_mariadb:
            cursor.execute("SET SESSION max_statement_time = %s", [limit / 1000])
        else:
            cursor.execute("SET SESSION max_execution_time = %s", [limit])
