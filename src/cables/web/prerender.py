"""Every cable page's archive part rendered and kept ahead of its first visit (``cables render``).

A page without a kept render (never asked for, or changed by an ingest, which keeps the other
pages' renders: :class:`.version_render.Carry`) costs a render of what it shows of the archive
(:mod:`.archive_part`, several ms of CPU); once rendered, its version's render is kept in the
archive's database (:mod:`.version_render`), shared by every instance of the site, and the page
costs a lookup. At 250,000 cables with readers spread over all of them, almost every request is
such a first visit. :func:`render_all` makes those renders beforehand, in-process and without
HTTP: for each cable whose kept render is missing or stale under the archive's current
generation, the part the page's view would render (:func:`.archive_part.parts_and_shown`, for the
address :func:`.archive_part.page_url` gives), kept as a first visit keeps it.

The renders hold the site's address (canonical, share and citation links) and are kept under it:
they serve the readers who reach the site by that address, ``CABLES_SITE_URL`` when the site is
served under a name, else the host and port they connect to. The request the parts are rendered
for is one a reader of that address would send (Django's ``RequestFactory``), checked to give it.

The cables go by chunks of :data:`CHUNK`: the ids read, the cables whose render is current
skipped, the others rendered, then kept in one transaction. A run killed loses at most the chunks
under way; a run again carries on (a render kept is skipped), and a run with nothing to do renders
nothing. With ``jobs`` above 1, chunks go to forked processes, each with its own database
connections; on SQLite their writes queue on the archive's write lock (a chunk's is short), and
one that still fails (the archive locked by an ingest for longer than the wait) is counted as not
kept, with why. A cable whose render raises is counted as failed with its reason; the others go on.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db import DatabaseError, connections

from ..processes import end_with_parent
from ..store import queries
from . import archive_part, version_render
from .context import site_url as site_url_of
from .pagecache import archive_generation
from .version_render import failure_reason

CHUNK = 100   # cables a chunk: ~0.5 s of rendering, and what a killed run may lose per process


class SiteURLError(ValueError):
    """The site's address is not one the renders can be made for (and kept under)."""


@dataclass
class Done:
    """What a chunk, or a whole run, did with its cables."""

    cables: int = 0               # gone through
    rendered: int = 0             # rendered and kept
    kept_already: int = 0         # their render was current: skipped
    failed: int = 0               # their render raised (or their chunk could not be read)
    not_kept: int = 0             # rendered, but the write failed or the archive moved on
    failures: list[tuple[str, str]] = field(default_factory=list)   # (reference id, why)
    not_kept_reason: str | None = None

    def add(self, other: Done) -> None:
        self.cables += other.cables
        self.rendered += other.rendered
        self.kept_already += other.kept_already
        self.failed += other.failed
        self.not_kept += other.not_kept
        self.failures.extend(other.failures)
        self.not_kept_reason = self.not_kept_reason or other.not_kept_reason


def request_for(site_url: str):
    """A GET of the site's home page as a reader reaching ``site_url`` sends it: the request
    the renders are made for. Raises :class:`SiteURLError` when the site would not show
    ``site_url`` as its address to such a reader (``CABLES_SITE_URL`` names another one; a host
    the site does not answer to; a path, which only ``CABLES_SITE_URL`` can give)."""
    from django.core.exceptions import DisallowedHost
    from django.test import RequestFactory

    address = urlsplit(site_url)
    if address.scheme not in ("http", "https") or not address.netloc:
        raise SiteURLError(f"{site_url!r} is not a site's address (http://HOST[:PORT] or https://…)")
    request = RequestFactory().get("/", HTTP_HOST=address.netloc, secure=address.scheme == "https")
    try:
        shown = site_url_of(request)
    except DisallowedHost:
        shown = None
    if shown != site_url.rstrip("/"):
        raise SiteURLError(
            f"the site shows its address as {shown or 'nothing: it does not answer to ' + address.netloc}, "
            f"not {site_url}: renders made for {site_url} would not be used (set CABLES_SITE_URL "
            "to the site's public address, for the site and the renders alike)")
    return request


def cable_ids() -> list[int]:
    """The row ids of every cable with a page (a latest version), in order."""
    from ..store.models import Cable

    return list(Cable.objects.filter(latest_version__isnull=False).order_by("id")
                .values_list("id", flat=True))


def render_chunk(ids: list[int], site_url: str) -> Done:
    """Render and keep the archive part of each cable of ``ids`` whose kept render is missing or
    stale, under the archive's generation as read now; one transaction keeps them all."""
    done = Done(cables=len(ids))
    try:
        request = request_for(site_url)
        current = archive_generation(request)
        pages = [(cable, archive_part.page_url(request, cable))
                 for cable in queries.cables_for_pages(ids)]
        current_ones = version_render.current_renders(pages, current)
    except DatabaseError as error:
        done.failed = len(ids)
        done.failures.append((f"the {len(ids)} cables #{ids[0]}…#{ids[-1]}", failure_reason(error)))
        return done
    made = []
    for cable, url in pages:
        if cable.pk in current_ones:
            done.kept_already += 1
            continue
        try:
            parts, shows = archive_part.parts_and_shown(request, cable, url)
        except Exception as error:  # a page's bug must not lose the rest of the run
            done.failed += 1
            done.failures.append((cable.canonical_id, failure_reason(error)))
            continue
        made.append((cable, url, parts, shows))
    kept, why = version_render.keep_renders(current, made)
    done.rendered, done.not_kept = kept, len(made) - kept
    done.not_kept_reason = why
    return done


def render_all(site_url: str | None = None, jobs: int = 1, ids: list[int] | None = None,
               progress: Callable[[Done], None] | None = None, chunk: int = CHUNK) -> Done:
    """Render and keep the archive part of every cable (or of ``ids``) whose kept render is
    missing or stale, for the site at ``site_url`` (default ``CABLES_SITE_URL``), by ``jobs``
    processes. ``progress`` is called with each chunk's :class:`Done` as it ends."""
    from django.conf import settings

    site_url = (site_url or settings.SITE_URL or "").rstrip("/")
    if not site_url:
        raise SiteURLError("no site address: set CABLES_SITE_URL or give one")
    request_for(site_url)  # a wrong address is said before anything is rendered
    ids = cable_ids() if ids is None else list(ids)
    chunks = [ids[start:start + chunk] for start in range(0, len(ids), chunk)]
    total = Done()

    def finished(done: Done) -> None:
        total.add(done)
        if progress is not None:
            progress(done)

    if jobs <= 1 or len(chunks) <= 1:
        for part in chunks:
            finished(render_chunk(part, site_url))
        return total
    connections.close_all()  # each process opens its own
    with ProcessPoolExecutor(min(jobs, len(chunks)), mp_context=multiprocessing.get_context("fork"),
                             initializer=_worker_started) as pool:
        futures = {pool.submit(render_chunk, part, site_url): part for part in chunks}
        try:
            for future in as_completed(futures):
                try:
                    finished(future.result())
                except Exception as error:  # the process died (killed, out of memory)
                    part = futures[future]
                    finished(Done(cables=len(part), failed=len(part), failures=[
                        (f"the {len(part)} cables #{part[0]}…#{part[-1]}", failure_reason(error))]))
        except BaseException:  # Ctrl-C: the chunks under way end (and are kept), no other starts
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return total


def _worker_started() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the parent's to handle
    end_with_parent()
