"""PostgreSQL's tsvector of a cable holds exactly the places the analyzer gives each term.

The literal (:func:`cables.store.fts_postgres.vector`) writes each term once with all its places;
the server's reading of it (``unnest``) must give, term by term, the subject's places (weight A),
the body's (B, from ``body_start``) and the tail's (one place, 16,383), and nothing else: a
literal that lost a place, or wrote a capped occurrence, would make phrase searches disagree
with SQLite's index.
"""

from __future__ import annotations

import psycopg
import pytest

from cables import words
from cables.store import fts_postgres
from conftest import cable

LONG_BODY = " ".join(["alpha beta"] * 300 + [f"w{i}" for i in range(20_000)] + ["gamma", "alpha"])


def expected(form: words.IndexedText) -> dict[str, list[tuple[int, str]]]:
    places: dict[str, list[tuple[int, str]]] = {}
    for at, term in enumerate(form.subject, 1):
        if term is not None:
            places.setdefault(term, []).append((at, "A"))
    for at, term in enumerate(form.body, form.body_start):
        if term is not None:
            places.setdefault(term, []).append((at, "B"))
    for term in form.tail:
        places.setdefault(term, []).append((words.MAX_POSITION, "B"))
    return places


def read_back(url: str, literal: str) -> dict[str, list[tuple[int, str]]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT lexeme, positions, weights FROM unnest(%s::tsvector)",
                            [literal]).fetchall()
    return {lexeme: list(zip(positions, weights)) for lexeme, positions, weights in rows}


@pytest.mark.parametrize("subject, body", [
    pytest.param(None, None, id="06ASTANA38"),        # filled in below from the mirror page
    pytest.param("Alpha talks", LONG_BODY, id="capped-and-tail"),
    pytest.param("", "", id="empty"),
])
def test_the_servers_vector_has_the_analyzers_places(request, pg_server, subject, body):
    if request.node.callspec.id == "06ASTANA38":
        record = cable("06ASTANA38")
        subject, body = record.subject, record.body
    form = words.index_form(subject, body)
    literal = fts_postgres.vector(form)
    assert read_back(pg_server.url, literal) == expected(form)
    if request.node.callspec.id == "capped-and-tail":
        assert len(read_back(pg_server.url, literal)["beta"]) == words.MAX_OCCURRENCES


@pytest.mark.parametrize("reference_id", ["06ASTANA38", "09BERLIN1167", "07MOSCOW2981", "capped-and-tail",
                                          "empty"])
def test_the_literal_lists_each_term_once_in_the_order_of_its_first_place(reference_id):
    """The very literal ingest stores (no server needed): terms in the order they first occur,
    each with its places in order, as ``'term':1A,5B``."""
    if reference_id == "capped-and-tail":
        form = words.index_form("Alpha talks", LONG_BODY)
    elif reference_id == "empty":
        form = words.index_form("", "")
    else:
        record = cable(reference_id)
        form = words.index_form(record.subject, record.body)
    literal = " ".join(f"'{term}':" + ",".join(f"{at}{weight}" for at, weight in places)
                       for term, places in expected(form).items())
    assert fts_postgres.vector(form) == literal

