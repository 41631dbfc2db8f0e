# The two commands a newcomer needs are `make run` and `make test`; the rest are for CI and ops.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

SERVICES_ENV := DATABASE_URL=postgres://postgres@127.0.0.1:5432/wxalbum \
	REDIS_URL=redis://127.0.0.1:6379/15
MARIADB_ENV := DATABASE_URL=mysql://root@127.0.0.1:3306/wxalbum \
	REDIS_URL=redis://127.0.0.1:6379/13

APPS := accounts album audit comments config desk idempotency media moderation outbox privacy \
	reports shortlinks wechat
MESSAGES_IGNORE := --ignore=.venv --ignore=tests --ignore=miniprogram --ignore=bench \
	--ignore=deploy --ignore=docs --ignore='test_*'

.PHONY: messages run serve worker beat test test-services test-mariadb test-miniprogram lint format migrate bench fuzz e2e clean

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

var:
	mkdir -p var/media

migrate: $(INSTALLED) var
	DJANGO_DEBUG=true $(BIN)/python manage.py migrate --no-input

# `make run HOST=0.0.0.0 PORT=8000` serves the LAN too (a phone running the mini-program):
# any host name is allowed then, and links and QR codes name this machine's LAN address.
HOST ?= 127.0.0.1
PORT ?= 8000
LAN_ADDRESS = $(shell hostname -I 2>/dev/null | cut -d' ' -f1)
ON_LAN = $(if $(filter-out 127.0.0.1 localhost ::1,$(HOST)),DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-*} \
	SHORTLINK_BASE_URL=$${SHORTLINK_BASE_URL:-http://$(LAN_ADDRESS):$(PORT)},SHORTLINK_BASE_URL=$${SHORTLINK_BASE_URL:-http://127.0.0.1:$(PORT)})

run: migrate
	DJANGO_DEBUG=true $(ON_LAN) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# serve, worker and beat run on the current settings (the environment, or .env), and on the
# debug defaults of `make run` where DJANGO_DEBUG is not set.
ON_DEFAULTS := DJANGO_DEBUG=$${DJANGO_DEBUG:-true}

# Production serving: static files collected, the database migrated, then gunicorn with
# gunicorn.conf.py.
serve: $(INSTALLED) var
	$(ON_DEFAULTS) $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(ON_DEFAULTS) $(BIN)/python manage.py migrate --no-input
	$(ON_DEFAULTS) $(BIN)/gunicorn -c gunicorn.conf.py config.wsgi

# A task worker (CELERY_BROKER_URL, by default REDIS_URL; without one it says so, and runs the
# outbox's due tasks in its own process).
worker: $(INSTALLED) var
	$(ON_DEFAULTS) $(BIN)/celery -A config.worker worker --loglevel=INFO \
		--concurrency=$${CELERY_CONCURRENCY:-4}

# The scheduler: one per deployment; it sends the scheduled commands (SCHEDULED_COMMANDS) to
# the workers.
beat: $(INSTALLED) var
	$(ON_DEFAULTS) $(BIN)/celery -A config.worker beat --loglevel=INFO

test: $(INSTALLED)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The fault suite in it also stops and freezes a private MariaDB: the mysql extra is installed.
test-services: $(VENV)/.mysql
	$(SERVICES_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

# The whole suite on MariaDB (MySQL's rules hold there too) and Redis; the fault suite, which
# stops and freezes private PostgreSQL servers, stays with test-services.
$(VENV)/.mysql: $(INSTALLED)
	pkg-config --exists libmariadb || pkg-config --exists mysqlclient \
		|| DEBIAN_FRONTEND=noninteractive apt-get install -y -q libmariadb-dev pkg-config >/dev/null
	$(BIN)/python -m pip install --quiet -e '.[dev,mysql]'
	touch $@

test-mariadb: $(VENV)/.mysql
	# The server's time zone tables, which TIME_ZONE other than UTC needs (docs/operations.md)
	mysql -uroot -h127.0.0.1 -N -e "SELECT CONVERT_TZ('2026-01-01', 'UTC', 'Asia/Shanghai')" \
		| grep -q 2026 || mysql_tzinfo_to_sql /usr/share/zoneinfo 2>/dev/null | mysql -uroot -h127.0.0.1 mysql
	$(MARIADB_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Browser tests: Playwright driving Debian's chromium (installed here when missing).
e2e: $(INSTALLED)
	test -x /usr/bin/chromium || apt-get install -y -q chromium >/dev/null
	# a CJK font, without which every Chinese page renders as boxes (tests/e2e/test_in_chinese.py)
	fc-list :lang=zh | grep -q . || apt-get install -y -q fonts-noto-cjk >/dev/null
	# nginx for the slow-client test, installed without starting Debian's own instance
	command -v nginx >/dev/null || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d \
		&& chmod +x /usr/sbin/policy-rc.d \
		&& DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >/dev/null; \
		rc=$$?; rm -f /usr/sbin/policy-rc.d; exit $$rc; }
	# podman, runc and debootstrap for the container image (built on a base made from Debian)
	command -v podman >/dev/null && command -v runc >/dev/null && command -v debootstrap >/dev/null \
		|| DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman runc debootstrap >/dev/null
	$(BIN)/python -m pytest -m e2e tests/e2e $(PYTEST_ARGS)

# The mini-program's client module in Node 20, against the backend served on the embedded
# defaults (miniprogram/tests/run.sh).
test-miniprogram: $(INSTALLED)
	@command -v node >/dev/null || { echo "test-miniprogram needs Node 20 (node on the PATH)"; exit 1; }
	bash miniprogram/tests/run.sh

# Contract fuzzing: schemathesis against the live schema of a server on loopback (FUZZ_MAX_TIME).
fuzz: $(INSTALLED)
	$(BIN)/python -m tests.contract.fuzz

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache

bench: $(INSTALLED)
	command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null 2>&1 || true
	$(BIN)/python bench/run.py

# The Chinese catalogues: every app's strings extracted (makemessages), then compiled; a test
# (tests/config/test_translations.py) fails while one is left untranslated.
messages: $(INSTALLED)
	for app in $(APPS); do mkdir -p $$app/locale; done
	DJANGO_DEBUG=true $(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete $(MESSAGES_IGNORE)
	DJANGO_DEBUG=true $(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv
