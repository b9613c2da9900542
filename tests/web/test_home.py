"""The site's frame: home page, security headers, static files, errors, robots.txt."""

from __future__ import annotations

import re


def test_home_shows_totals_releases_and_latest_cables(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    from cables.store.models import Cable

    assert f"{Cable.objects.count():,} diplomatic cables" in page
    # the releases, newest first, with counts
    assert page.index("cablegate-201012020501") < page.index("cablegate-201011301701")
    assert 'href="/release/cablegate-201012020501/"' in page
    # the latest cables, each linked in the WikiLeaks scheme
    latest = re.findall(r'href="/cable/(\d{4})/(\d{2})/(\w+)\.html"', page)
    assert len(latest) == 15
    assert [y + m for y, m, _ in latest] == sorted((y + m for y, m, _ in latest), reverse=True)


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_static_files_are_ours(client):
    page = client.get("/").content.decode()
    assert "http://" not in page.split("<body>")[0] and "https://" not in page.split("<body>")[0]
    assert '/static/web/style.css' in page


def test_unknown_page_is_a_404_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Not found" in response.content.decode()


def test_robots(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and "Disallow: /admin/" in response.content.decode()
