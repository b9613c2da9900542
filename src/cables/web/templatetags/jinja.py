"""``{% load jinja %}{% jinja_include "name" %}``: a Jinja2 template (:mod:`cables.web.jinja`)
inside a Django one, with the Django template's variables."""

from __future__ import annotations

from django import template

from .. import jinja

register = template.Library()


@register.simple_tag(takes_context=True)
def jinja_include(context, name: str):
    return jinja.render(name, context.flatten())
