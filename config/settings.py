"""Project settings: every environment difference comes from an environment variable."""

import ipaddress
import os
import re
import zoneinfo
from datetime import timedelta
from pathlib import Path

import environ
from botocore.config import Config as BotoConfig
from django.core.exceptions import ImproperlyConfigured

from config.env import StrictEnv

BASE_DIR = Path(__file__).resolve().parent.parent

# An environment file, when there is one: `.env` in the working directory, or the file
# WXALBUM_ENV_FILE names (empty: none). Variables already set win over it. The format is the
# one .env.example is written in: NAME=value lines, comments on lines of their own.
_ENV_FILE = os.environ.get("WXALBUM_ENV_FILE", ".env")
if _ENV_FILE and Path(_ENV_FILE).is_file():
    environ.Env.read_env(_ENV_FILE)
# Where the embedded defaults keep their files (SQLite, media, the debug key, beat's state):
# the checkout's var/, or WXALBUM_VAR_DIR (an installed wheel, a container's volume).
VAR_DIR = Path(os.environ.get("WXALBUM_VAR_DIR") or BASE_DIR / "var")

env = StrictEnv()


def required(name: str) -> str:
    """The value of a variable production cannot run without; start-up stops naming it."""
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"Set the {name} environment variable (required with DJANGO_DEBUG off)."
        )
    return value


DEBUG = env.bool("DJANGO_DEBUG", default=False)


def debug_secret_key(path: Path) -> str:
    """Debug mode's key: random, made on first use and kept in the local data folder (mode
    600), so `make run` needs no configuration, a debug server's tokens survive its restarts,
    and no key is ever a constant in the code."""
    if not path.exists():
        import secrets
        import tempfile

        path.parent.mkdir(parents=True, exist_ok=True)
        fd, draft = tempfile.mkstemp(dir=path.parent)  # mode 600
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
        try:
            os.link(draft, path)  # atomic: the first process to get here wins
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    return path.read_text().strip()


SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or (
    debug_secret_key(VAR_DIR / "debug_secret_key") if DEBUG else required("DJANGO_SECRET_KEY")
)
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.apps.AdminConfig",  # Django's admin on our site: its login is throttled
    "config.apps.ProjectConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "storages",
    "csp",
    "wechat",
    "media",
    "accounts",
    "album",
    "shortlinks",
    "comments",
    "moderation",
    "reports",
    "desk",
    "privacy",
    "audit",
    "idempotency",
    "outbox",
]

