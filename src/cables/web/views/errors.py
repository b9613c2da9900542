"""Error pages: a 404 that helps (close ids for a cable URL), a 500 that leaks nothing."""

from __future__ import annotations

from django.shortcuts import render


def not_found(request, exception=None):
    context = {"path": request.path, "suggestions": getattr(exception, "suggestions", None) or []}
    context["message"] = getattr(exception, "message", None) or "There is no page at this address."
    return render(request, "web/404.html", context, status=404)


def server_error(request):
    return render(request, "web/500.html", status=500)
