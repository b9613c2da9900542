"""Where the body names its REF items: ``Ref A``, ``REFS B AND C``, ``reftel (B)``, a bare
``REFTEL``.

A cable lists its references once (``REF: A. ALMATY 1450 B. STATE 12345``) and then names them
by label in the text. The page links each label it names to the REF item; this reader says where
the labels are, so that the page only renders. A label is taken only right after a REF word
(``Ref``, ``Refs``, ``Reftel``, ``Reference``…), a single capital standing alone, and only when
the cable has a REF item of that label. A cable with one REF item and no label means that item
by a bare ``REFTEL`` / ``REF`` (not followed by a label).

The text is read piece by piece (``regions``): each paragraph's text and the text between
paragraphs, as the page shows them, so that no mention runs from one into the next. Each piece is
scanned once by one compiled pattern, whatever the number of labels, tried only where the
piece holds ``ref`` (found by a literal search: most pieces hold none).

The same scan says where a numbered paragraph first *uses* each REF item (``Layout.uses``), for
the "cited by" excerpts and the snippets of an id searched: the item's label after a REF word
(``Ref B``, ``REFS A AND B``); else the citation itself, its station as the REF list or the
cited id writes it (``PARIS 921``, any zero padding; in ``Berlin 1337, Berlin 1167`` the part
with the cited serial), looked for only where the body holds the serial; else, for a cable with one unlabelled
REF item, a bare ``REFTEL``; else a plural ``reftels``, which points at every item. Rules tried
in that order, each over all the paragraphs before the next.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..ids import parse_id
from ..record import Mention, Reference, Use, short_label

_REF_WORD = r"(?i:\b(?:refs?|reftels?|ref\s+tels?|reference|references)\b)\.?:?"
# ``REFS A AND B`` / ``Ref (C)`` / ``reftels A-C``: a REF word, then one or more single capitals.
_LABELLED = re.compile(
    _REF_WORD + r"[ \t\n]*\(?[ \t]*(?P<labels>[A-Z](?![A-Za-z0-9])"
    r"(?:[ \t\n]*(?:,|&|and|AND|-|through)[ \t\n]*[A-Z](?![A-Za-z0-9]))*)"
)
_LABEL = re.compile(r"(?<![A-Za-z0-9])[A-Z](?![A-Za-z0-9])")
# ``REFTEL`` / ``ref tel`` / ``ref`` with no label after it.
_NO_LABEL_AFTER = r"(?![ \t\n]*\(?[ \t]*[A-Z](?![A-Za-z0-9]))"
_LONE = re.compile(r"(?i:\b(?:reftel|ref\s+tel|ref)\b)" + _NO_LABEL_AFTER)
# ``reftels`` / ``refs`` / ``references`` with no label after it: every REF item at once.
_PLURAL = re.compile(r"(?i:\b(?:reftels|ref\s+tels|refs|references)\b)" + _NO_LABEL_AFTER)
# A station and a serial in a REF item's citation (``USUN NEW YORK`` in ``USUN NEW YORK 123``):
# the station taken is the one written before the cited serial (``Berlin 1337, Berlin 1167``).
_CITED_STATION = re.compile(r"([A-Za-z][A-Za-z .]*?)\s+(\d+)\b")


Region = tuple[int, int, bool]
"""A piece of the body: (start, end, whether it is a numbered paragraph's text)."""


def read_mentions(body: str, regions: Iterable[Region], references: tuple[Reference, ...]
                  ) -> tuple[tuple[Mention, ...], tuple[Use | None, ...]]:
    """The mentions of REF items in ``body[start:end]`` of each region, in order, and where a
    paragraph first uses each of ``references`` (one entry each, None for an item no paragraph
    uses).

    Labels are those of ``references`` the text can name (:func:`cables.record.short_label`);
    with none and exactly one REF item, the bare REF words are its mentions.
    """
    if not references:
        return (), ()
    regions = list(regions)
    labels = {r.label for r in references if short_label(r.label)}
    lowered = body.lower()
    lower: str | None = lowered
    if len(lowered) != len(body):  # a character whose lower case is longer: no offsets to share
        lower = None
    holds_ref = lower is None or "ref" in lower
    mentions: list[Mention] = []
    first: dict[str | None, Use] = {}  # label (None: a bare REFTEL) → its first use in a paragraph
    if holds_ref and (labels or len(references) == 1):
        pattern = _LABELLED if labels else _LONE
        for start, end, in_paragraph in regions:
            for base, m in _scan(pattern, body, start, end, lower):
                if not labels:
                    mentions.append(Mention(None, base + m.start(), base + m.end()))
                    if in_paragraph:
                        first.setdefault(None, Use(base + m.start(), base + m.end()))
                    continue
                offset = base + m.start("labels")
                for lm in _LABEL.finditer(m.group("labels")):
                    label = lm.group()
                    if label in labels:
                        mentions.append(Mention(label, offset + lm.start(), offset + lm.end()))
                        if in_paragraph and label not in first:
                            first[label] = Use(base + m.start(), offset + lm.end())
    paragraphs = [(start, end) for start, end, in_paragraph in regions if in_paragraph]
    plural: list[Use | None] = []  # found once, when an item needs it
    uses: list[Use | None] = []
    for reference in references:
        use = first.get(reference.label) if reference.label in labels else None
        if use is None:
            use = _citation_use(body, paragraphs, reference)
        if use is None and not labels and len(references) == 1:
            use = first.get(None)
        if use is None and holds_ref:
            if not plural:
                plural.append(_first(_PLURAL, body, paragraphs, lower))
            use = plural[0]
        uses.append(use)
    return tuple(mentions), tuple(uses)


def _citation_use(body: str, paragraphs: list[tuple[int, int]], reference: Reference) -> Use | None:
    """Where a paragraph first writes the item's citation (``PARIS 921``, ``PARIS 0921``): the
    cited serial after the station as the REF list writes it (up to its last three words, apart
    by spaces or dots), or as the cited id names it, spaced or not (``San Jose 954`` for
    09SANJOSE954, ``Tripoli 53`` for an item written ``TRIPOLI 33, 53``); in any case.

    No pattern is built per item (compiling one for each of the mirror's 9,000 REF items cost
    more than the rest of the parse of their cables): the serial's digits are found by a
    literal search in the paragraphs, and only there is the text before them read backwards.
    """
    parsed = parse_id(reference.id) if reference.id else None
    if parsed is None:
        return None
    station, serial = parsed[1], str(parsed[2])
    names: list[tuple[str, ...]] = [tuple(station)]  # letters, any spaces between them
    written = next((m for m in _CITED_STATION.finditer(reference.citation or "")
                    if m.group(2).lstrip("0") == serial), None)
    if written:
        words = tuple(w.upper() for w in written.group(1).split() if w.strip("."))[-3:]
        if words:
            names.insert(0, words)
    for start, end in paragraphs:
        at = body.find(serial, start, end)
        while at >= 0:
            after = at + len(serial)
            if after == end or not _is_word(body[after]):
                station_start = _station_before(body, start, at, names)
                if station_start is not None:
                    return Use(station_start, after)
            at = body.find(serial, at + 1, end)
    return None


def _station_before(body: str, lo: int, at: int, names: list[tuple[str, ...]]) -> int | None:
    """Where the station written before the serial at ``at`` starts (``PARIS`` in ``PARIS
    0921``: zeros, then at least one space, then one of ``names``, a word boundary before it),
    or None. ``names``: words apart by spaces or dots, or (one letter a name) letters apart by
    spaces or nothing; ``lo``: where the paragraph starts."""
    end = at
    while end > lo and body[end - 1] == "0":
        end -= 1
    if not (end > lo and body[end - 1].isspace()):
        return None
    while end > lo and body[end - 1].isspace():
        end -= 1
    found = None
    for name in names:
        letters = all(len(part) == 1 for part in name)
        cursor = end
        for i, part in enumerate(reversed(name)):
            if i:
                gap = cursor
                while cursor > lo and (body[cursor - 1].isspace() or (not letters and body[cursor - 1] == ".")):
                    cursor -= 1
                if not letters and cursor == gap:
                    break  # words need a space or a dot between them
            if cursor - len(part) < lo or body[cursor - len(part):cursor].upper() != part:
                break
            cursor -= len(part)
        else:
            if (cursor == lo or not _is_word(body[cursor - 1])) and (found is None or cursor < found):
                found = cursor
    return found


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _first(pattern: re.Pattern[str], body: str, paragraphs: list[tuple[int, int]],
           lower: str | None) -> Use | None:
    """The first match of ``pattern`` in the paragraphs, in order (tried only where a paragraph
    holds ``ref`` when ``lower`` is given)."""
    for start, end in paragraphs:
        for base, m in _scan(pattern, body, start, end, lower):
            return Use(base + m.start(), base + m.end())
    return None


def _scan(pattern: re.Pattern[str], body: str, start: int, end: int,
          lower: str | None) -> Iterator[tuple[int, re.Match[str]]]:
    """The matches of ``pattern`` in ``body[start:end]`` taken alone (``\\b`` holds at its
    edges), each with ``start`` to add to its offsets. With ``lower`` (the body lower-cased),
    tried only where the piece holds ``ref`` (in any case), the one place a REF word, and so a
    match, can start: a case-blind pattern tried at every character is what costs."""
    if start >= end or (lower is not None and lower.find("ref", start, end) < 0):
        return
    text = body[start:end]
    if lower is None:
        for m in pattern.finditer(text):
            yield start, m
        return
    piece = lower[start:end]
    at = piece.find("ref")
    while at >= 0:
        found = pattern.match(text, at)
        if found:
            yield start, found
            at = piece.find("ref", found.end())
        else:
            at = piece.find("ref", at + 1)
