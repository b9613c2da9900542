"""The load generator of bench/web.py and bench/cluster.py: closed-loop keep-alive clients.

Each client sends one request, waits for the whole answer, and sends the next, like a reader
clicking; requests are drawn from a weighted mix of kinds (:class:`Kind`). The HTTP/1.1 client is
a lean asyncio one (no third-party package, no `wrk`): about a tenth of a core for a few hundred
requests/s, so it does not starve the server on a 2-core machine.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

# --- what to request ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Request:
    path: str
    method: str = "GET"
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    token: str | None = None     # a comment post's own token (see CommentPosts)


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]   # names in lower case, in the order sent
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k == name), None)


class Session:
    """One simulated reader's browser state: its cookie jar and the comment form's CSRF token."""

    def __init__(self, origin: str):
        self.origin = origin                  # http://127.0.0.1:PORT, sent as Origin on posts
        self.cookies: dict[str, str] = {}
        self.form_token: str | None = None

    def cookie_header(self) -> tuple[tuple[str, str], ...]:
        if not self.cookies:
            return ()
        return (("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items())),)

    def keep_cookies(self, response: Response) -> None:
        """Set-Cookie as a browser applies it: set, or delete when it has expired (Max-Age=0)."""
        for name, value in response.headers:
            if name != "set-cookie":
                continue
            pair, *attributes = value.split(";")
            cookie, _, content = pair.strip().partition("=")
            attrs = {a.strip().partition("=")[0].lower(): a.strip().partition("=")[2]
                     for a in attributes}
            if attrs.get("max-age", "1").strip() in ("0", "-1") or content in ('""', ""):
                self.cookies.pop(cookie, None)
            else:
                self.cookies[cookie] = content


@dataclass
class Kind:
    """One kind of request of the mix: how to make one, its share, its p95 target (ms).

    ``make`` draws a request; ``setup`` (async, with the client's session and connection) runs
    before a client's first request of the kind and is not measured; ``check`` judges an answer
    (None: success, else what was wrong); ``failed`` is told of a request that got no answer.
    """

    name: str
    make: Callable[[random.Random, Session], Request]
    target_p95_ms: float | None = None
    prepare: Callable[[str], None] | None = None  # runs once with the base URL, before the load
    label: str | None = None
    setup: Callable[[Session, Connection], Awaitable[None]] | None = None
    check: Callable[[Request, Response], str | None] | None = None
    failed: Callable[[Request], None] | None = None

    @property
    def title(self) -> str:
        return self.label or self.name


# --- the load generator ------------------------------------------------------------------------

class BadResponse(Exception):
    pass


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    # socket errors (refused, reset, timed out, malformed answers) and wrong answers, by reason
    socket_errors: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    # the latencies of first visits: a GET of an address no client had asked before in the run
    first: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))


class Connection:
    """One keep-alive HTTP/1.1 connection: send a request, read the whole answer."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, req: Request) -> Response:
        if self.writer is None:
            await self.open()
        head = [f"{req.method} {req.path} HTTP/1.1", f"Host: {self.host}:{self.port}",
                "User-Agent: cables-bench", "Accept-Encoding: identity"]
        head += [f"{k}: {v}" for k, v in req.headers]
        if req.body or req.method == "POST":
            head.append(f"Content-Length: {len(req.body)}")
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + req.body)
        status_line = await self.reader.readline()
        parts = status_line.split(None, 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
            raise BadResponse(f"status line {status_line[:60]!r}")
        status = int(parts[1])
        length, chunked, close = None, False, False
        headers = []
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n"):
                break
            if not line:
                raise BadResponse("connection closed in the headers")
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            headers.append((name.decode("latin-1"), value.strip().decode("latin-1")))
            value = value.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value:
                chunked = True
            elif name == b"connection" and value == b"close":
                close = True
        body = b""
        if req.method == "HEAD" or status in (204, 304):
            pass
        elif chunked:
            chunks = []
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                chunks.append((await self.reader.readexactly(size + 2))[:size])
                if size == 0:
                    break
            body = b"".join(chunks)
        elif length is not None:
            body = await self.reader.readexactly(length)
        else:  # the body runs to the end of the connection
            body = await self.reader.read()
            close = True
        if close:
            self.close()
        return Response(status, headers, body)


ANSWER_FAILURES = (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, BadResponse,
                   ValueError)


async def client(host: str, port: int, mix: list[tuple[Kind, float]], rng: random.Random,
                 results: Results | None, stop_at: float, timeout: float,
                 seen: set[str] | None = None) -> None:
    kinds = [k for k, _ in mix]
    weights = [w for _, w in mix]
    conn = Connection(host, port)
    session = Session(f"http://{host}:{port}")
    ready: set[str] = set()
    scratch = Results()     # the warm-up's counts, thrown away
    results = results if results is not None else scratch
    while time.perf_counter() < stop_at:
        kind = rng.choices(kinds, weights)[0]
        if kind.setup is not None and kind.name not in ready:
            try:
                await asyncio.wait_for(kind.setup(session, conn), timeout)
                ready.add(kind.name)
            except ANSWER_FAILURES as exc:
                conn.close()
                results.socket_errors[kind.name][f"setup: {exc or type(exc).__name__}"] += 1
                await asyncio.sleep(0.05)
                continue
        req = kind.make(rng, session)
        req = Request(req.path, req.method, req.body, req.headers + session.cookie_header(),
                      req.token)
        first = seen is not None and req.method == "GET" and req.path not in seen
        if first:
            seen.add(req.path)
        started = time.perf_counter()
        try:
            response = await asyncio.wait_for(conn.request(req), timeout)
        except ANSWER_FAILURES as exc:
            conn.close()
            results.socket_errors[kind.name][type(exc).__name__] += 1
            if kind.failed is not None:
                kind.failed(req)
            await asyncio.sleep(0.05)  # a refused connection must not spin
            continue
        results.latencies[kind.name].append((time.perf_counter() - started) * 1000)
        if first:
            results.first[kind.name].append(results.latencies[kind.name][-1])
        results.statuses[kind.name][response.status] += 1
        session.keep_cookies(response)
        wrong = kind.check(req, response) if kind.check is not None else None
        if wrong:
            results.socket_errors[kind.name][wrong] += 1
    conn.close()


async def load(host: str, port: int, mix, clients: int, seconds: float, seed: int,
               results: Results | None, timeout: float, seen: set[str] | None = None) -> None:
    """``seen``: the addresses asked so far (kept across calls), to tell first visits."""
    stop_at = time.perf_counter() + seconds
    await asyncio.gather(*(client(host, port, mix, random.Random(seed + n), results, stop_at,
                                  timeout, seen) for n in range(clients)))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]
