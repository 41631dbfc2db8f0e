"""The project's settings on a test environment: debug defaults, so no secrets are needed.

Only environment defaults are set here; a variable already set (the services suite's
DATABASE_URL and REDIS_URL) wins.
"""

import os

# A developer's .env configures their `make run`, never the tests.
os.environ.setdefault("WXALBUM_ENV_FILE", "")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("SHORTLINK_BASE_URL", "https://wx.example.com")

from config.settings import *  # noqa: E402,F403

# Fast password hashing for the few staff users tests make.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STATIC_ROOT = None  # no collectstatic in tests; whitenoise serves through the finders
# Visits stay in the process until a test flushes them (tests/shortlinks/test_visits_ticker.py
# runs the background push itself).
VISITS_IN_BACKGROUND = False
# Without a broker, retries run when a test runs the relay (manage.py relay_outbox), not on a
# thread of their own.
OUTBOX_EAGER_RETRY_INTERVAL = 0.0

# SQLite tests use a real file in WAL mode, as `make run` does, so threads can write at once.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    VAR_DIR.mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
