"""``cables serve``: the reading room under a production WSGI server, gunicorn or granian.

gunicorn (the default): the application is loaded once in the master (``preload_app``) after the
archive's schema is brought up to date, then forked into workers; each worker opens its own
database connections. Threads per worker (``gthread``) let slow clients wait without holding a
process.

granian (``--server granian``): HTTP is read and written by Rust code (hyper), the Python threads
of each worker only run the application. Measured with the API's kept answers at 20 clients on 2 cores
(``bench/web.py --mix api=1 --cache warm --server …``), the server's processes spent 0.78–1.18 ms
of CPU a request under granian against 1.18–1.74 ms under gunicorn in the same loops (load 2–8;
at load 6–11 the two overlapped: 1.15–1.42 against 1.15–1.87), whose own work per request
(its HTTP parser, its selector loop and the hand-over to a thread, in Python) was most of what
is left beside Django's. Each granian worker imports the application itself
(:func:`granian_application`). It is not the default because its HTTP parser refuses, with an
empty 400, a request line holding characters a URI may not hold raw (``"`` ``<`` ``>`` a backslash
``^`` `````` ``{`` ``|`` ``}``): browsers encode the first three and forms all of them, but a link
with ``q="end summary"`` written by hand, or ``|`` and ``^`` as browsers send them, which
gunicorn and Django take (``/search?q="prime minister"`` is a phrase search), would fail.
The public site's arrangement (``deploy/cluster``) runs it all the same: on 250,000 cables
(``bench/web.py --archive 250k --access zipf --renders kept``) it held the cable pages' p95 at
62-93 ms where gunicorn's was 180 ms, for 2.0-2.7 ms of server CPU a request against 3.5 ms.
"""

from __future__ import annotations

import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from gunicorn.app.base import BaseApplication


class ReadingRoom(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self):
        log_one_line_a_request()
        from .wsgi import application

        return without_body_on_head(application)


class _OneLine(logging.Formatter):
    """A record on one line: a refused Host header or a 404 is an event, not a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        record.exc_info = record.exc_text = None
        return super().format(record).replace("\n", " ")


def log_one_line_a_request() -> None:
    """Django's request and security warnings to standard error, one line each.

    Server errors (500) keep their traceback: they are the ones someone must read.
    """
    form = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    plain = logging.StreamHandler()
    plain.setFormatter(_OneLine(form))
    plain.addFilter(lambda record: getattr(record, "status_code", 0) < 500)
    full = logging.StreamHandler()
    full.setFormatter(logging.Formatter(form))
    full.addFilter(lambda record: getattr(record, "status_code", 0) >= 500)
    for name in ("django.security", "django.request"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [plain, full]
        logger.propagate = False


def without_body_on_head(app):
    """Answer ``HEAD`` with the headers of ``GET`` and no body.

    Django renders the body of a HEAD request like a GET's (its development server strips it);
    gunicorn drops it too, but logs a warning for every such request. The headers, including
    ``Content-Length``, stay those of the GET, as RFC 9110 wants.
    """

    def application(environ, start_response):
        result = app(environ, start_response)
        if environ.get("REQUEST_METHOD") != "HEAD":
            return result
        close = getattr(result, "close", None)
        if close is not None:
            close()  # Django's request_finished: connections go back, files close
        return []

    return application


DEFAULT_SERVER = "gunicorn"


def default_workers(server: str = DEFAULT_SERVER) -> int:
    """granian: a worker a core (its HTTP runs outside the GIL, in Rust threads); gunicorn, whose
    workers parse HTTP in Python: 2 × cores + 1, its documentation's advice."""
    cores = os.cpu_count() or 1
    return cores if server == "granian" else 2 * cores + 1


def default_threads(server: str = DEFAULT_SERVER) -> int:
    """Threads running the application in each worker (granian's blocking threads, gunicorn's
    gthread threads): more only queue behind the GIL (measured: granian 2 × 2 served the API's
    kept answers with half the p95 of 5 × 4)."""
    return 2 if server == "granian" else 4


def beside_archive(archive: str, suffix: str) -> Path:
    """``cables.db`` → ``cables.db.SUFFIX`` beside it; for a PostgreSQL URL, ``./cables.SUFFIX``."""
    if "://" in archive:
        return Path.cwd() / f"cables.{suffix}"
    path = Path(archive).expanduser().resolve()
    return path.with_name(f"{path.name}.{suffix}")


