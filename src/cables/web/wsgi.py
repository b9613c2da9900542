"""The WSGI application ``cables serve`` hands to gunicorn (Django set up on ``CABLES_DB``)."""

from django.core.wsgi import get_wsgi_application

from ..store import db

db.setup()
application = get_wsgi_application()
