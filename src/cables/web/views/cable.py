"""PLACEHOLDER: being written."""
from django.http import Http404


def cable_page(request, **kwargs):
    raise Http404("not yet")


def cable_raw(request, **kwargs):
    raise Http404("not yet")


def cable_history(request, **kwargs):
    raise Http404("not yet")


def cable_diff(request, **kwargs):
    raise Http404("not yet")


def cable_graph(request, **kwargs):
    raise Http404("not yet")


def cable_redirect(request, **kwargs):
    raise Http404("not yet")
