"""Worker processes that end with the process that started them.

A command killed by SIGKILL (or by the OOM killer) cannot stop its pool of processes: they went on
with the work they held, for nobody, then waited for more forever, each holding what it had opened
(a database connection among them). ``PR_SET_PDEATHSIG`` does not serve: it fires when the
*thread* that forked them ends, and ``cables ingest`` forks its parsers from its read-ahead
thread, which ends before they do. A parent gone, the process is adopted by another, so its parent
id changes: looked at once a second.
"""

from __future__ import annotations

import os
import threading
import time

PARENT_CHECK_SECONDS = 1.0


def end_with_parent() -> None:
    """Call in a worker process as it starts (a pool's initializer): it ends, whatever it is
    doing, once the process that started it is gone."""
    threading.Thread(target=_end_with, args=(os.getppid(),), name="cables-end-with-parent",
                     daemon=True).start()


def _end_with(parent: int) -> None:
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        if os.getppid() != parent:
            os._exit(1)
