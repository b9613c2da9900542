"""Settings every run shares: the store, the reading room, the database from ``CABLES_DB``.

One settings module serves the CLI, the tests and the web server, so that every process sees
the same apps and migrations (an archive ingested by ``cables ingest`` is the one ``cables serve``
shows). What differs between a laptop and a public site comes from the environment:

- ``CABLES_DB``: the archive (see :mod:`.database`);
- ``CABLES_DB_REPLICA``: a streaming replica of a PostgreSQL archive, which the reading room
  reads from (see :mod:`cables.store.routing` and :mod:`cables.web.replica`); unset, every query
  goes to ``CABLES_DB``;
- ``CABLES_SECRET_KEY``: signs sessions and moderators' logins. ``cables serve`` creates one in a
  file beside the archive when it is unset; the fallback below is for the CLI and tests, which sign
  nothing;
- ``CABLES_ALLOWED_HOSTS``: comma-separated host names the site answers to (default: loopback);
- ``CABLES_SITE_URL``: the public address used in canonical links and share links when the site
  sits behind a proxy (default: the request's own host);
- ``CABLES_DISCUSSION_LIMITS``: the comment and ping rate limits, as JSON: scope → list of
  ``[count, seconds]`` (``{"comment-address": [[6, 600], [50, 86400]]}``; scopes and defaults in
  :mod:`cables.web.discussion.ratelimit`).
- ``CABLES_CACHE``: where rendered pages are kept (:mod:`cables.web.pagecache`): a directory (an
  on-disk cache every worker process shares and that outlives restarts), ``memory`` (each process
  its own, the default) or ``off``. ``cables serve`` picks a directory beside the archive.
  ``CABLES_CACHE_SIZE``: how much of the disk it may take (default 2G; a 250,000-cable archive's
  pages take about 5G); beyond it the pages stored longest ago go. ``CABLES_CACHE_MEMORY``: how
  much of the answers asked most recently each process also keeps decoded in memory (default
  32M, ``0`` for none; :class:`cables.web.cache_backend.RecentAnswers`).
"""

from __future__ import annotations

import json
import os

from .database import configured_replica, database_settings, replica_settings

SECRET_KEY = os.environ.get("CABLES_SECRET_KEY") or "cables-cli-and-tests-only-not-for-a-public-site"
DEBUG = False
USE_TZ = True
TIME_ZONE = "UTC"
USE_I18N = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "cables.store",
    "cables.web",
    "ninja",   # the API's docs page and its Swagger UI files, served from here (no CDN)
]



def databases(db: str | os.PathLike | None = None) -> dict[str, dict]:
    """``DATABASES`` for the archive ``db`` (None: ``CABLES_DB``) and its replica, if any."""
    found = {"default": database_settings(db)}
    if configured_replica():
        found["replica"] = replica_settings(configured_replica(), found["default"])
    return found


DATABASES = databases()
# Reads to the replica where the reading room allows it, writes to the primary: only when there
# is a replica, so that the tests' and the bench's extra aliases are left alone.
DATABASE_ROUTERS = ["cables.store.routing.PrimaryReplicaRouter"] if "replica" in DATABASES else []

LOGGING_CONFIG = None  # the CLI prints its own progress; Django must not install handlers

# --- the reading room -------------------------------------------------------------------------

ROOT_URLCONF = "cables.web.urls"
WSGI_APPLICATION = "cables.web.wsgi.application"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get(
    "CABLES_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver").split(",") if h.strip()]
# Versions packed before records carried a layout get it derived when read: the store calls this
# (it cannot import the parser itself; see cables.store.models._record_filler).
CABLES_RECORD_FILLER = "cables.ingest.layout.with_layout"
SITE_URL = os.environ.get("CABLES_SITE_URL", "").rstrip("/")


def discussion_limits(text: str | None) -> dict[str, list[tuple[int, int]]]:
    """``CABLES_DISCUSSION_LIMITS`` read: a clear error at start-up rather than a wrong limit."""
    if not text:
        return {}
    try:
        value = json.loads(text)
        return {str(scope): [(int(n), int(seconds)) for n, seconds in pairs] for scope, pairs in value.items()}
    except (ValueError, TypeError, AttributeError) as exc:
        raise ValueError(f"CABLES_DISCUSSION_LIMITS must be JSON like "
                         f'{{"comment-address": [[6, 600], [50, 86400]]}}, not {text!r}') from exc