MIDDLEWARE = [
    "config.middleware.RequestLogMiddleware",
    "config.middleware.NearCacheHoldMiddleware",
    "config.middleware.ApiNoStoreMiddleware",
    "config.middleware.ApiInUtcMiddleware",
    "config.outages.OutageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Sessions, login and messages on /admin/ only (config.middleware.AdminOnly).
    "config.middleware.AdminSessionMiddleware",
    "config.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "config.middleware.AdminAuthenticationMiddleware",
    "config.middleware.AdminMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------

DATABASE_STATEMENT_TIMEOUT_MS = env.int("DATABASE_STATEMENT_TIMEOUT_MS", default=15_000)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside a writer; IMMEDIATE takes the write lock at BEGIN, so two
    # writers queue on the busy timeout instead of failing with "database is locked" mid-way.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails the request with 503 instead of holding a thread:
    # connecting gives up after DATABASE_CONNECT_TIMEOUT seconds, and the server cancels any
    # statement running longer than DATABASE_STATEMENT_TIMEOUT_MS.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3)
    )
    DATABASES["default"]["OPTIONS"].setdefault(
        "options", f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":
    # MySQL 8 and MariaDB 10.11: utf8mb4 (emoji in comments and nicknames), strict mode (a
    # value too long is an error, never silently cut), READ COMMITTED as on PostgreSQL, the
    # same connect timeout, and a statement timeout where each server has one:
    # max_execution_time (MySQL, SELECTs only, ms) or max_statement_time (MariaDB, s).
    DATABASES["default"].setdefault("OPTIONS", {})
    _options = DATABASES["default"]["OPTIONS"]
    _options.setdefault("charset", "utf8mb4")
    _options.setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3))
    _options.setdefault("isolation_level", "read committed")
    # A server that stops answering mid-query (frozen, a network partition) fails the request
    # instead of holding its thread: the client gives up reading or writing a little after the
    # server would have cancelled the statement.
    _options.setdefault("read_timeout", DATABASE_STATEMENT_TIMEOUT_MS // 1000 + 5)
    _options.setdefault("write_timeout", DATABASE_STATEMENT_TIMEOUT_MS // 1000 + 5)
    # The statement timeout is set per connection (config.databases).
    _options.setdefault("init_command", "SET sql_mode='STRICT_TRANS_TABLES'")
    DATABASES["default"].setdefault("TEST", {}).setdefault("CHARSET", "utf8mb4")
    DATABASES["default"]["TEST"].setdefault("COLLATION", "utf8mb4_bin")
# Persistent connections: opening one costs more than a typical request's queries (on SQLite,
# Django also registers its SQL functions on every new connection).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# --- Cache: counters, throttles, circuit breakers -------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="wxalbum"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Task queue -----------------------------------------------------------------------------

# The production broker is RabbitMQ (amqp://...): durable queues, persistent messages, and a
# task comes back at once when the worker running it dies. Redis works too, with AOF on and
# the visibility timeout below (docs/operations.md says what each loses in a crash).
_BROKER = env.str("CELERY_BROKER_URL", default="") or REDIS_URL
# No broker: run tasks in-process after the commit that asked for them, errors logged.
CELERY_TASK_ALWAYS_EAGER = not _BROKER
CELERY_BROKER_URL = _BROKER or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged when it finishes, so a worker killed mid-task does not lose it; tasks
# run through the outbox (outbox.services), which runs each message once to completion.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# One queue per deployment, named by its prefix, so deployments can share a broker.
CELERY_TASK_DEFAULT_QUEUE = env.str("CACHE_KEY_PREFIX", default="wxalbum")
# The longest a task may run (a WeChat call and a storage write, each with its own timeouts);
# a message's lease and its republishing follow from it (outbox.services.lease).
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=40)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 5
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Publishing gives up after 2 s instead of holding the relay on a frozen broker; the relay
# publishes again at its next round.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # Every key under the deployment's prefix, as for the cache; an unacknowledged task comes
    # back just after the longest a task may run.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "global_keyprefix": f"{env.str('CACHE_KEY_PREFIX', default='wxalbum')}:celery:",
        "visibility_timeout": CELERY_TASK_TIME_LIMIT + 20,
        "socket_timeout": 2,
        "socket_connect_timeout": 2,
    }
# The scheduled commands Celery beat sends to the workers (`make beat`; config.tasks), with
# seconds between two runs; SCHEDULED_COMMANDS ("name:seconds,...") changes some of them, 0
# turns one off. Each command stays runnable by hand (manage.py <name>) and by cron.
SCHEDULED_COMMANDS = {
    "flush_visits": 60,
    "sweep_photo_reviews": 300,
    "cleanup_uploads": 3600,
    "prune_idempotency_keys": 3600,
    "delete_due_accounts": 3600,
    "prune_exports": 86400,
    "prune_activity_log": 86400,
}
for _entry in filter(None, env.list("SCHEDULED_COMMANDS", default=[])):
    _name, _, _seconds = _entry.partition(":")
    if _name not in SCHEDULED_COMMANDS or not _seconds.isdigit():
        raise ImproperlyConfigured(
            f"SCHEDULED_COMMANDS: {_entry!r} is not name:seconds with a name among "
            f"{', '.join(SCHEDULED_COMMANDS)}."
        )
    SCHEDULED_COMMANDS[_name] = int(_seconds)
CELERY_BEAT_SCHEDULE = {
    name: {"task": "config.run_command", "schedule": float(seconds), "args": [name]}
    for name, seconds in SCHEDULED_COMMANDS.items()
    if seconds > 0
}
CELERY_BEAT_SCHEDULE_FILENAME = env.str(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(VAR_DIR / "celerybeat-schedule")
)
# Seconds between two rounds of each worker's outbox relay, and between two rounds of retries
# in a serving process without a broker (0: none).
OUTBOX_RELAY_INTERVAL = env.float("OUTBOX_RELAY_INTERVAL", default=1.0)
OUTBOX_EAGER_RETRY_INTERVAL = env.float("OUTBOX_EAGER_RETRY_INTERVAL", default=5.0)

