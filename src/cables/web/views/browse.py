"""PLACEHOLDER: being written."""
from django.http import Http404


def index(request, **kwargs):
    raise Http404("not yet")


def releases(request, **kwargs):
    raise Http404("not yet")


def release(request, **kwargs):
    raise Http404("not yet")


def years(request, **kwargs):
    raise Http404("not yet")


def year(request, **kwargs):
    raise Http404("not yet")


def month(request, **kwargs):
    raise Http404("not yet")


def origins(request, **kwargs):
    raise Http404("not yet")


def origin(request, **kwargs):
    raise Http404("not yet")


def tags(request, **kwargs):
    raise Http404("not yet")


def tag(request, **kwargs):
    raise Http404("not yet")


def classifications(request, **kwargs):
    raise Http404("not yet")


def classification(request, **kwargs):
    raise Http404("not yet")
