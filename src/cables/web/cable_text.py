"""A cable's body cut into what the page shows: the numbered paragraphs (each with its anchor)
and, between them, every other piece of text as written (the preamble before ¶ 1, the headings
between paragraphs, the signature and trailers after the last).

The parsed paragraphs alone would lose text: the preamble, underlined headings, the odd paragraph
whose text the parser left empty (``11. (C) -----`` in 06MOSCOW12751). So the body is walked in
order, each paragraph cut where the record's layout places it (``Cable.layout``: the parser says
where each paragraph and each ``Ref A`` stands; nothing here reads the cable's text again), and
whatever lies between is kept as a text segment: joined back, the segments give the whole body.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from html import escape  # Django's escape is this behind a lazy-string check, twice its cost

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
    offset: int = 0  # where ``text`` starts in the body


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


def segment_body(body: str, paragraphs, spans) -> list[Segment]:
    """The body as segments in order. Joined back (``s.lead + s.text``), they hold every
    character of the body but the blank lines at the edges of the text between paragraphs.

    ``spans``: the record layout's place of each paragraph (None where the parser could not
    place one: from there on the rest of the body is shown as written, the remaining anchors
    kept alive).
    """
    segments: list[Segment] = []
    cursor = 0
    anchors = paragraph_anchors(p.number for p in paragraphs)
    for index, (paragraph, anchor) in enumerate(zip(paragraphs, anchors)):
        span = spans[index] if index < len(spans) else None
        if span is None:
            rest = body[cursor:]
            for p, a in zip(paragraphs[index:], anchors[index:]):
                segments.append(Segment("", anchor=a, number=p.number, marking=p.marking))
            if rest:
                segments.append(Segment(rest, offset=cursor))
            return _merge(segments)
        if span.start > cursor:
            segments.append(Segment(body[cursor:span.start], offset=cursor))
        segments.append(Segment(body[span.text_start:span.end], anchor=anchor, number=paragraph.number,
                                marking=paragraph.marking, lead=body[span.start:span.text_start],
                                offset=span.text_start))
        cursor = span.end
    if cursor < len(body):
        segments.append(Segment(body[cursor:], offset=cursor))
    return _merge(segments)


def _merge(segments: list[Segment]) -> list[Segment]:
    """Drop empty text segments; strip blank lines at the edges of text segments (the paragraphs'
    own spacing comes from the page), keeping everything else."""
    out = []
    for s in segments:
        if s.anchor is None:
            trimmed = s.text.strip("\n")
            if not trimmed.strip():
                continue
            s = Segment(trimmed, offset=s.offset + len(s.text) - len(s.text.lstrip("\n")))
        out.append(s)
    return out


# --- REF mentions in the text -------------------------------------------------------------------

def link_references(text: str, offset: int, mentions, anchors: dict[str, str],
                    lone: str | None = None) -> SafeString:
    """The text, escaped, with the REF mentions the record's layout places in it linked to the
    REF items' anchors.

    ``offset``: where ``text`` starts in the body; ``mentions``: the layout's, in body order;
    ``anchors``: label → anchor id. ``lone``: the anchor of the only REF item, for a bare
    ``REFTEL`` in a cable that cites one message.
    """
    if not anchors and not lone:
        return mark_safe(escape(text))
    end = offset + len(text)
    parts, last = [], 0
    for m in mentions:
        if m.start < offset or m.end > end:
            continue
        anchor = anchors.get(m.label) if m.label is not None else lone
        if not anchor:
            continue
        at, to = m.start - offset, m.end - offset
        parts.append(escape(text[last:at]))
        parts.append(f'<a href="#{anchor}" class="xref">{escape(text[at:to])}</a>')
        last = to
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))


# --- where a citing cable uses a citation ---------------------------------------------------------

def use_of(record, positions) -> tuple[str, str] | None:
    """The paragraph of a citing cable that uses one of its REF items at ``positions`` (the
    first of them a paragraph uses): (anchor key, excerpt) or None.

    Where each item is used is the parser's (``record.layout.uses``: the item's label after a
    REF word, else its citation as written, else a bare REFTEL in a cable citing one message,
    else a plural ``reftels``); here it is only cut out of the paragraph that holds it.
    """
    layout = record.layout if record is not None else None
    if layout is None or not layout.uses:
        return None
    for position in positions:
        use = layout.uses[position] if 0 <= position < len(layout.uses) else None
        index = layout.paragraph_holding(use.start) if use is not None else None
        if index is not None:
            span = layout.paragraphs[index]
            key = paragraph_anchors(p.number for p in record.paragraphs)[index]
            text = record.body[span.text_start:span.end]
            return key, excerpt(text, use.start - span.text_start, use.end - span.text_start)
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
