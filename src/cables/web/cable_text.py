"""A cable's body cut into what the page shows: the numbered paragraphs (each with its anchor)
and, between them, every other piece of text as written (the preamble before ¶ 1, the headings
between paragraphs, the signature and trailers after the last).

The parsed paragraphs alone would lose text: the preamble, underlined headings, the odd paragraph
whose text the parser left empty (``11. (C) -----`` in 06MOSCOW12751). So the body is walked in
order, each paragraph located from its number, and whatever lies between is kept as a text
segment: joined back, the segments give the whole body.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Segment:
    """A piece of the body. ``anchor`` is set for a numbered paragraph (``4``, or ``5-2`` for a
    number that comes again in a multi-part cable); ``lead`` is what the body writes before the
    paragraph's text (``4.  (SBU) ``), shown as written so that nothing of it is lost
    (``(C - ENTIRE TEXT).`` in 79TEHRAN8980)."""

    text: str
    anchor: str | None = None
    number: int | None = None
    marking: str | None = None
    lead: str = ""


def paragraph_anchors(numbers) -> list[str]:
    """The anchor keys of paragraphs in order: the number, suffixed ``-2``, ``-3``… when it repeats.

    The cable page and the "cited by" lists of other pages both call this, so their links agree.
    """
    seen: Counter[int] = Counter()
    keys = []
    for number in numbers:
        seen[number] += 1
        keys.append(str(number) if seen[number] == 1 else f"{number}-{seen[number]}")
    return keys


def _start_pattern(number: int) -> re.Pattern:
    return re.compile(
        rf"^[ \t]*(?:¶[ \t]*)?\(?0*{number}(?:[ \t]?\.(?![\d.])|\)|[ \t]+(?=\()|:)[ \t]*"
        r"(?:\([^()\n]{1,45}\)[ \t]*)?(?:-[ \t]+)?",
        re.MULTILINE,
    )


def segment_body(body: str, paragraphs) -> list[Segment]:
    """The body as segments in order. Joined back (``s.lead + s.text``), they hold every
    character of the body but the blank lines at the edges of the text between paragraphs."""
    segments: list[Segment] = []
    cursor = 0
    anchors = paragraph_anchors(p.number for p in paragraphs)
    for index, (paragraph, anchor) in enumerate(zip(paragraphs, anchors)):
        located = _locate(body, paragraph, cursor)
        if located is None:
            # never lose text: the rest of the body as written, the remaining anchors kept alive
            rest = body[cursor:]
            for p, a in zip(paragraphs[index:], anchors[index:]):
                segments.append(Segment("", anchor=a, number=p.number, marking=p.marking))
            if rest:
                segments.append(Segment(rest))
            return _merge(segments)
        start, text_start, end = located
        if start > cursor:
            segments.append(Segment(body[cursor:start]))
        lead = body[start:text_start]
        segments.append(Segment(body[text_start:end], anchor=anchor, number=paragraph.number,
                                marking=paragraph.marking, lead=lead))
        cursor = end
    if cursor < len(body):
        segments.append(Segment(body[cursor:]))
    return _merge(segments)


def _locate(body: str, paragraph, cursor: int) -> tuple[int, int, int] | None:
    """(line start, text start, text end) of a paragraph at or after ``cursor``."""
    text = paragraph.text
    for m in _start_pattern(paragraph.number).finditer(body, cursor):
        if not text:
            line_end = body.find("\n", m.end())
            return m.start(), m.end(), (len(body) if line_end < 0 else line_end)
        found = body.find(text, m.start())
        # the text must begin on the paragraph's own line (its lead is only number and marking)
        if found >= 0 and "\n" not in body[m.start():found].rstrip(" \t"):
            return m.start(), found, found + len(text)
    found = body.find(text, cursor) if text else -1
    if found >= 0:  # no numbered line matched: the text alone places it
        return found, found, found + len(text)
    return None


def _merge(segments: list[Segment]) -> list[Segment]:
    """Drop empty text segments; strip blank lines at the edges of text segments (the paragraphs'
    own spacing comes from the page), keeping everything else."""
    out = []
    for s in segments:
        if s.anchor is None:
            trimmed = s.text.strip("\n")
            if not trimmed.strip():
                continue
            s = Segment(trimmed)
        out.append(s)
    return out


# --- REF mentions in the text -------------------------------------------------------------------

_REF_WORD = r"(?i:\b(?:refs?|reftels?|ref\s+tels?|reference|references)\b)\.?:?"
_REF_LABELS = re.compile(
    _REF_WORD + r"(?P<gap>[ \t\n]*\(?[ \t]*)(?P<labels>[A-Z](?![A-Za-z0-9])(?:[ \t\n]*(?:,|&amp;|and|AND|-|through)[ \t\n]*[A-Z](?![A-Za-z0-9]))*)"
)
_LONE_REF = re.compile(r"(?i:\b(?:reftel|ref\s+tel|ref)\b)(?![ \t\n]*\(?[ \t]*[A-Z](?![A-Za-z0-9]))")
_LABEL = re.compile(r"(?<![A-Za-z0-9&])[A-Z](?![A-Za-z0-9;])")


def link_references(text: str, anchors: dict[str, str], lone: str | None = None) -> SafeString:
    """The text, escaped, with ``Ref A``/``REFS B and C`` linked to the REF items' anchors.

    ``anchors``: label → anchor id. ``lone``: the anchor of the only REF item, for a bare
    ``REFTEL`` in a cable that cites one message.
    """
    html = escape(text)
    if not anchors and not lone:
        return mark_safe(html)

    def labels(m: re.Match) -> str:
        def one(lm: re.Match) -> str:
            anchor = anchors.get(lm.group(0))
            return f'<a href="#{anchor}" class="xref">{lm.group(0)}</a>' if anchor else lm.group(0)

        head = m.group(0)[: m.start("labels") - m.start(0)]
        return head + _LABEL.sub(one, m.group("labels"))

    if anchors:
        html = _REF_LABELS.sub(labels, html)
    elif lone:
        html = _LONE_REF.sub(lambda m: f'<a href="#{lone}" class="xref">{m.group(0)}</a>', html)
    return mark_safe(html)


# --- where a citing cable uses a citation ---------------------------------------------------------

_NO_LABEL_AFTER = r"(?![ \t\n]*\(?[ \t]*[A-Z](?![A-Za-z0-9]))"
_PLURAL_REF = re.compile(r"(?i:\b(?:reftels|ref\s+tels|refs|references)\b)" + _NO_LABEL_AFTER)
_SINGLE_REF = re.compile(r"(?i:\b(?:reftel|ref\s+tel|ref)\b)" + _NO_LABEL_AFTER)


def mention(paragraphs, label: str | None, citation: str, serial: int | None,
            only_reference: bool) -> tuple[str, str] | None:
    """The paragraph of a citing cable that uses a REF item: (anchor key, excerpt) or None.

    ``paragraphs``: ``(position, number, text)`` in order; ``serial``: the cited cable's serial
    number. Tried in turn: the label after a REF word (``Ref B``, ``REFS A AND B``); the
    citation itself (``PARIS 921``, any zero padding; in ``Berlin 1337, Berlin 1167`` the part
    with the cited serial); for a cable citing one message, a bare ``REFTEL``; a plural
    ``reftels`` that points at every item.
    """
    keys = paragraph_anchors(number for _, number, _ in paragraphs)
    patterns = []
    if label and len(label) <= 2:
        patterns.append(re.compile(
            _REF_WORD + r"[ \t\n]*\(?[ \t]*(?:[A-Z][ \t\n]*(?:,|&|and|AND|-)[ \t\n]*)*"
            + re.escape(label) + r"(?![A-Za-z0-9])"))
    if serial is not None:
        station = re.search(rf"([A-Za-z][A-Za-z .]*?)\s+0*{serial}\b", citation or "")
        if station:
            words = [w for w in station.group(1).split() if w.strip(".")]
            if words:
                joined = r"[\s.]+".join(re.escape(w) for w in words[-3:])
                patterns.append(re.compile(rf"(?i)\b{joined}\s+0*{serial}\b"))
    if only_reference:
        patterns.append(_SINGLE_REF)
    patterns.append(_PLURAL_REF)
    for pattern in patterns:
        for key, (_, _, text) in zip(keys, paragraphs):
            m = pattern.search(text)
            if m:
                return key, excerpt(text, m.start(), m.end())
    return None


def excerpt(text: str, start: int, end: int, width: int = 110) -> str:
    """A window of ``text`` around ``start:end``, cut at word boundaries, with ellipses."""
    flat = " ".join(text.split())
    # map the match onto the flattened text by its words
    before = " ".join(text[:start].split())
    at = len(before) + (1 if before else 0)
    lo = max(0, at - width)
    hi = min(len(flat), at + (end - start) + width)
    if lo > 0:
        space = flat.find(" ", lo)
        lo = space + 1 if 0 <= space < at else lo
    if hi < len(flat):
        space = flat.rfind(" ", at, hi)
        hi = space if space > at else hi
    return ("… " if lo > 0 else "") + flat[lo:hi] + (" …" if hi < len(flat) else "")
