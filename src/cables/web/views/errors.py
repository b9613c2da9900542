"""Error pages: a 404 that helps (close ids for a cable URL), a 500 that leaks nothing; a JSON
twin's errors are JSON (see :mod:`..twins`)."""

from __future__ import annotations

from django.shortcuts import render

from ..twins import json_error, wants_twin


def not_found(request, exception=None):
    context = {"path": request.path, "suggestions": getattr(exception, "suggestions", None) or []}
    context["message"] = getattr(exception, "message", None) or "There is no page at this address."
    if wants_twin(request):
        return json_error(context["message"], 404, suggestions=context["suggestions"])
    return render(request, "web/404.html", context, status=404)


def server_error(request):
    if wants_twin(request):
        return json_error("the site could not answer this request", 500)
    return render(request, "web/500.html", status=500)
