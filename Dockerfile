# One image for every process of the stack (pages, websockets, task worker, scheduler, backups);
# compose.yaml chooses the command. Two stages: the first installs the runtime dependencies from
# uv.lock (hashes checked, no test or benchmark tool: tests/test_packaging.py) and collects the
# static files; the second is the slim runtime that runs as an unprivileged user.
ARG PYTHON_IMAGE=python:3.13-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
WORKDIR /app
COPY pyproject.toml uv.lock ./
# uv's version is pinned once, in pyproject.toml's dev group.
RUN pip install "$(grep -o '"uv==[^"]*"' pyproject.toml | tr -d '"')" \
    && uv sync --frozen --no-dev --no-install-project
COPY . .
# Hashed names and gzip/brotli copies (WhiteNoise's CompressedManifestStaticFilesStorage).
RUN DJANGO_SECRET_KEY=build-only STATIC_MANIFEST=1 STATIC_ROOT=/app/staticfiles \
    /opt/venv/bin/python manage.py collectstatic --no-input -v 0

FROM ${PYTHON_IMAGE}
# pg_dump/psql for the backup service (deploy/backup.py); the same major version as compose's db.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 mottainai \
    && install -d -o mottainai -g mottainai /app/var /app/media /backups
ENV PATH=/opt/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings STATIC_MANIFEST=1 STATIC_ROOT=/app/staticfiles \
    MOTTAINAI_VAR_DIR=/app/var
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
USER mottainai
EXPOSE 8000 8001
CMD ["granian", "--interface", "wsgi", "--host", "0.0.0.0", "--port", "8000", "--workers", "2", "config.wsgi:application"]
