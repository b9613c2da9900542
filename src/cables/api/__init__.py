"""The archive as data: a JSON API at ``/api/v1/`` with its OpenAPI 3 document
(``/api/v1/openapi.json``) and a browsable docs page (``/api/v1/docs``), built with django-ninja.

Layer: reads the archive through :mod:`cables.store` and :mod:`cables.search`, and uses the
reading room's URL builders, page cache and rate limiter (:mod:`cables.web`); never the parser,
the ingest or the CLI (tests/test_layers.py).

- :mod:`.schemas`: what it answers (pydantic models; the OpenAPI document is made from them);
- :mod:`.cables`, :mod:`.search`, :mod:`.archive`: the operations, thin;
- :mod:`.queries`: ``q`` and the filter parameters made one query;
- :mod:`.http`: errors, rate limit, ETag/Last-Modified and 304, kept answers;
- :mod:`.middleware`: CORS; :mod:`.links`: its addresses; :mod:`.urls`: the instance.
"""
