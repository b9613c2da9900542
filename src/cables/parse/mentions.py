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
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..record import Mention, Reference, short_label

_REF_WORD = r"(?i:\b(?:refs?|reftels?|ref\s+tels?|reference|references)\b)\.?:?"
# ``REFS A AND B`` / ``Ref (C)`` / ``reftels A-C``: a REF word, then one or more single capitals.
_LABELLED = re.compile(
    _REF_WORD + r"[ \t\n]*\(?[ \t]*(?P<labels>[A-Z](?![A-Za-z0-9])"
    r"(?:[ \t\n]*(?:,|&|and|AND|-|through)[ \t\n]*[A-Z](?![A-Za-z0-9]))*)"
)
_LABEL = re.compile(r"(?<![A-Za-z0-9])[A-Z](?![A-Za-z0-9])")
# ``REFTEL`` / ``ref tel`` / ``ref`` with no label after it.
_LONE = re.compile(r"(?i:\b(?:reftel|ref\s+tel|ref)\b)(?![ \t\n]*\(?[ \t]*[A-Z](?![A-Za-z0-9]))")


def ref_mentions(body: str, regions: Iterable[tuple[int, int]],
                 references: tuple[Reference, ...]) -> tuple[Mention, ...]:
    """The mentions of REF items in ``body[start:end]`` of each region, in order.

    Labels are those of ``references`` the text can name (:func:`cables.record.short_label`);
    with none and exactly one REF item, the bare REF words are its mentions.
    """
    labels = {r.label for r in references if short_label(r.label)}
    if not labels and len(references) != 1:
        return ()
    lower = body.lower()
    if "ref" not in lower:
        return ()
    if len(lower) != len(body):  # a character whose lower case is longer: no offsets to share
        lower = None
    pattern = _LABELLED if labels else _LONE
    mentions: list[Mention] = []
    for start, end in regions:
        if start >= end or (lower is not None and lower.find("ref", start, end) < 0):
            continue
        text = body[start:end]
        for m in _scan(pattern, text, None if lower is None else lower[start:end]):
            if labels:
                offset = start + m.start("labels")
                for lm in _LABEL.finditer(m.group("labels")):
                    if lm.group() in labels:
                        mentions.append(Mention(lm.group(), offset + lm.start(), offset + lm.end()))
            else:
                mentions.append(Mention(None, start + m.start(), start + m.end()))
    return tuple(mentions)


def _scan(pattern: re.Pattern[str], text: str, lower: str | None) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, tried only where ``text`` holds ``ref`` (in any case), the
    one place a REF word, and so a match, can start: a case-blind pattern tried at every
    character is what costs."""
    if lower is None:
        yield from pattern.finditer(text)
        return
    at = lower.find("ref")
    while at >= 0:
        m = pattern.match(text, at)
        if m:
            yield m
            at = lower.find("ref", m.end())
        else:
            at = lower.find("ref", at + 1)
