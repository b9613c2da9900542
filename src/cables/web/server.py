"""``cables serve``: the reading room under gunicorn, a production WSGI server.

The application is loaded once in the master (``preload_app``) after the archive's schema is
brought up to date, then forked into workers; each worker opens its own database connections.
Threads per worker (``gthread``) let slow clients wait without holding a process.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

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
        from .wsgi import application

        return application


def default_workers() -> int:
    return 2 * (os.cpu_count() or 1) + 1


def ensure_secret_key(archive: str) -> None:
    """Give the site a secret key of its own: ``CABLES_SECRET_KEY``, else a file beside the archive.

    The key signs sessions (moderators' logins); it must survive restarts and be the same in every
    worker, and it must never be the placeholder the CLI runs with.
    """
    if os.environ.get("CABLES_SECRET_KEY"):
        return
    base = Path(archive).expanduser().resolve().parent if "://" not in archive else Path.cwd()
    key_file = base / "cables.secret"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(50))
    os.environ["CABLES_SECRET_KEY"] = key_file.read_text().strip()


def serve(host: str, port: int, workers: int, threads: int = 4, access_log: bool = False) -> None:
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "cables",
    }
    ReadingRoom(options).run()
