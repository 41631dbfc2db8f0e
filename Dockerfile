# The wxalbum image: the wheel built from this checkout (with the mysql extra), installed into
# a virtual environment on a slim Debian Python; static files collected at build time; run as
# the unprivileged user wxalbum. One image for every process, chosen by the command
# (deploy/container/entrypoint.sh): web (the default), worker, beat, manage ...
#
#   podman build -t wxalbum .                      (or docker build)
#   podman build --build-arg BASE=localhost/wxalbum-base:bookworm -t wxalbum .
#
# BASE is any Debian bookworm image with python3 (and python3-venv): the default is the
# official slim Python; deploy/container/make-base.sh makes one from Debian's packages where no
# registry is reachable.
ARG BASE=python:3.11-slim-bookworm

FROM ${BASE} AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev pkg-config libmariadb-dev \
    && if ! python3 -c "import sysconfig, os, sys; sys.exit(not os.path.exists(sysconfig.get_paths()['include'] + '/Python.h'))"; then \
         apt-get install -y --no-install-recommends python3-dev; fi \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN python3 -m venv /opt/build \
    && /opt/build/bin/pip install --no-cache-dir --quiet --upgrade pip \
    && /opt/build/bin/pip wheel --no-cache-dir --quiet --wheel-dir /wheels ".[mysql]"

FROM ${BASE}
RUN apt-get update \
    && apt-get install -y --no-install-recommends libmariadb3 libcap2-bin \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /srv/wxalbum --create-home wxalbum
COPY --from=build /wheels /wheels
RUN python3 -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir --quiet --no-index --find-links /wheels "wxalbum[mysql]" \
    && rm -rf /wheels \
    # Port 80 (Cloud Hosting's default) without root: the interpreter may bind low ports.
    && setcap cap_net_bind_service=+ep "$(readlink -f /opt/venv/bin/python3)"
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    WXALBUM_ENV_FILE= \
    WXALBUM_VAR_DIR=/srv/wxalbum/var \
    STATIC_ROOT=/opt/wxalbum/static \
    PORT=80
RUN DJANGO_DEBUG=true WXALBUM_VAR_DIR=/tmp/build-var wxalbum collectstatic --no-input --verbosity 0 \
    && rm -rf /tmp/build-var
COPY deploy/container/entrypoint.sh /usr/local/bin/wxalbum-entrypoint
USER wxalbum
RUN mkdir -p /srv/wxalbum/var/media
WORKDIR /srv/wxalbum
EXPOSE 80
ENTRYPOINT ["wxalbum-entrypoint"]
