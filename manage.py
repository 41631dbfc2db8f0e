#!/usr/bin/env python
"""Django's command-line utility for administrative tasks (installed: the `wxalbum` command)."""

from config.manage import main

if __name__ == "__main__":
    main()
