"""How a batch's rows reach each backend fast: ids handed out up front, COPY or executemany.

The writer builds plain tuples (no model objects: Django's per-object compile cost was a fifth
of a batch) and calls :func:`insert`; PostgreSQL gets them through ``COPY … FROM STDIN``
(psycopg 3's ``cursor.copy()``), SQLite through one prepared ``executemany``. Ids are reserved
before the rows are written (:func:`reserve_ids`), so that a cable and its latest version can
point at each other in the same batch without a second pass (the foreign keys are deferred to
the commit on both backends).
"""

from __future__ import annotations

POSTGRES = "postgresql"


def insert(cursor, table: str, columns: list[str], rows: list[tuple]) -> None:
    """Append ``rows`` (tuples in ``columns`` order) to ``table``."""
    if not rows:
        return
    names = ", ".join(columns)
    if cursor.db.vendor == POSTGRES:
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", rows
        )


def insert_new(cursor, table: str, columns: list[str], rows) -> None:
    """Insert the ``rows`` whose key is not in ``table`` yet (``ON CONFLICT DO NOTHING``).

    ``rows`` may be any iterable (e.g. 251,287 known ids). PostgreSQL: COPY into a temporary
    table, then one ``INSERT … SELECT`` (eight times faster than a quarter million statements).
    """
    names = ", ".join(columns)
    if cursor.db.vendor == POSTGRES:
        staging = f"{table}_staging"
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS "
                       f"SELECT {names} FROM {table} WITH NO DATA")
        with cursor.cursor.copy(f"COPY {staging} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {staging} "
                       f"ON CONFLICT DO NOTHING")
        cursor.execute(f"DROP TABLE {staging}")
        return
    sql = (f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))}) "
           f"ON CONFLICT DO NOTHING")
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= 20_000:
            cursor.executemany(sql, chunk)
            chunk = []
    if chunk:
        cursor.executemany(sql, chunk)


def reserve_ids(cursor, table: str, count: int) -> list[int]:
    """``count`` fresh primary keys for ``table``, for rows this transaction is about to insert.

    PostgreSQL: from the column's sequence (safe beside any concurrent writer). SQLite: after the
    highest id ever given (``sqlite_sequence``: AUTOINCREMENT never reuses one); safe because a
    write transaction takes the database's write lock at ``BEGIN`` (``transaction_mode=IMMEDIATE``
    in :mod:`cables.settings.database`), so no other writer can take ids meanwhile.
    """
    if count <= 0:
        return []
    if cursor.db.vendor == POSTGRES:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                       [table, count])
        return [row[0] for row in cursor.fetchall()]
    cursor.execute(
        f"""SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0),
                       coalesce((SELECT max(id) FROM {table}), 0))""",
        [table],
    )
    first = cursor.fetchone()[0] + 1
    return list(range(first, first + count))


def relax_commit(cursor) -> None:
    """PostgreSQL: this transaction's commit does not wait for its WAL to reach the disk.

    Safe for the archive's guarantees: a transaction stays all-or-nothing, so a crash of the
    server or the machine may lose the last few *committed* batches (which the next run of the
    same ingest stores again, as new) but never leaves half a batch; a killed ingest process
    (kill -9) loses nothing it committed, the server having it. SQLite needs nothing: in WAL
    mode with ``synchronous=NORMAL`` a commit already does not sync.
    """
    if cursor.db.vendor == POSTGRES:
        cursor.execute("SET LOCAL synchronous_commit = off")
