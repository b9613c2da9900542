"""PLACEHOLDER (the discussion issue fills it): ``{% cable_discussion cable %}`` renders a cable's
comments, mentions, the comment form and its Trackback URL at the foot of the cable page."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("web/discussion/_cable.html", takes_context=True)
def cable_discussion(context, cable):
    return {"cable": cable, "request": context.get("request")}
