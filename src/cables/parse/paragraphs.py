"""Numbered paragraphs and the summary of the flowing text.

Decisions (the JSON contract depends on them):

* A :class:`Paragraph`'s ``text`` is the paragraph as written in the cleaned body, its line
  breaks kept, stripped, without the number and the marking. A heading underlined with dashes
  (``AIG: SIGNED AT LAST`` + ``-----``) introduces the *next* paragraph, so it is dropped from
  the end of the previous one. The signature and the trailers after it belong to no paragraph.
* Markings are kept as written with whitespace normalised (``S/NF``, ``C/REL UK``, ``c``); the
  tail ``- ENTIRE TEXT`` is dropped because it qualifies the cable, not the paragraph.

The page-line cleaning (:func:`clean_body`) and the signature (:func:`parse_signers`,
:func:`find_cable_end`) live in :mod:`.pagelines` and :mod:`.signers`; they are re-exported here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..record import Paragraph, ParagraphSpan
from .grammar import PARAGRAPH_MARKING as _MARKING, PARAGRAPH_START, squeeze
from .pagelines import clean_body
from .signers import find_cable_end, parse_signers, signature

__all__ = ["clean_body", "find_cable_end", "parse_signers", "parse_summary", "read_paragraphs"]

# --- numbered paragraphs ----------------------------------------------------------------------

_ENTIRE_TEXT = re.compile(r"[ \t]*-[ \t]*ENTIRE TEXT$", re.I)
_RULE_LINE = re.compile(r"^[ \t]*[-=_*]{3,}[-=_* \t]*$")
_HEADER_BEFORE_RESTART = re.compile(
    r"^[ \t]*(?:SUBJECT|SUBJ|E\.O\.|TAGS|REF|PART[ \t]+\w+|BEGIN TEXT|TEXT|QUOTE|SECTION[ \t]+\d)\b", re.M | re.I
)


# The candidates of the last body read, for the summary reader that comes next (one tuple: a
# thread sees a whole entry or none).
_last_candidates: tuple[str, str, list[_Candidate]] = ("", "", [])


@lru_cache(maxsize=512)
def _marking(raw: str | None) -> str | None:
    """The marking written in ``(…)`` after a paragraph number, or None when it is text."""
    if raw is None:
        return None
    text = squeeze(raw)
    if text.upper().startswith("U.S") or not _MARKING.match(text):
        return None
    return _ENTIRE_TEXT.sub("", text)


def read_paragraphs(body: str) -> tuple[tuple[Paragraph, ...], tuple[ParagraphSpan, ...]]:
    """The numbered paragraphs, in order, from the first ``1.`` to the signature, and where each
    stands in ``body`` (its number line, its text: see :class:`~cables.record.ParagraphSpan`).

    A line that starts with a number is a new paragraph only when it fits the sequence: the
    next number; the same number again when marked (cables do repeat one); a few numbers on
    when the paragraph is marked, opens a block, or is followed by its own next number; a
    restart at 1 after a new header (multi-part cables). It must also be written like the first
    paragraph (``1.`` and ``1)`` are different lists). So ``August 8.`` wrapped to a line start,
    or a list ``1) … 2)`` inside a paragraph, stays text.
    """
    global _last_candidates
    end, _ = signature(body)
    region = "\n" + body[:end]
    candidates = [_Candidate(m, region) for m in PARAGRAPH_START.finditer(region)]
    _last_candidates = (body, region, candidates)
    accepted: list[_Candidate] = []
    for index, candidate in enumerate(candidates):
        if accepted and candidate.number == accepted[-1].number + 1:
            # the next number: taken unless written unlike the first ("3)" in a "1." list)
            if candidate.kind == accepted[0].kind or (candidate.kind != ")" and candidate.marking is not None):
                accepted.append(candidate)
            continue
        if accepted and candidate.number > accepted[-1].number + 1 and _expected_comes_later(
            candidates, index, accepted[-1].number + 1
        ):
            continue  # "See para.\n3." while paragraph 2 is still to come
        following = _next_of_kind(candidates, index, accepted[0].kind if accepted else candidate.kind)
        if _fits_sequence(candidate, accepted, following, region):
            accepted.append(candidate)
    paragraphs, spans = [], []
    for index, candidate in enumerate(accepted):
        text_end = accepted[index + 1].match.start() if index + 1 < len(accepted) else len(region)
        raw = region[candidate.text_start : text_end]
        text = _drop_trailing_heading(raw)
        paragraphs.append(Paragraph(number=candidate.number, marking=candidate.marking, text=text))
        # region = "\n" + body: the number line starts in body where its "\n" is in region
        text_start = candidate.text_start - 1 + len(raw) - len(raw.lstrip())
        if not text:  # "11. (C) -----": the line as written is the paragraph's text
            text_start = candidate.text_start - 1
            line_end = body.find("\n", text_start)
            end = len(body) if line_end < 0 else line_end
        elif body.startswith(text, text_start):
            end = text_start + len(text)
        else:  # the lines were right-stripped under a rule: the text ends where its last line does
            line_start = text_start
            for _ in range(text.count("\n")):
                line_start = body.index("\n", line_start) + 1
            end = line_start + len(text) - text.rfind("\n") - 1
        spans.append(ParagraphSpan(candidate.match.start(), text_start, end))
    return tuple(paragraphs), tuple(spans)


class _Candidate:
    """A line that opens like a numbered paragraph, with what the sequence rules need."""

    __slots__ = ("match", "number", "marking", "kind", "shape", "text_start", "_region", "_blank_before")

    def __init__(self, match: re.Match[str], region: str) -> None:
        """``region`` is the text with the leading newline the pattern needs."""
        number, delimiter, raw_marking = match.group("number", "delimiter", "marking")
        self.match = match
        self.number = int(number)
        self.marking = _marking(raw_marking) if raw_marking is not None else None
        self.kind = ")" if delimiter == ")" else "."
        self.shape = delimiter  # "1." and "1 ." are written differently
        self._region = region
        self._blank_before: bool | None = None
        if raw_marking is not None and self.marking is None:
            self.text_start = match.start("marking")  # "1. (Reftel) ...": the parenthesis is text
        else:
            self.text_start = match.end()

    @property
    def blank_before(self) -> bool:
        """Whether a blank line or a rule comes before (only some rules ask: found on demand)."""
        if self._blank_before is None:
            self._blank_before = _blank_line_before(self._region, self.match.start() + 1)
        return self._blank_before


def _expected_comes_later(candidates: list[_Candidate], index: int, expected: int) -> bool:
    return any(c.number == expected for c in candidates[index + 1 : index + 6])


def _next_of_kind(candidates: list[_Candidate], index: int, kind: str) -> _Candidate | None:
    for later in range(index + 1, len(candidates)):
        if candidates[later].kind == kind:
            return candidates[later]
    return None


def _fits_sequence(candidate: _Candidate, accepted: list[_Candidate], following: _Candidate | None,
                   region: str) -> bool:
    number = candidate.number
    continued = following is not None and following.number == number + 1
    if not accepted:
        # a partial extract may open at any number ("38. (SBU) …")
        if number == 1 or candidate.marking is not None:
            return True
        return candidate.blank_before and (
            following is None or number < following.number <= number + 3 and following.kind == candidate.kind
        )
    last = accepted[-1]
    if candidate.kind != accepted[0].kind and (candidate.kind == ")" or candidate.marking is None):
        return False  # "3) 11/25 Bananero Bloc" in a table of a cable numbered "1.", "2."
    if number == last.number + 1:
        return True
    if number == last.number:  # 79TEHRAN8980 has two paragraphs 6
        if candidate.marking is not None:
            return candidate.blank_before
        return candidate.blank_before and last.marking is None and candidate.shape == last.shape
    if number > last.number + 1:
        # numbers skipped: a typo, or paragraphs withheld from a partial release
        if number <= last.number + 3 or candidate.marking is not None:
            return True
        return (candidate.blank_before or continued) and candidate.shape == last.shape and number <= last.number + 12
    if number == 1 and candidate.blank_before:
        # a new part: "2B. Laws and Regulations" then "1. (U) …" again (10CAIRO209)
        if candidate.marking is not None and candidate.shape == accepted[0].shape:
            return True
        return _HEADER_BEFORE_RESTART.search(region, last.match.end(), candidate.match.start()) is not None
    return False


def _blank_line_before(text: str, position: int) -> bool:
    """Whether the line before ``position`` (a line start) is blank or a rule: a block opens."""
    if position <= 1:
        return True
    previous_start = text.rfind("\n", 0, position - 1) + 1
    previous = text[previous_start : position - 1]
    return not previous.strip() or _RULE_LINE.match(previous) is not None


# ``… shortly. ------- HISTORY`` / ``-----\nTOLEDO SEES CONSPIRACIES\n-----``: the heading of what
# follows, left at the end of a text. Both shapes end the text, and are found without trying a
# pattern at every character: the underlined one opens on a newline (which the regex engine
# scans for quickly); the one after a rule is matched backwards, on the reversed tail (a
# heading holds no rule character, so its rule is the last one, or the one before a closing
# rule: there is one such match at most). The earlier start wins, as in one alternation.
_TRAILING_UNDERLINED_HEADING = re.compile(
    r"\n[ \t]*(?:[-=_]{3,}[ \t]*\n[ \t]*)?[^\n]{1,80}\n[ \t]*[-=_]{3,}[ \t]*$"
)
# Forwards: \s[-=_]{3,}[ \t]+[^\n\-=_.!?]{1,80}(?:[ \t]+[-=_]{3,})?[ \t]*$
_TRAILING_HEADING_AFTER_RULE_REVERSED = re.compile(
    r"[ \t]*(?:[-=_]{3,}[ \t]+)?[^\n\-=_.!?]{1,80}[ \t]+[-=_]{3,}\s"
)
_HEADING_WINDOW = 250
_RULE_CHARACTERS = frozenset("-=_")


def _without_trailing_heading(text: str) -> str:
    text = text.rstrip()
    cut = max(0, len(text) - _HEADING_WINDOW)
    start = len(text)
    if text[-1:] in _RULE_CHARACTERS:  # the underlined shape ends on its rule
        underlined = _TRAILING_UNDERLINED_HEADING.search(text, cut)
        if underlined:
            start = underlined.start()
    after_rule = _TRAILING_HEADING_AFTER_RULE_REVERSED.match(text[-_HEADING_WINDOW:][::-1])
    if after_rule:
        start = min(start, len(text) - after_rule.end())
    return text[:start]


def _drop_trailing_heading(text: str) -> str:
    """The paragraph text without the underlined heading of the next paragraph."""
    text = text.rstrip()
    tail = text[-200:]
    if "---" in tail or "===" in tail:
        text = _without_trailing_heading(text)
    tail = text[-3:]
    if not (tail == "---" or tail == "===" or tail == "___" or tail == "***"):
        return text.strip()
    lines = text.split("\n")
    while lines and _RULE_LINE.match(lines[-1]):
        lines.pop()
        while lines and not lines[-1].strip():
            lines.pop()
        # the heading: up to two lines, then maybe a rule above it ("-----\nCOMMENT\n-----")
        taken = 0
        while lines and lines[-1].strip() and taken < 2 and len(lines[-1].strip()) <= 80:
            lines.pop()
            taken += 1
        while lines and not lines[-1].strip():
            lines.pop()
    return "\n".join(line.rstrip() for line in lines).strip()


# --- summary ------------------------------------------------------------------------------------

# What may stand before ``Summary`` on its line: a paragraph number, a marking, ``BEGIN``.
_SUMMARY_LEAD = re.compile(
    r"[ \t]*(?:¶?[ \t]*\d{1,3}[ \t]*[.)]?[ \t]*|[IVX]{1,4}\.[ \t]*|[A-Z]\.[ \t]+)?(?:\([^()\n]{1,45}\)[ \t]*)?\(?"
    r"(?:(?:begin|start|executive|(?:introduction|background|overview)[ \t]+and)[ \t]+)?(?:[-=*]+[ \t]*)?$",
    re.I,
)
# What follows ``Summary`` when it opens the summary: ``:``, ``.``, ``--``, or a heading line.
_SUMMARY_OPENING = re.compile(
    r"(?:[ \t]*(?:and|&|/)[ \t]*(?:comments?|action[ \t]+requests?|recommendations?|introduction|background))?"
    r"\)?(?:[ \t]*(?::|\.|,|-+)[ \t]*(?=\S|\n)|[ \t]*\n(?:[ \t]*[-=_*]{3,}[ \t]*\n)?|[ \t]+(?=[A-Z]))",
    re.I,
)
_END_OF_SUMMARY_BEFORE = ("end ", "end of ", "end of the ", "end\n", "end  ")
# An "End Summary" farther than this is another one's (or a quoted text's): the summary is then
# its paragraph.
_SUMMARY_TEXT_LIMIT = 4000


def parse_summary(body: str, paragraphs: tuple[Paragraph, ...]) -> str | None:
    """The cable's summary: from ``SUMMARY:`` to ``End Summary``, whitespace normalised.

    ``Summary`` opens the summary when it starts a paragraph or a line (after the number and
    marking, or ``BEGIN``) and is followed by ``:``, ``.``, ``--`` or an underline. The summary
    runs to ``End Summary`` (over several paragraphs if need be, their numbers dropped); with no
    such end, it is the rest of its paragraph. Only the opening of the cable is searched.
    """
    window = body[: _summary_window(body)]
    lower = window.lower()
    start = _summary_start(window, lower)
    if start is None:
        return _summary_before_its_end(body, lower)
    limit = body[start : start + _SUMMARY_TEXT_LIMIT]
    end = _summary_end(limit.lower())
    text = limit[:end] if end is not None else _until_next_paragraph(limit)
    return _normalised_summary(text)


def _normalised_summary(text: str) -> str | None:
    text = _without_trailing_heading(text)
    text = PARAGRAPH_START.sub(" ", "\n" + text)
    text = squeeze(text).strip(" -(")
    return text or None


def _summary_before_its_end(body: str, lower: str) -> str | None:
    """``1. (C) The Ambassador met … End Summary.``: a summary with an end but no label.

    It is the paragraph that holds the ``End Summary`` (from its text's start).
    """
    end = _summary_end(lower)
    if end is None:
        return None
    head = None
    for head in PARAGRAPH_START.finditer("\n" + body, 0, end + 1):
        pass
    if head is None:
        return None
    return _normalised_summary(body[head.end() - 1 : end])


def _summary_start(window: str, lower: str) -> int | None:
    index = lower.find("summary")
    while index >= 0:
        line_start = window.rfind("\n", 0, index) + 1
        if _SUMMARY_LEAD.match(window, line_start, index) and not _ends_summary(lower, index):
            opening = _SUMMARY_OPENING.match(window, index + 7)
            if opening:
                return opening.end()
        index = lower.find("summary", index + 7)
    return None


def _ends_summary(lower: str, index: int) -> bool:
    return any(lower.endswith(before, 0, index) for before in _END_OF_SUMMARY_BEFORE)


def _summary_end(lower: str) -> int | None:
    """Where ``End Summary`` (``END OF SUMMARY``, ``(End Summary)``) starts in ``lower``."""
    index = lower.find("summary")
    while index >= 0:
        for before in _END_OF_SUMMARY_BEFORE:
            if lower.endswith(before, 0, index):
                end = index - len(before)
                while end > 0 and lower[end - 1] in "( \t-":
                    end -= 1
                return end
        index = lower.find("summary", index + 7)
    return None


def _summary_window(body: str) -> int:
    """Summaries open the cable: look only before the fourth paragraph.

    The paragraph reader has just found the numbered lines of the same body (up to its
    signature): when the fourth is there with its whole line, it is the one a scan of the
    whole body would find (a match reads its own line only).
    """
    cached_body, region, candidates = _last_candidates
    if cached_body is body and len(candidates) >= 4:
        fourth = candidates[3].match.start()
        if region.find("\n", fourth + 1) >= 0:
            return fourth
    count = 0
    for m in PARAGRAPH_START.finditer("\n" + body):
        count += 1
        if count == 4:
            return m.start()
    return min(len(body), 5000)


def _until_next_paragraph(text: str) -> str:
    """The text up to the next numbered paragraph (past the one that opens it, after a heading)."""
    padded = "\n" + text.lstrip(" \t\n")
    skip = len(text) - len(padded) + 1
    opening = PARAGRAPH_START.match(padded)
    nxt = PARAGRAPH_START.search(padded, opening.end() if opening else 0)
    return text[: nxt.start() + skip if nxt else len(text)]
