"""WSGI entry point, e.g. `gunicorn lens.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lens.settings")
application = get_wsgi_application()
