"""Django's command line for this project: `manage.py` in a checkout, `wxalbum` when installed."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    from config.startup import settings_or_exit

    settings_or_exit()
    execute_from_command_line(sys.argv)
