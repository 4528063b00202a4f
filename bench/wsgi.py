"""The site under WSGI plus the trivial view of bench/urls.py (the framework's floor), for
bench/pages_vs_floor.py: granian serves `bench.wsgi:application`."""

import os

import django
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
settings.ROOT_URLCONF = "bench.urls"

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
