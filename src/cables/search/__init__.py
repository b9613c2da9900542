"""Search the archive: one query language (query.py), compiled for SQLite FTS5 and PostgreSQL."""