CABLES_DISCUSSION_LIMITS = discussion_limits(os.environ.get("CABLES_DISCUSSION_LIMITS"))

PAGE_CACHE_BYTES = 2 * 1024**3   # on disk: the least recently stored pages go beyond this
PAGE_CACHE_ENTRIES = 1000        # in memory, per process
PAGE_CACHE_RECENT_BYTES = 32 * 1024**2   # on disk: and the most recently asked, decoded, per process
_SIZE_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def byte_size(text: str | None, variable: str, default: int, zero: bool = False) -> int:
    """A size setting (``8G``, ``500M``, a number of bytes) → bytes, at least 1M; a clear error
    naming ``variable`` at start-up rather than a cache of a size nobody asked for. ``zero``:
    ``0`` (none at all) is a size too."""
    if not text:
        return default
    value = text.strip().upper().removesuffix("B").removesuffix("I")
    number, unit = (value[:-1], value[-1]) if value[-1:] in _SIZE_UNITS else (value, "")
    try:
        size = float(number) * _SIZE_UNITS[unit]
    except ValueError:
        size = -1
    if size < 1024**2 and not (zero and size == 0):
        raise ValueError(f"{variable} must be a size of at least 1M, like 8G or 500M"
                         f"{', or 0' if zero else ''}, not {text!r}")
    return int(size)


def cache_size(text: str | None) -> int:
    """``CABLES_CACHE_SIZE``: how much disk the kept pages may take."""
    return byte_size(text, "CABLES_CACHE_SIZE", PAGE_CACHE_BYTES)


def cache_memory(text: str | None) -> int:
    """``CABLES_CACHE_MEMORY``: how much memory each process's recent answers may take."""
    return byte_size(text, "CABLES_CACHE_MEMORY", PAGE_CACHE_RECENT_BYTES, zero=True)


def cache_settings(value: str | None, size: str | None = None, memory: str | None = None) -> dict:
    """``CABLES_CACHE`` → Django's ``CACHES``. Entries never expire by age: their keys carry the
    archive's generation, so a write makes them unreachable instead (see cables.web.pagecache)."""
    value = (value or "memory").strip()
    if value == "off":
        return {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    if value == "memory":
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                            "TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": PAGE_CACHE_ENTRIES}}}
    return {"default": {
        "BACKEND": "cables.web.cache_backend.PageCache",
        "LOCATION": os.path.abspath(os.path.expanduser(value)),
        "TIMEOUT": None,
        "SHARDS": 4,                 # four SQLite files: workers storing pages rarely wait on one
        "DATABASE_TIMEOUT": 0.05,    # a store that would wait longer is skipped, never the page
        "RECENT_BYTES": cache_memory(memory),
        "OPTIONS": {"size_limit": cache_size(size)},
    }}


CACHES = cache_settings(os.environ.get("CABLES_CACHE"), os.environ.get("CABLES_CACHE_SIZE"),
                        os.environ.get("CABLES_CACHE_MEMORY"))

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cables.api.middleware.ApiCorsMiddleware",
    "cables.web.middleware.SecurityHeadersMiddleware",
    "cables.web.replica.DatabaseFailover",   # before anything that may read the database
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cables.web.context.site",
                "cables.web.pagecache.csrf_hole",   # after Django's csrf, which it overrides
            ],
        },
    },
    {   # the cable page's archive part, rendered on a page's first visit (cables.web.jinja)
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "cables.web.jinja.environment"},
    },
]

# Static files come from the apps (cables/web/static) and are served by WhiteNoise straight from
# there: nothing to collect on a fresh clone, nothing fetched from the internet.
STATIC_URL = "/static/"
WHITENOISE_USE_FINDERS = True
WHITENOISE_MAX_AGE = 3600

# Security: headers a public site wants (the CSP is set by cables.web.middleware).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if os.environ.get("CABLES_HTTPS", "").lower() in {"1", "true", "yes"}:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
