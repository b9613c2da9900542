"""The Jinja2 templates of the cable page's archive part (``jinja2/web/cable/``): the page nobody
asked for since the last release renders them on its way (see :mod:`.version_render`), and
Django's template language took ~3 ms of CPU for them where Jinja2, which compiles a template
to Python once, takes a few tenths.

The HTML is the Django templates' to the byte: every ``{{ value }}`` is escaped the way Django
escapes it (:func:`escape`, as ``finalize``: ``&#x27;`` and
``&quot;``, where Jinja2's own escaping writes ``&#39;`` and ``&#34;``), markup marked safe on
either side (``mark_safe``, ``|safe``) goes out as it is, a template keeps its last newline (as
an include does in Django), and the few helpers the templates use are Django's own: ``url()``
is :func:`django.urls.reverse` (remembered: :func:`.links.reverse`), ``static()`` the staticfiles tag, ``|pluralize`` Django's filter,
the links those of :mod:`.links`. (Django's ``|default:x`` is ``|default(x, true)`` here.)

Pages rendered by Django templates include one with ``{% load jinja %}{% jinja_include
"web/cable/_versions.html" %}`` (the history page shares the cable page's versions table).
"""

from __future__ import annotations

import html

from django.template import engines
from django.template.defaultfilters import pluralize
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe
from jinja2 import Environment, Undefined

from . import links


def environment(**options) -> Environment:
    options.update(autoescape=False, finalize=escape, keep_trailing_newline=True,
                   undefined=Undefined)  # not Django's DEBUG choice, which prints {{ name }}
    env = Environment(**options)
    env.globals.update(url=_url, static=static)
    env.filters.update(pluralize=pluralize, tag_url=links.tag_path)
    return env


def escape(value) -> str:
    """Django's :func:`~django.utils.html.conditional_escape` (markup as it is, anything else
    through :func:`html.escape`) without its lazy-string wrapper, which doubled its cost."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _url(name: str, *args) -> str:
    return links.reverse(name, args)


def render(name: str, context: dict) -> SafeString:
    """A template of ``jinja2/`` with ``context`` alone (no request, no context processors: the
    caller gives what the template shows, e.g. :func:`.context.site`'s), as markup (what
    ``render_to_string`` gives)."""
    return mark_safe(engines["jinja2"].get_template(name).render(context))
