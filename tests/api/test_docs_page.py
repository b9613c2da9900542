"""The API's docs page works offline: Swagger UI from django-ninja's bundled files, served by the
site, nothing fetched from another host — read as HTML in process, then opened in headless
Chromium against `cables serve`, every request to another host aborted and counted, the CSP
(no inline script) in force. The run saves docs/screenshots/api-docs.png for the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from web.browser import Watch, chromium, new_page

from .conftest import SITES_GROUP

pytestmark = [pytest.mark.corpus, pytest.mark.xdist_group(SITES_GROUP)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def test_the_docs_page_references_nothing_outside(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert not EXTERNAL.search(html), "an asset from another host"
    assert not re.search(r"https?://", html), re.findall(r"https?://\S+", html)
    assets = re.findall(r"""(?:src|href)="(/static/[^"]+)""", html)
    assert {"/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui-init.js",
            "/static/ninja/swagger-ui.css"} <= set(assets)
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert len(body) > 100, asset
    assert '"url": "/api/v1/openapi.json"' in html and '"validatorUrl": null' in html


def test_the_document_lists_every_operation(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/api/v1/", "/api/v1/cables", "/api/v1/cables/{ref}", "/api/v1/cables/{ref}/versions/{number}",
        "/api/v1/cables/{ref}/diff", "/api/v1/search", "/api/v1/releases", "/api/v1/tags",
        "/api/v1/origins", "/api/v1/stations", "/api/v1/stations/{station}/unreleased",
        "/api/v1/export.{format}"}
    listed = {p["name"] for p in document["paths"]["/api/v1/cables"]["get"]["parameters"]}
    from cables.search.filters import REGISTRY

    assert set(REGISTRY) | {"q", "sort", "limit", "cursor"} == listed   # every filter a parameter
    record = document["components"]["schemas"]["Record"]["properties"]
    from cables.record import Cable

    assert set(record) == set(Cable(reference_id="x", canonical_id="X").to_json())


@pytest.fixture(scope="module")
def browser():
    yield from chromium()


def test_the_docs_page_runs_in_a_browser_without_the_internet(browser, sites):
    site = sites["sqlite"]
    watch = Watch(site)
    context, page = new_page(browser, site, watch)
    try:
        page.goto("/api/v1/docs")
        page.wait_for_selector(".opblock-summary", timeout=30_000)
        summaries = page.locator(".opblock-summary-path").all_inner_texts()
        assert "/api/v1/cables/{ref}" in [s.replace("\u200b", "") for s in summaries]
        page.get_by_text("/api/v1/cables/{ref}", exact=True).first.click()
        page.get_by_role("button", name="Try it out").click()
        page.get_by_placeholder("ref").fill("09BERLIN1167")
        page.get_by_role("button", name="Execute").click()
        page.wait_for_selector(".live-responses-table .response-col_status", timeout=30_000)
        body = page.locator(".live-responses-table .microlight").first.inner_text()
        assert "DATA PRIVACY TRUMPS SECURITY" in body
        page.goto("/api/v1/docs")
        page.wait_for_selector(".opblock-summary", timeout=30_000)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "api-docs.png"), full_page=False,
                        animations="disabled", caret="hide")
    finally:
        context.close()
    assert not watch.problems(), watch.problems()


def test_every_address_of_the_api_is_in_the_readme(client):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    document = client.get("/api/v1/openapi.json").json()
    missing = [path for path in document["paths"] if path != "/api/v1/" and f"`{path}" not in readme]
    assert not missing, f"undocumented API addresses: {missing}"