def secret_key_file(archive: str) -> Path:
    return beside_archive(archive, "secret")


def page_cache_dir(archive: str) -> Path:
    """Where ``cables serve`` keeps rendered pages (see :mod:`.pagecache`) unless told otherwise."""
    return beside_archive(archive, "pages")


def ensure_secret_key(archive: str) -> None:
    """Give the site a secret key of its own: ``CABLES_SECRET_KEY``, else a file beside the archive.

    The key signs sessions (moderators' logins); it must survive restarts and be the same in every
    worker, and it must never be the placeholder the CLI runs with. The file is named after the
    archive, so two archives on one machine do not share a key (and ``cables.db*`` in .gitignore
    covers the default one).
    """
    if os.environ.get("CABLES_SECRET_KEY"):
        return
    key_file = secret_key_file(archive)
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        try:
            # created readable by its owner only, never world-readable for a moment
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another `cables serve` of this archive made it just now
            pass
        else:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_urlsafe(50))
    os.environ["CABLES_SECRET_KEY"] = key_file.read_text().strip()


def prepare_page_cache() -> None:
    """Create the page cache's files before the workers start (call once, in the master).

    Workers opening a new on-disk cache at the same moment race to create its SQLite files
    (python-diskcache#266: "file is not a database"). Opened here first, then closed, so no
    worker inherits an open connection across the fork.
    """
    from django.core.cache import cache

    cache.get("cables:prepare")
    close = getattr(cache, "close_connections", cache.close)  # see cache_backend.PageCache
    close()


def start_warming(host: str, port: int) -> subprocess.Popen:
    """``python -m cables.web.warm`` beside the server (see :mod:`.warm`), asking over loopback
    when the server listens on every address, with the site's own name as Host when it has one."""
    loopback = {"0.0.0.0": "127.0.0.1", "::": "::1", "[::]": "::1"}.get(host, host)
    command = [sys.executable, "-m", "cables.web.warm", f"http://{address(loopback, port)}"]
    site = os.environ.get("CABLES_SITE_URL", "")
    if site:
        command += ["--host", urlsplit(site).netloc]
    return subprocess.Popen(command)


def address(host: str, port: int) -> str:
    """``host:port`` as gunicorn binds it and a browser opens it (``[::1]:8000`` for IPv6)."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}"


def granian_application():
    """The application as a granian worker loads it (its target, a factory): the same wrapping
    and logging as under gunicorn (:meth:`ReadingRoom.load`).

    A granian worker is a :mod:`multiprocessing` process that never runs :mod:`atexit`'s
    functions; its ending runs multiprocessing's finalizers instead, so the rate counts this
    worker has not written yet (:mod:`.discussion.ratelimit`, batched) are written by one."""
    import multiprocessing.util

    log_one_line_a_request()
    from .discussion import ratelimit
    from .wsgi import application

    multiprocessing.util.Finalize(None, ratelimit.write_counts_at_exit, exitpriority=10)

    return without_body_on_head(application)


def serve(host: str, port: int, workers: int, threads: int = 4, access_log: bool = False,
          server: str = DEFAULT_SERVER) -> None:
    if server == "granian":
        serve_with_granian(host, port, workers, threads, access_log)
        return
    options = {
        "bind": address(host, port),
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        "timeout": 60,
        "graceful_timeout": 10,
        "keepalive": 5,  # a reader's next click reuses the connection
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "cables",
    }
    ReadingRoom(options).run()


def serve_with_granian(host: str, port: int, workers: int, threads: int, access_log: bool) -> None:
    """granian's WSGI interface: ``workers`` processes, each running the application in at most
    ``threads`` threads (its blocking threads); SIGTERM or SIGINT stops it, workers first."""
    from granian import Granian
    from granian.constants import Interfaces

    Granian(f"{__name__}:granian_application", factory=True,
            address=host.strip("[]"), port=port, interface=Interfaces.WSGI,
            workers=workers, blocking_threads=threads,
            log_access=access_log, log_level="warning",
            respawn_failed_workers=True, workers_kill_timeout=10).serve()
