"""The query tree as each backend's full-text syntax: an FTS5 MATCH string, a tsquery literal.

Both compilers see the same tree with the same terms: each word and phrase is made into the terms
of :mod:`cables.words` here, once — the analyzer that built both indexes (folded, stop words
dropped, stemmed) — and the engines match those terms as given: no engine stems or folds them
again. A word that is a stop word disappears; a word the analyzer splits (``minister's`` →
``minist``, ``foo_bar`` → ``foo bar``) is the phrase of its terms. Every term is emitted quoted,
so nothing a user typed is ever read as engine syntax.
"""

from __future__ import annotations

from .. import words
from .query import And, Node, Not, Or, Phrase, QueryError, Word


def normalise(node: Node | None) -> Node | None:
    """Words and phrases as the analyzer's terms; a node left with no term disappears."""
    if node is None:
        return None
    if isinstance(node, Word):
        return _word(node)
    if isinstance(node, Phrase):
        # Stop words are dropped inside a phrase too, and take no place, as in the index:
        # "end of summary" is the phrase end summari (it also matches "end summary").
        found = tuple(t for w in node.words for t in words.terms(w))
        if not found:
            return None
        return Word(found[0], False, node.subject_only) if len(found) == 1 else Phrase(found, node.subject_only)
    if isinstance(node, Not):
        inner = normalise(node.node)
        return Not(inner) if inner is not None else None
    kept = [n for n in (normalise(c) for c in node.nodes) if n is not None]
    if not kept:
        return None
    if len(kept) == 1:
        return kept[0]
    return type(node)(tuple(kept))


def _word(node: Word) -> Node | None:
    if not node.prefix:
        found = words.terms(node.text)
        if not found:
            return None
        if len(found) == 1:
            return Word(found[0], False, node.subject_only)
        return Phrase(tuple(found), node.subject_only)
    # A prefix is folded, not stemmed (see words.prefix_terms); the words before it are whole words.
    tokens = words.TOKEN.findall(words.fold(node.text))
    if not tokens:
        return None
    head = [Word(t, False, node.subject_only) for t in words.terms(" ".join(tokens[:-1]))]
    last = Word(tokens[-1], True, node.subject_only)
    return And((*head, last)) if head else last


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


# --- SQLite FTS5 ------------------------------------------------------------------------------------

def _fts5_quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def to_fts5(node: Node) -> str:
    """An FTS5 MATCH expression (no negation inside: see :func:`split_negatives`)."""
    _check_no_nested_negation(node)
    return _fts5(node)


def _fts5(node: Node) -> str:
    if isinstance(node, Word):
        if node.prefix:
            starts, whole = words.prefix_terms(node.text)
            found = [_fts5_quote(p) + "*" for p in starts] + [_fts5_quote(t) for t in whole]
            term = found[0] if len(found) == 1 else "(" + " OR ".join(found) + ")"
        else:
            term = _fts5_quote(node.text)
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
    """A tsquery literal (``%s::tsquery``: its terms taken as written, as the index's were),
    negation only on top."""
    _check_no_nested_negation(node)
    return _ts(node)


def _ts(node: Node) -> str:
    if isinstance(node, Word):
        weight = "A" if node.subject_only else ""
        if not node.prefix:
            return _ts_quote(node.text) + (":" + weight if weight else "")
        starts, whole = words.prefix_terms(node.text)
        found = ([_ts_quote(p) + ":*" + weight for p in starts]
                 + [_ts_quote(t) + (":" + weight if weight else "") for t in whole])
        return found[0] if len(found) == 1 else "(" + " | ".join(found) + ")"
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
