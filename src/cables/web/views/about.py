"""PLACEHOLDER: being written."""
from django.http import Http404


def classification(request, **kwargs):
    raise Http404("not yet")
