"""The snippet of a hit: its first paragraph that holds a searched word, words highlighted.

The full-text indexes keep no text (see store.fts_sqlite), so snippets are made here from the
hits' paragraphs — the same way on both backends, with the analyzer that made the indexes
(:mod:`cables.words`). A word of the text matches a searched word when its term is the searched
term — ``negotiations`` finds ``negotiating`` but ``policies`` does not find ``police``, and a
stop word matches nothing — and a searched prefix (``negotiat*``) matches the words whose term
starts so or is one the prefix stands for (:func:`cables.words.prefix_terms`): exactly what the
indexes matched. The snippet is HTML-escaped with the matches in ``<mark>``, so the web can show
it as is and a terminal can turn marks into bold.

The snippet of a hit that cites an id searched (an id typed alone, ``ref:ID``) shows where the
hit uses that REF item: the parser says where (``Layout.uses`` of the hit's record, see
:mod:`cables.parse.mentions`), so the hits' latest versions are read (one query for the page, by
the search service) instead of their paragraphs, and nothing here reads the cable's text for it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..ids import canonical_id
from ..record import Cable
from ..words import TOKEN, fold, prefix_terms, term
from .query import Word

WINDOW = 240


@dataclass(frozen=True)
class Terms:
    """What a text's words are matched against: terms of whole words, and prefixes of terms.

    ``cues``: substrings every matching word holds — a term but its last two letters (a stemmer
    changes at most the end: policy → polici), or a prefix's first three letters. A text holding
    none is skipped without analyzing its words.
    """

    stems: frozenset[str]
    prefixes: tuple[str, ...]
    cues: tuple[str, ...]

    def matches(self, folded_word: str) -> bool:
        found = term(folded_word)
        return bool(found) and (found in self.stems or found.startswith(self.prefixes))

    def spans(self, folded_text: str):
        """(start, end) of each matching word of a folded text."""
        if not any(cue in folded_text for cue in self.cues):
            return []
        return [(m.start(), m.end()) for m in TOKEN.finditer(folded_text) if self.matches(m.group())]


def search_terms(words: list[Word]) -> Terms | None:
    """The terms to highlight, from the query's words as its compiler made them
    (:func:`.compile.normalise`: terms, and folded prefixes)."""
    if not words:
        return None
    stems = frozenset([w.text for w in words if not w.prefix]
                      + [t for w in words if w.prefix for t in prefix_terms(w.text)[1]])
    prefixes = tuple(p for w in words if w.prefix for p in prefix_terms(w.text)[0])
    return Terms(stems, prefixes,
                 tuple(st[: max(3, len(st) - 2)] for st in stems) + tuple(p[:3] for p in prefixes))


def best_snippet(connection, cable_ids: list[int], words: list[Word]) -> dict[int, tuple[str, int | None]]:
    """{cable id: (snippet HTML, paragraph number or None)} for a page of hits."""
    if not cable_ids:
        return {}
    terms = search_terms(words)
    marks = ", ".join(["%s"] * len(cable_ids))
    paragraphs: dict[int, list[tuple[int, str]]] = {}
    with connection.cursor() as c:
        c.execute(f"SELECT cable_id, number, text FROM store_paragraph WHERE cable_id IN ({marks}) "
                  f"ORDER BY cable_id, position", cable_ids)
        for cable_id, number, text in c.fetchall():
            paragraphs.setdefault(cable_id, []).append((number, text))
        c.execute(f"SELECT id, subject FROM store_cable WHERE id IN ({marks})", cable_ids)
        subjects = dict(c.fetchall())
    result = {}
    for cable_id in cable_ids:
        result[cable_id] = _snippet(paragraphs.get(cable_id, []), subjects.get(cable_id) or "", terms)
    return result


def _snippet(paragraphs: list[tuple[int, str]], subject: str,
             terms: Terms | None) -> tuple[str, int | None]:
    for number, text in paragraphs:
        flat = " ".join(text.split())
        at = _first_match(flat, terms)
        if at is not None:
            return _window(flat, at, terms), number
    if paragraphs:
        number, text = paragraphs[0]
        return _window(" ".join(text.split()), 0, terms), number
    return _window(subject, 0, terms), None


def _first_match(text: str, terms: Terms | None) -> int | None:
    """Where the paragraph first holds a searched word."""
    if terms is None:
        return None
    folded = fold(text)
    if len(folded) != len(text):
        return 0 if terms.spans(folded) else None
    spans = terms.spans(folded)
    return spans[0][0] if spans else None


def citing_snippets(records: dict[int, Cable], cable_ids: list[int],
                    cited: str) -> dict[int, tuple[str, int | None]]:
    """The snippets of hits citing ``cited`` (a canonical id), from their latest ``records``:
    the paragraph holding the first use of a REF item whose id is ``cited`` (the hit's own
    record says where), else its first paragraph, else its subject (the cited cable itself,
    listed first by an id lookup, cites nothing of itself)."""
    result = {}
    for cable_id in cable_ids:
        record = records.get(cable_id)
        if record is None:
            result[cable_id] = ("", None)
            continue
        result[cable_id] = _citing_snippet(record, cited)
    return result


def _citing_snippet(record: Cable, cited: str) -> tuple[str, int | None]:
    layout = record.layout
    uses = [use for use, r in zip(layout.uses if layout is not None else (), record.references)
            if use is not None and r.id and canonical_id(r.id) == cited]
    if uses:
        use = min(uses, key=lambda u: u.start)
        index = layout.paragraph_holding(use.start)
        if index is not None:
            span = layout.paragraphs[index]
            text = record.body[span.text_start:span.end]
            head = text[: use.start - span.text_start]
            before = " ".join(head.split())  # where the use stands once spaces are squeezed
            at = len(before) + (1 if before and head[-1].isspace() else 0)
            return _window(" ".join(text.split()), at, None), record.paragraphs[index].number
    if record.paragraphs:
        first = record.paragraphs[0]
        return _window(" ".join(first.text.split()), 0, None), first.number
    return _window(record.subject or "", 0, None), None


def _window(text: str, at: int, terms: Terms | None) -> str:
    start = max(0, at - WINDOW // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < at else start
    end = min(len(text), start + WINDOW)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > at else end
    piece = text[start:end]
    return ("…" if start else "") + _highlight(piece, terms) + ("…" if end < len(text) else "")


def _highlight(piece: str, terms: Terms | None) -> str:
    if terms is None:
        return html.escape(piece)
    folded = fold(piece)
    if len(folded) != len(piece):  # folding changed lengths (ligatures…): no highlighting
        return html.escape(piece)
    parts, last = [], 0
    for start, end in terms.spans(folded):
        parts.append(html.escape(piece[last:start]))
        parts.append(f"<mark>{html.escape(piece[start:end])}</mark>")
        last = end
    parts.append(html.escape(piece[last:]))
    return "".join(parts)
