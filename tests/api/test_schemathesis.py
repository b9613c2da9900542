"""schemathesis against the API's own OpenAPI document, in process (the Django WSGI app over the
reading room's test archive): for every operation, cases written from the document (its examples,
its boundaries, then random ones: 25 per operation, derandomized so that a run is repeatable),
each answer checked: no 5xx, only documented statuses, the documented content type and headers,
a body that validates against the documented schema.

Not checked: that every request the document allows is answered 2xx (schemathesis's
positive_data_acceptance). The document says ``q`` is a string of up to 1,000 characters; the
query language refuses most random strings, with a 400 that names the problem, as documented.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance,
                                               response_headers_conformance,
                                               response_schema_conformance,
                                               status_code_conformance)

pytestmark = pytest.mark.corpus

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


def _schema():
    """The document as the app serves it (read at collection: making it needs no database)."""
    from django.core.wsgi import get_wsgi_application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


# (schemathesis.pytest.from_fixture, the lazy form, fails on pytest 9: it sets Function._nodeid;
# and schema.parametrize() under xdist, as `make test` runs, ran the first operation only: 1 test
# passed of 12 collected. So: one plain pytest case per operation, hypothesis inside.)
schema = _schema()
OPERATIONS = [(result.ok().method.upper(), result.ok().path) for result in schema.get_all_operations()]


@pytest.mark.parametrize("method, path", OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_every_answer_keeps_the_document(method, path, client):
    """``client``: the test archive, and the database open to the test."""
    operation = schema[path][method.lower()]

    @given(case=operation.as_strategy())
    @settings(max_examples=25, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def answer_keeps_the_document(case) -> None:
        case.call_and_validate(checks=CHECKS)

    answer_keeps_the_document()


def test_every_operation_of_the_document_is_checked():
    """The cases above are the document's operations, all of them (the API has 12)."""
    assert len(OPERATIONS) >= 12 and len(set(OPERATIONS)) == len(OPERATIONS)