# --- Storage --------------------------------------------------------------------------------

MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_URL = "/static/"

S3_BUCKET = env.str("S3_BUCKET", default="")
STORAGE_CDN_DOMAIN = env.str("STORAGE_CDN_DOMAIN", default="")
if S3_BUCKET:
    _s3_options = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
        "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
        "region_name": env.str("S3_REGION", default="") or None,
        "addressing_style": env.str("S3_ADDRESSING_STYLE", default="path"),
        "signature_version": "s3v4",
        "querystring_auth": not STORAGE_CDN_DOMAIN,
        "querystring_expire": env.int("S3_URL_EXPIRE_SECONDS", default=3600),
        "custom_domain": STORAGE_CDN_DOMAIN or None,
        "default_acl": None,
        # Addressing and signing as above, and a bucket that does not answer fails the request
        # (503 service_unavailable) within seconds instead of botocore's minute.
        "client_config": BotoConfig(
            s3={"addressing_style": env.str("S3_ADDRESSING_STYLE", default="path")},
            signature_version="s3v4",
            connect_timeout=3,
            read_timeout=20,
            retries={"max_attempts": 3, "mode": "standard"},
        ),
        # Keys are random and made by us; never silently replace an existing object.
        "file_overwrite": False,
        # Keys are never reused, so clients and CDNs may cache objects for good.
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options}
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

PHOTO_MAX_BYTES = env.int("PHOTO_MAX_BYTES", default=20 * 1024 * 1024)
# Phones' default modes are 12 and 24 MP; a file claiming more pixels than its bytes can hold
# is a bomb (media.images). A photo is accepted from its headers and processed on the task
# queue; at most this many images are processed at once per process (each takes up to ~6 bytes
# per pixel); others wait up to PHOTO_PROCESSING_WAIT seconds, then their task is tried again
# later (an avatar, processed in its request, answers 503).
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_PIXELS", default=25_000_000)
PHOTO_MAX_PIXELS_PER_BYTE = env.int("PHOTO_MAX_PIXELS_PER_BYTE", default=100)
PHOTO_PROCESSING_CONCURRENCY = env.int("PHOTO_PROCESSING_CONCURRENCY", default=2)
PHOTO_PROCESSING_WAIT = env.float("PHOTO_PROCESSING_WAIT", default=10.0)
# A photo still processing this long after upload, its task failed, is failed by cleanup; a
# failed photo (its uploader told why) is deleted this long after upload.
PHOTO_PROCESSING_TIMEOUT = timedelta(
    seconds=env.int("PHOTO_PROCESSING_TIMEOUT_SECONDS", default=3600)
)
PHOTO_FAILED_RETENTION = timedelta(hours=env.int("PHOTO_FAILED_RETENTION_HOURS", default=24))
UPLOAD_TICKET_TTL = timedelta(seconds=env.int("UPLOAD_TICKET_TTL_SECONDS", default=15 * 60))
# Days the activity log keeps its entries; `manage.py prune_activity_log` deletes older ones.
ACTIVITY_LOG_RETENTION_DAYS = env.int("ACTIVITY_LOG_RETENTION_DAYS", default=180)
# How long after its ticket expires an upload may still be completed, before cleanup takes it.
UPLOAD_COMPLETE_GRACE = timedelta(hours=1)

# --- Outside systems ------------------------------------------------------------------------

WECHAT_APP_ID = env.str("WECHAT_APP_ID", default="")
WECHAT_APP_SECRET = env.str("WECHAT_APP_SECRET", default="")
# "cloudrun": in WeChat Cloud Hosting (微信云托管), WeChat calls go through its open API service,
# which adds the credentials: no access token, no secret (wechat.client).
WECHAT_OPEN_API = env.str("WECHAT_OPEN_API", default="direct").lower()
if WECHAT_OPEN_API not in ("direct", "cloudrun"):
    raise ImproperlyConfigured("WECHAT_OPEN_API is 'direct' or 'cloudrun'.")
