"""CORS for the API: any web page may read it (``Access-Control-Allow-Origin: *``) with GET.

The API is public and read-only and sends no cookie-bound data, so every origin may read it;
the preflight a browser sends before a GET with ``If-None-Match`` is answered here (the API's
operations know only GET). A 405 from the API comes back as JSON, like every other error.

HEAD is answered wherever GET is, as HTTP asks (``curl -I`` of an answer): the API's operations
are declared for GET only (its OpenAPI document lists each once), so a HEAD is served here as
the GET it stands for, with that GET's headers (``Content-Length``, ``ETag``); the site's WSGI
application then drops the body, as for every page (:func:`cables.web.server.without_body_on_head`:
a streamed export is closed unread).
"""

from __future__ import annotations

from django.http import HttpResponse

from .http import error

PREFIX = "/api/"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
ALLOWED_HEADERS = "If-None-Match, If-Modified-Since, Accept"
EXPOSED_HEADERS = "ETag, Retry-After"   # Last-Modified and Content-Type are exposed anyway
PREFLIGHT_MAX_AGE = "86400"


class ApiCorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        elif request.method == "HEAD":
            request.method = "GET"
            response = self.get_response(request)
        else:
            response = self.get_response(request)
            if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
                allowed = response.get("Allow", "GET").replace("GET", "GET, HEAD")
                response = error(405, "method_not_allowed",
                                 f"{request.method[:10]} is not allowed here: the API reads only "
                                 f"({allowed})", Allow=allowed)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response
