"""Settings every run shares. The database comes from ``CABLES_DB`` (see :mod:`.database`)."""

from __future__ import annotations

from .database import database_settings

SECRET_KEY = "cables-archive-no-sessions-here"  # nothing is signed by the store; the web app overrides
DEBUG = False
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "cables.store",
]

DATABASES = {"default": database_settings()}

LOGGING_CONFIG = None  # the CLI prints its own progress; Django must not install handlers