WECHAT_API_BASE = env.str(
    "WECHAT_API_BASE",
    default="http://api.weixin.qq.com"
    if WECHAT_OPEN_API == "cloudrun"
    else "https://api.weixin.qq.com",
).rstrip("/")
WECHAT_TIMEOUT = env.float("WECHAT_TIMEOUT", default=5.0)
# With no app id the sandbox client answers logins; a system check refuses it without DEBUG.
WECHAT_SANDBOX = not WECHAT_APP_ID
if not DEBUG:
    required("WECHAT_APP_ID")
if WECHAT_APP_ID and not WECHAT_APP_SECRET and WECHAT_OPEN_API != "cloudrun":
    required("WECHAT_APP_SECRET")
# "cloudrun": a request carrying Cloud Hosting's X-WX-OPENID (and X-WX-APPID equal to
# WECHAT_APP_ID) is that user, no bearer token needed (accounts.authentication). Anyone who
# can reach the container directly could send those headers, so the mode starts only once the
# operator confirms the service's public access is closed (docs/operations.md).
WECHAT_IDENTITY = env.str("WECHAT_IDENTITY", default="token").lower()
if WECHAT_IDENTITY not in ("token", "cloudrun"):
    raise ImproperlyConfigured("WECHAT_IDENTITY is 'token' or 'cloudrun'.")
if WECHAT_IDENTITY == "cloudrun":
    if not WECHAT_APP_ID:
        required("WECHAT_APP_ID")
    if env.str("WECHAT_CLOUDRUN_PUBLIC_ACCESS", default="").lower() != "off":
        raise ImproperlyConfigured(
            "WECHAT_IDENTITY=cloudrun trusts the X-WX-OPENID header: close the service's public "
            "network access in the Cloud Hosting console, then set "
            "WECHAT_CLOUDRUN_PUBLIC_ACCESS=off to say so."
        )

# "wechat": every text a user writes (nickname, album title and description, photo caption,
# comment) goes through WeChat's msgSecCheck (moderation.services): "risky" is refused, "review"
# is held for staff. COMMENTS_CONTENT_CHECK, its name before it covered every field, is read
# when CONTENT_CHECK is not set (for one release).
CONTENT_CHECK = env.str(
    "CONTENT_CHECK", default=env.str("COMMENTS_CONTENT_CHECK", default="") or "off"
).lower()
if CONTENT_CHECK not in ("off", "wechat"):
    raise ImproperlyConfigured("CONTENT_CHECK is 'off' or 'wechat'.")
# DELETE /api/v1/me deletes the account's data this many days later, unless cancelled.
ACCOUNT_DELETION_GRACE_DAYS = env.int("ACCOUNT_DELETION_GRACE_DAYS", default=7)
if ACCOUNT_DELETION_GRACE_DAYS < 0:
    raise ImproperlyConfigured("ACCOUNT_DELETION_GRACE_DAYS is 0 or more.")
# A photo or comment this many people report is hidden until staff decide (0: never).
REPORT_AUTO_HIDE_AT = env.int("REPORT_AUTO_HIDE_AT", default=3)
if REPORT_AUTO_HIDE_AT < 0:
    raise ImproperlyConfigured("REPORT_AUTO_HIDE_AT is 0 (never) or more.")

# "wechat": each new photo goes to WeChat's media check (media_check_async) on the task queue
# and only its uploader sees it until the verdict arrives on the message push (album.reviews).
PHOTO_CONTENT_CHECK = env.str("PHOTO_CONTENT_CHECK", default="off").lower()
if PHOTO_CONTENT_CHECK not in ("off", "wechat"):
    raise ImproperlyConfigured("PHOTO_CONTENT_CHECK is 'off' or 'wechat'.")
# The `scene` sent with each photo: 1 profile, 2 comment, 3 forum, 4 social log.
PHOTO_CHECK_SCENE = env.int("PHOTO_CHECK_SCENE", default=4)
if PHOTO_CHECK_SCENE not in (1, 2, 3, 4):
    raise ImproperlyConfigured("PHOTO_CHECK_SCENE is 1, 2, 3 or 4.")
