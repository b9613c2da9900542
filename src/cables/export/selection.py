"""Which cables an export holds, and reading them a page at a time.

A selection is a query of the search language (:mod:`cables.search`) or none (every cable of the
archive, removed ones too). Its cables are the set the search finds — :func:`cables.search.sql.
selection_sql`, the statement the search's own counts and facets read — whatever order the search
would show them in. They are read in pages of ``page_size`` rows, in the order they entered the
archive (``store_cable.id``), each page starting after the last id of the one before (a keyset, as
:func:`cables.store.fts.latest_texts` reads the archive): an export holds one page in memory,
whatever the size of the archive, and no page is skipped or read twice however long it runs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db import connections

from ..search.query import parse_query
from ..search.sql import selection_sql

PAGE_SIZE = 250


@dataclass(frozen=True)
class Selection:
    """The cables of ``query`` in the archive at ``using``; ``restriction``: the statement
    selecting their ids and its parameters, None for every cable."""

    query: str
    using: str = "default"
    restriction: tuple[str, list] | None = None
    page_size: int = PAGE_SIZE

    @classmethod
    def of(cls, query: str | None, using: str = "default", page_size: int = PAGE_SIZE) -> Selection:
        """The selection of a query as a person typed it (blank: every cable). A query the
        language refuses raises :class:`cables.search.query.QueryError` here, before anything
        is written."""
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        text = (query or "").strip()
        restriction = selection_sql(parse_query(text), connections[using].vendor)
        return cls(text, using, restriction, page_size)

    @property
    def everything(self) -> bool:
        return self.restriction is None

    def within(self, column: str) -> tuple[str, list]:
        """A condition keeping the rows whose ``column`` is a selected cable's id ("" for all)."""
        if self.restriction is None:
            return "", []
        sql, params = self.restriction
        return f" AND {column} IN ({sql})", list(params)

    def count(self) -> int:
        condition, params = self.within("c.id")
        with connections[self.using].cursor() as c:
            c.execute(f"SELECT count(*) FROM store_cable c WHERE 1 = 1{condition}", params)
            return c.fetchone()[0]

    def pages(self, columns: str, join: str = "") -> Iterator[list[tuple]]:
        """Pages of ``(c.id, *columns)`` rows of the selected cables (``c``: store_cable, with
        whatever ``join`` adds), ordered by ``c.id``."""
        condition, params = self.within("c.id")
        statement = (f"SELECT c.id, {columns} FROM store_cable c {join} "
                     f"WHERE c.id > %s{condition} ORDER BY c.id LIMIT %s")
        yield from self.pages_of(statement, params, 0)

    def pages_of(self, statement: str, params: Sequence, start) -> Iterator[list[tuple]]:
        """Pages of the rows of ``statement``, keyset-paged: its rows' first column is their key
        (what it orders by), its first placeholder the key the page starts after (``start``, then
        the last of the page before), its last the page size; ``params`` go between."""
        last = start
        while True:
            with connections[self.using].cursor() as c:
                c.execute(statement, [last, *params, self.page_size])
                page = c.fetchall()
            if not page:
                return
            yield page
            if len(page) < self.page_size:
                return
            last = page[-1][0]
