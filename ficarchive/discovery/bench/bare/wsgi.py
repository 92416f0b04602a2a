"""WSGI entry of the bare project (gunicorn ficarchive.discovery.bench.bare.wsgi:application)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "ficarchive.discovery.bench.bare.settings"
application = get_wsgi_application()