# A photo with no verdict this long after its upload goes to staff review (never to "pass").
PHOTO_CHECK_TIMEOUT = timedelta(seconds=env.int("PHOTO_CHECK_TIMEOUT_SECONDS", default=1800))
# Days a rejected photo's files are kept (for appeals and evidence) before the sweep deletes it.
PHOTO_REJECTED_RETENTION = timedelta(days=env.int("PHOTO_REJECTED_RETENTION_DAYS", default=30))

LEGACY_BACKEND_URL = env.str("LEGACY_BACKEND_URL", default="").rstrip("/")
LEGACY_BACKEND_SECRET = env.str("LEGACY_BACKEND_SECRET", default="")
LEGACY_BACKEND_TIMEOUT = env.float("LEGACY_BACKEND_TIMEOUT", default=2.0)
if LEGACY_BACKEND_URL and not LEGACY_BACKEND_SECRET:
    raise ImproperlyConfigured("Set LEGACY_BACKEND_SECRET: LEGACY_BACKEND_URL is set.")

# Mini-program codes (getwxacodeunlimit) made once per link.
WXACODE_ENV_VERSION = env.str("WXACODE_ENV_VERSION", default="release")
if WXACODE_ENV_VERSION not in ("release", "trial", "develop"):
    raise ImproperlyConfigured("WXACODE_ENV_VERSION is release, trial or develop.")
WXACODE_WIDTH = env.int("WXACODE_WIDTH", default=430)
if not 280 <= WXACODE_WIDTH <= 1280:
    raise ImproperlyConfigured("WXACODE_WIDTH is 280 to 1280.")
WXACODE_CHECK_PATH = env.bool("WXACODE_CHECK_PATH", default=True)
# WeChat allows 5,000 a minute per mini-program; this many across every process.
WXACODE_PER_MINUTE = env.int("WXACODE_PER_MINUTE", default=4000)

# WeChat's message push (mini-program console: message push, JSON format): the Token, and the
# EncodingAESKey for safe mode. Without a token /wechat/push answers 404.
WECHAT_PUSH_TOKEN = env.str("WECHAT_PUSH_TOKEN", default="")
WECHAT_PUSH_AES_KEY = env.str("WECHAT_PUSH_AES_KEY", default="")
if WECHAT_PUSH_AES_KEY and len(WECHAT_PUSH_AES_KEY) != 43:
    raise ImproperlyConfigured("WECHAT_PUSH_AES_KEY is the console's 43-character EncodingAESKey.")
if PHOTO_CONTENT_CHECK == "wechat" and not WECHAT_SANDBOX and not WECHAT_PUSH_TOKEN:
    raise ImproperlyConfigured("PHOTO_CONTENT_CHECK=wechat needs WECHAT_PUSH_TOKEN: the verdicts "
                               "arrive on the message push.")  # fmt: skip

# Files WeChat asks a domain to serve at its root before it registers a QR link prefix:
# "name.txt:content,other.txt:content".
WECHAT_VERIFY_FILES = {}
for _entry in env.list("WECHAT_VERIFY_FILES", default=[]):
    _name, _, _content = _entry.partition(":")
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}\.txt", _name) or not _content:
        raise ImproperlyConfigured(f"WECHAT_VERIFY_FILES: {_entry!r} is not name.txt:content.")
    WECHAT_VERIFY_FILES[_name] = _content

# Each serving process counts visits in memory and a background thread pushes them (to Redis,
# then the database) every second; tests turn it off to count deterministically.
VISITS_IN_BACKGROUND = True

