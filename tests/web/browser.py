"""Headless Chromium for the end-to-end tests: launched from Debian's package (never downloaded),
and a watch over everything a page does wrong.

Missing Chromium skips a test outside CI with the reason and fails it in CI (.ci/run installs it).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import IN_CI

from . import live

CHROMIUM = Path(os.environ.get("CABLES_CHROMIUM", "/usr/bin/chromium"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def chromium():
    """A headless Chromium for a module's tests (a generator for a module-scoped fixture)."""
    if not CHROMIUM.exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message + " — CI must have it (.ci/run installs it)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


class Watch:
    """What went wrong while pages loaded: console errors, uncaught exceptions, failed or 4xx/5xx
    requests to our server, and requests to any other host (aborted: no asset may come from the
    internet)."""

    def __init__(self, site: live.Site):
        self.origin = urlsplit(site.url)
        self.outside: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.failed: list[str] = []
        self.expected_404: set[str] = set()  # pages asked for to see the 404 page

    def route(self, route, request) -> None:
        url = urlsplit(request.url)
        if (url.scheme, url.hostname, url.port) == ("http", "127.0.0.1", self.origin.port):
            route.continue_()
        else:
            self.outside.append(request.url)
            route.abort()

    def attach(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("requestfailed", self._request_failed)
        # a page's own status is each test's to check; its assets must all load
        page.on("response", lambda r: r.status >= 400 and r.request.resource_type != "document"
                and self.failed.append(f"{r.url}: {r.status}"))

    def _console(self, message) -> None:
        url = message.location.get("url")
        if message.type == "error" and url not in self.expected_404:
            self.console_errors.append(f"{message.text} ({url})")

    def _request_failed(self, request) -> None:
        # ERR_ABORTED: the page went on (a click, the next goto) before an asset such as the
        # favicon had loaded; the browser cancelled it, the server did not fail it
        if request.url not in self.outside and request.failure != "net::ERR_ABORTED":
            self.failed.append(f"{request.url}: {request.failure}")

    def problems(self) -> dict[str, list[str]]:
        return {name: found for name, found in [
            ("requests to other hosts", self.outside), ("console errors", self.console_errors),
            ("uncaught exceptions", self.page_errors), ("failed requests", self.failed),
        ] if found}


def new_page(browser, site, watch: Watch, **options):
    context = browser.new_context(base_url=site.url, viewport=options.pop("viewport", DESKTOP),
                                  **options)
    context.route("**/*", watch.route)
    page = context.new_page()
    watch.attach(page)
    return context, page


