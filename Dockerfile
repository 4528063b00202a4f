# One image for every process of the stack (pages, websockets, task worker, jobs); compose.yaml
# chooses the command. Built from the same pinned requirements.txt as development and CI.
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings STATIC_ROOT=/app/staticfiles MOTTAINAI_VAR_DIR=/app/var

# libpq for psycopg's binary wheel needs nothing extra; gettext compiles nothing at runtime.
RUN useradd --create-home --uid 10001 mottainai
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY --chown=mottainai:mottainai . .
# Static files are collected at build time and served by WhiteNoise (hashed names, compressed).
RUN DJANGO_SECRET_KEY=build-only python manage.py collectstatic --no-input
USER mottainai
EXPOSE 8000 8001
CMD ["granian", "--interface", "wsgi", "--host", "0.0.0.0", "--port", "8000", "--workers", "2", "config.wsgi:application"]
