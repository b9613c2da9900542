"""The query tree as each backend's full-text syntax: an FTS5 MATCH string, a tsquery string.

Both compilers see the same tree with the same words: accents folded and English stop words
dropped here, once (PostgreSQL's ``english`` configuration drops them and SQLite's Porter
tokenizer does not — left to the engines, "the" would match everything on one and nothing on
the other). Every word is emitted quoted, so nothing a user typed is ever read as engine syntax.
"""

from __future__ import annotations

import unicodedata

from .query import And, Node, Not, Or, Phrase, QueryError, Word

# PostgreSQL's (and Snowball's) English stop-word list.
STOP_WORDS = frozenset("""
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her
hers herself it its itself they them their theirs themselves what which who whom this that these
those am is are was were be been being have has had having do does did doing a an the and but if or
because as until while of at by for with about against between into through during before after
above below to from up down in out on off over under again further then once here there when where
why how all any both each few more most other some such no nor not only own same so than too very
s t can will just don should now
""".split())


def fold(word: str) -> str:
    """Lower case without accents: ``Müller`` → ``muller`` (both indexes fold the same way)."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(node: Node | None) -> Node | None:
    """Fold accents and drop stop words; a node left with no word disappears."""
    if node is None:
        return None
    if isinstance(node, Word):
        text = fold(node.text)
        if text in STOP_WORDS and not node.prefix:
            return None
        return Word(text, node.prefix, node.subject_only)
    if isinstance(node, Phrase):
        # A phrase keeps its stop words: SQLite matches them in place, and PostgreSQL turns them
        # into a gap of the right width ("rights of man": 'right' <2> 'man').
        words = tuple(fold(w) for w in node.words)
        if all(w in STOP_WORDS for w in words):
            return None
        return Phrase(words, node.subject_only)
    if isinstance(node, Not):
        inner = normalise(node.node)
        return Not(inner) if inner is not None else None
    kept = [n for n in (normalise(c) for c in node.nodes) if n is not None]
    if not kept:
        return None
    if len(kept) == 1:
        return kept[0]
    return type(node)(tuple(kept))


def split_negatives(node: Node) -> tuple[Node | None, list[Node]]:
    """A top-level AND's positive part and its excluded parts (``-word``)."""
    if isinstance(node, Not):
        return None, [node.node]
    if isinstance(node, And):
        positives = [n for n in node.nodes if not isinstance(n, Not)]
        negatives = [n.node for n in node.nodes if isinstance(n, Not)]
        if not positives:
            return None, negatives
        return (positives[0] if len(positives) == 1 else And(tuple(positives))), negatives
    return node, []


def _check_no_nested_negation(node: Node) -> None:
    if isinstance(node, Not):
        raise QueryError("-word (or NOT) can only exclude from the whole query, not inside OR or "
                         "parentheses")
    if isinstance(node, (And, Or)):
        for child in node.nodes:
            _check_no_nested_negation(child)


# --- prefixes on a stemmed index -----------------------------------------------------------------------

SHORTEST_STEM = 4
LONGEST_CUT = 3


def prefix_stems(prefix: str) -> list[str]:
    """The stems a word starting with ``prefix`` may have been indexed under, besides the
    prefix's own.

    Both indexes hold stems and stem a prefix before matching it: ``negotiations*`` works,
    but ``negotiat*`` stems to itself, while every word it should find was indexed under
    ``negoti``. A stemmer cuts a few letters off a word's end, so the stem of a word starting
    with the prefix is either longer than the prefix (the prefix search finds it) or the prefix
    cut short by a few letters: those shorter forms are matched as whole terms.
    """
    shortest = max(SHORTEST_STEM, len(prefix) - LONGEST_CUT)
    return [prefix[:k] for k in range(len(prefix) - 1, shortest - 1, -1)]


# --- SQLite FTS5 ------------------------------------------------------------------------------------

def _fts5_quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def to_fts5(node: Node) -> str:
    """An FTS5 MATCH expression (no negation inside: see :func:`split_negatives`)."""
    _check_no_nested_negation(node)
    return _fts5(node)


def _fts5(node: Node) -> str:
    if isinstance(node, Word):
        term = _fts5_quote(node.text) + ("*" if node.prefix else "")
        if node.prefix and prefix_stems(node.text):
            term = "(" + " OR ".join([term, *map(_fts5_quote, prefix_stems(node.text))]) + ")"
        return f"subject : {term}" if node.subject_only else term
    if isinstance(node, Phrase):
        term = _fts5_quote(" ".join(node.words))
        return f"subject : {term}" if node.subject_only else term
    joiner = " AND " if isinstance(node, And) else " OR "
    return "(" + joiner.join(_fts5(n) for n in node.nodes) + ")"


# --- PostgreSQL tsquery ------------------------------------------------------------------------------

def _ts_quote(word: str) -> str:
    return "'" + word.replace("'", "''").replace("\\", "\\\\") + "'"


def to_tsquery(node: Node) -> str:
    """A ``to_tsquery('english', …)`` string (stemmed by the server), negation only on top."""
    _check_no_nested_negation(node)
    return _ts(node)


def _ts(node: Node) -> str:
    if isinstance(node, Word):
        weight = "A" if node.subject_only else ""
        suffix = ":" + ("*" if node.prefix else "") + weight if (node.prefix or weight) else ""
        term = _ts_quote(node.text) + suffix
        if node.prefix and prefix_stems(node.text):
            whole = ":" + weight if weight else ""
            term = "(" + " | ".join([term, *(_ts_quote(t) + whole for t in prefix_stems(node.text))]) + ")"
        return term
    if isinstance(node, Phrase):
        suffix = ":A" if node.subject_only else ""
        return "(" + " <-> ".join(_ts_quote(w) + suffix for w in node.words) + ")"
    joiner = " & " if isinstance(node, And) else " | "
    return "(" + joiner.join(_ts(n) for n in node.nodes) + ")"


def positive_words(node: Node | None) -> list[Word]:
    """The words (and phrase words) a hit must contain, for snippets and highlighting."""
    if node is None or isinstance(node, Not):
        return []
    if isinstance(node, Word):
        return [node]
    if isinstance(node, Phrase):
        return [Word(w) for w in node.words]
    return [w for n in node.nodes for w in positive_words(n)]