SHORTLINK_BASE_URL = env.str("SHORTLINK_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
SHORTLINK_ALBUM_PAGE = env.str("SHORTLINK_ALBUM_PAGE", default="pages/album/index")
# How long each process keeps a link's metadata (and page, QR image) read from Redis, and how
# much longer a revoke or a privacy change takes to answer (config.nearcache). With the
# cache in the process's memory there is nothing to copy: 0.
SHORTLINK_NEAR_CACHE_SECONDS = env.float(
    "SHORTLINK_NEAR_CACHE_SECONDS", default=0.5 if REDIS_URL else 0.0
)
# QR images with options other than the cached ones, rendered per request: per address a minute.
QR_RENDERS_PER_MINUTE = env.int("QR_RENDERS_PER_MINUTE", default=60)
WECHAT_MINIPROGRAM_NAME = env.str("WECHAT_MINIPROGRAM_NAME", default="时光相册")

# The admin's login: this many wrong passwords from one address or for one username within
# the window, and it answers 429 until the window has passed.
ADMIN_LOGIN_MAX_FAILURES = env.int("ADMIN_LOGIN_MAX_FAILURES", default=10)
ADMIN_LOGIN_WINDOW = env.int("ADMIN_LOGIN_WINDOW_SECONDS", default=900)

# --- Authentication and the API -------------------------------------------------------------

AUTH_TOKEN_TTL = timedelta(seconds=env.int("AUTH_TOKEN_TTL_SECONDS", default=2 * 3600))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.CloudHostingAuthentication",  # only with WECHAT_IDENTITY
        "accounts.authentication.BearerTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON everywhere; the two views that take a file declare multipart themselves.
    "DEFAULT_PARSER_CLASSES": ["config.parsers.BoundedJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_PAGINATION_CLASS": "config.pagination.CursorPagination",
    # OPTIONS is not part of the API (no browser clients, no CORS): 405 like any other method
    # an operation does not take, rather than DRF's form metadata.
    "DEFAULT_METADATA_CLASS": None,
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "config.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["config.throttles.WriteRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "write": env.str("THROTTLE_WRITE", default="60/min"),  # any other write, per user
        "login": env.str("THROTTLE_LOGIN", default="20/min"),
        "shortlink_create": env.str("THROTTLE_SHORTLINK_CREATE", default="30/min"),
        "comment_create": env.str("THROTTLE_COMMENT_CREATE", default="10/min"),
        "like": env.str("THROTTLE_LIKE", default="120/min"),  # per user
        "upload": env.str("THROTTLE_UPLOAD", default="60/min"),
    },
    "NUM_PROXIES": env.int("DJANGO_NUM_PROXIES", default=0),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

# Content-Security-Policy on every answer (django-csp): scripts and styles from this site only
# (styles inline too: the landing page carries its own), images from anywhere (covers come
# from the bucket or a CDN, whatever their address), no frames, no plugins, forms posting
# here only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["*", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# The interactive API docs and the schema; a deployment may hide them (they describe every
# operation to anyone who asks).
API_DOCS = env.bool("API_DOCS", default=True)
# Addresses whose /readyz answer names the failing dependency (the load balancer's, the
# orchestrator's); anyone else gets the status only.
HEALTH_PROBE_NETWORKS = [
    ipaddress.ip_network(network.strip())
    for network in env.str("HEALTH_PROBE_NETWORKS", default="127.0.0.0/8,::1/128").split(",")
    if network.strip()
]

SPECTACULAR_SETTINGS = {
    "TITLE": "wxalbum API",
    "DESCRIPTION": "Backend for WeChat mini-program photo albums.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # config.converters: ids of 1 to 18 digits.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999}
    },
    "ENUM_NAME_OVERRIDES": {
        "MediaReviewEnum": "moderation.media.Review",  # photos and avatars
        "CommentReviewEnum": "comments.models.Comment.Review",
        # the roles a share grants and an owner sets: viewer, contributor (one enum, one name)
        "AlbumShareRoleEnum": "shortlinks.models.SHAREABLE_ROLES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema.add_problem_responses",
    ],
}

# --- Internationalisation -------------------------------------------------------------------

# WeChat users read Simplified Chinese: it is the language when Accept-Language asks for
# nothing we have. Pages, problem documents and the admin follow the request's language.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Times are stored in UTC and shown (the admin, pages) in TIME_ZONE: China's by default.
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError) as _exc:
    raise ImproperlyConfigured(
        f"TIME_ZONE={TIME_ZONE!r} is not a time zone (Asia/Shanghai)."
    ) from _exc
USE_I18N = True
USE_TZ = True

# --- Security for production ----------------------------------------------------------------

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Logging: one JSON line per request ---------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # The request log below replaces Django's own per-request lines.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        "httpx": {"level": "WARNING"},
    },
}
