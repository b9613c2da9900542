"""What a page's context is: a frozen dataclass whose fields the template reads and whose
:meth:`PageContext.to_json` is the page's JSON twin.

One object, two forms: the HTML page and its twin (``?format=json``) cannot drift apart, because
they are made from the same fields (the Datasette habit: every page has JSON, each page's context
a documented class). A field only the HTML needs — markup already rendered, such as the month
chart's SVG or a cable's paragraphs with their REF links — is declared with :func:`html_only`
and left out of the twin; everything else is in it, under the field's name, so the twin's keys
are the class's contract (``tests/web/test_json_twins.py`` checks them).

What the twin holds is made plain by :func:`jsonable`: dataclasses field by field (or their own
``to_json``), archive rows by the converter registered for their class (:func:`converts`).
A value of a class with no JSON form is a ``TypeError``, not a ``str()`` that would quietly put
``<Cable: 06ASTANA38>`` into the twin.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

_CONVERTERS: dict[type, Callable[[Any], Any]] = {}


def converts(*types: type) -> Callable:
    """Register the JSON form of ``types`` (a model, a store row): ``@converts(Release)``."""

    def register(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
        for kind in types:
            _CONVERTERS[kind] = function
        return function

    return register


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON data: dicts with string keys, lists, strings, numbers, None."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return str(value)  # a SafeString (marked-up snippet) becomes a plain string
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    for kind in type(value).__mro__:
        if kind in _CONVERTERS:
            return jsonable(_CONVERTERS[kind](value))
    if hasattr(value, "to_json"):
        return value.to_json()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name.rstrip("_"): jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"no JSON form for a {type(value).__name__}: register one with @converts")


def html_only(**kwargs: Any) -> Any:
    """A field the template needs and the JSON twin leaves out (markup, or what another field
    already holds as data)."""
    return dataclasses.field(metadata={"json": False}, **kwargs)


class PageContext:
    """Base of every page's context dataclass (``@dataclass(frozen=True, slots=True)``): its
    fields are the page."""

    __slots__ = ()

    @classmethod
    def json_keys(cls) -> tuple[str, ...]:
        """The keys of the twin: every field not declared :func:`html_only`."""
        return tuple(f.name for f in dataclasses.fields(cls) if f.metadata.get("json", True))

    def to_json(self) -> dict[str, Any]:
        return {name: jsonable(getattr(self, name)) for name in self.json_keys()}

    def template_context(self) -> dict[str, Any]:
        """The fields as the template's variables (a shallow view: nothing is copied)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
