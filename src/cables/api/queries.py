"""The query of a list or a search request: ``q`` in the search language, and one parameter per
filter of the registry (:data:`cables.search.filters.REGISTRY`: ``tag=PGOV`` is ``tag:PGOV``),
made into one query text for :func:`cables.search.service.search`.

The parameters are generated from the registry, so a filter added there is a parameter here, in
the OpenAPI document and on the docs page, with its help text, without a line changed.
"""

from __future__ import annotations

import keyword

from ninja import Schema
from pydantic import Field, create_model

from ..search.errors import QueryError
from ..search.filters import REGISTRY, plain_value
from ..search.query import MAX_LENGTH, narrowed, parse_query

MAX_LIMIT = 100


def _attribute(name: str) -> str:
    return f"{name}_" if keyword.iskeyword(name) else name


FILTERS = tuple(REGISTRY)

Filters = create_model(
    "Filters",
    __base__=Schema,
    **{_attribute(name): (str | None, Field(None, alias=name, max_length=MAX_LENGTH,
                                             description=f"{spec.help} (as {name}:VALUE in q)"))
       for name, spec in REGISTRY.items()},
)


def query_text(q: str | None, filters: Schema) -> str:
    """``q`` and the filter parameters as one query. ``q`` is parsed alone first, so a mistake
    in it is reported where it stands in ``q``; the filters narrow all of it, as a facet link of
    the search page does (:func:`cables.search.query.narrowed`)."""
    text = (q or "").strip()
    if text:
        parse_query(text)
    written = []
    for name in FILTERS:
        value = getattr(filters, _attribute(name))
        if value is None:
            continue
        plain = plain_value(value)
        if plain is None:
            raise QueryError(f"{name}={value[:40]!r}: a filter's value must hold something other than "
                             "spaces, and no double quote")
        written.append(f"{name}:{plain}")
    return narrowed(text, " ".join(written)) if written else text
