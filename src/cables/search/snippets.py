"""The snippet of a hit: its first paragraph that holds a searched word, words highlighted.

The full-text indexes keep no text (see store.fts_sqlite), so snippets are made here from the
hits' paragraphs — the same way on both backends. Words match by their stem, roughly as the
indexes stem them (``negotiations`` finds ``negotiating``); the snippet is HTML-escaped with the
matches in ``<mark>``, so the web can show it as is and a terminal can turn marks into bold.
"""

from __future__ import annotations

import html
import re

from .compile import fold
from .query import Word

WINDOW = 240
_SUFFIXES = ("ations", "ation", "ings", "ing", "ions", "ion", "ies", "ied", "ers", "er", "ed", "es",
             "ly", "s", "e")


def stem(word: str) -> str:
    """A crude English stem: enough to find the inflected forms of a searched word."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def term_pattern(words: list[Word]) -> re.Pattern | None:
    stems = sorted({stem(fold(w.text)) if not w.prefix else fold(w.text) for w in words}, key=len,
                   reverse=True)
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(s) for s in stems) + r")\w*", re.I)


def best_snippet(connection, cable_ids: list[int], words: list[Word],
                 cited: str | None = None) -> dict[int, tuple[str, int | None]]:
    """{cable id: (snippet HTML, paragraph number or None)} for a page of hits."""
    if not cable_ids:
        return {}
    pattern = term_pattern(words)
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
        result[cable_id] = _snippet(paragraphs.get(cable_id, []), subjects.get(cable_id) or "",
                                    pattern, cited)
    return result


def _snippet(paragraphs: list[tuple[int, str]], subject: str, pattern: re.Pattern | None,
             cited: str | None) -> tuple[str, int | None]:
    needle = _citation_pattern(cited) if cited else pattern
    if needle is not None:
        for number, text in paragraphs:
            flat = " ".join(text.split())
            m = needle.search(fold(flat)) if needle is pattern else needle.search(flat)
            if m:
                return _window(flat, m.start(), pattern), number
    if paragraphs:
        number, text = paragraphs[0]
        return _window(" ".join(text.split()), 0, pattern), number
    return _window(subject, 0, pattern), None


def _citation_pattern(cited: str) -> re.Pattern:
    m = re.match(r"^(\d\d)([A-Z]+?)(\d+)$", cited)
    if not m:
        return re.compile(re.escape(cited), re.I)
    station = r"\s*".join(re.escape(ch) for ch in m.group(2))
    return re.compile(rf"\b{station}\s+0*{m.group(3)}\b", re.I)


def _window(text: str, at: int, pattern: re.Pattern | None) -> str:
    start = max(0, at - WINDOW // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < at else start
    end = min(len(text), start + WINDOW)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > at else end
    piece = text[start:end]
    out = ("…" if start else "") + _highlight(piece, pattern) + ("…" if end < len(text) else "")
    return out


def _highlight(piece: str, pattern: re.Pattern | None) -> str:
    if pattern is None:
        return html.escape(piece)
    folded = fold(piece)
    if len(folded) != len(piece):  # folding changed lengths (ligatures…): no highlighting
        return html.escape(piece)
    parts, last = [], 0
    for m in pattern.finditer(folded):
        parts.append(html.escape(piece[last:m.start()]))
        parts.append(f"<mark>{html.escape(piece[m.start():m.end()])}</mark>")
        last = m.end()
    parts.append(html.escape(piece[last:]))
    return "".join(parts)
