"""The record's layout: where its paragraphs, REF mentions and first uses of each REF item stand
in the body.

The page shows the body whole, cut at the numbered paragraphs (each with its anchor), with the
labels of ``Ref A`` linked to the REF items. It needs to know where things are, and only the
parser knows how to find them: so the parser says it once, in ``Cable.layout``, and the page only
renders. The paragraphs' places come from the paragraph reader itself (:func:`.paragraphs.
read_paragraphs`); the mentions and uses are read in the pieces the page shows (:mod:`.mentions`).
"""

from __future__ import annotations

from ..record import Layout, Paragraph, ParagraphSpan, Reference
from .mentions import read_mentions
from .paragraphs import read_paragraphs


def layout(body: str, spans: tuple[ParagraphSpan | None, ...],
           references: tuple[Reference, ...]) -> Layout:
    """The layout of a body whose paragraphs stand at ``spans``."""
    mentions, uses = read_mentions(body, text_regions(len(body), spans), references)
    return Layout(paragraphs=spans, mentions=mentions, uses=uses)


def layout_of(body: str, paragraphs: tuple[Paragraph, ...],
              references: tuple[Reference, ...]) -> Layout:
    """The layout of a record that has none (packed before records carried it).

    The body is read again for its paragraphs' places. A stored paragraph the reader no longer
    finds the same at its position (a record from an older parser) gets no place: the page then
    shows the body from there on as written, losing no text.
    """
    again, spans = read_paragraphs(body)
    placed: list[ParagraphSpan | None] = []
    for index, paragraph in enumerate(paragraphs):
        same = index < len(again) and again[index] == paragraph and (not placed or placed[-1] is not None)
        placed.append(spans[index] if same else None)
    return layout(body, tuple(placed), references)


def text_regions(length: int, spans: tuple[ParagraphSpan | None, ...]) -> list[tuple[int, int, bool]]:
    """The pieces of text the page shows, as (start, end, whether it is a paragraph's text):
    before, between and after the paragraphs, and each paragraph's text (its lead, number and
    marking, is not text). From the first paragraph without a place on, the rest of the body is
    one piece, no paragraph's."""
    regions = []
    cursor = 0
    for span in spans:
        if span is None:
            break
        regions.append((cursor, span.start, False))
        regions.append((span.text_start, span.end, True))
        cursor = span.end
    regions.append((cursor, length, False))
    return regions
