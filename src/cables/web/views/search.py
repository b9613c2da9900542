"""PLACEHOLDER: being written."""
from django.http import Http404


def search_page(request, **kwargs):
    raise Http404("not yet")


def histogram_svg(request, **kwargs):
    raise Http404("not yet")
