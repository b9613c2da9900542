"""REF citations: ``REF: A) ALMATY 1450, B) ASTANA 33`` → references resolved to ids.

A REF block sits in the front matter, after SUBJECT and before the first paragraph. Its forms,
from a survey of the 4,096 mirror pages that have one: ``REF: STATE 12345``, labelled items
(``A.``, ``A)``, ``(A)``, ``a.``, ``1.``, ``REF A:``) on one line or many, items wrapped over
lines or broken by page-break lines (``MADRID 00001952 001.2 OF 002``), a block cut by the site
(``B. SECSTATE 1...``) and repeated whole further down, citations with a year (``05 ANKARA
1234``, ``2005 ANKARA 1234``, ``05ANKARA1234``, ``STATE 200498 (2006)``) or without, several
serials of one station (``TRIPOLI 33, 53``), and non-cable items (e-mails, telcons, memos,
reports…), which are kept with ``id`` None and their kind.

Reading goes in three steps: find the blocks (:func:`_ref_blocks`), cut each into items by
labels or semicolons (:func:`_items`), and read the cable citations of each item
(:func:`.citations.cables_cited`: the grammar of one item, and the kind of an item that cites no
cable, live in :mod:`.citations`); each citation is then resolved here to a canonical id
(:func:`_resolve`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Set
from dataclasses import dataclass
from functools import lru_cache

from ..ids import (
    canonical_id,
    full_year,
    make_id,
    other_station_names,
    parse_id,
)
from ..record import Reference
from .citations import (
    BARE_SERIAL,
    CITATION,
    COMPACT_CITATION,
    LIST_SEPARATOR,
    Citation,
    cables_cited,
    cites_nothing,
    kind_of,
)
from .context import Reach
from .grammar import (
    INLINE_FIRST_PARAGRAPH as _INLINE_FIRST_PARAGRAPH,
    MARKED_FIRST_PARAGRAPH as _MARKED_FIRST_PARAGRAPH,
    PAGE_BREAK_GLUED as _INLINE_PAGE_BREAK,
    PAGE_BREAK_LINE as _PAGE_BREAK,
    PAGE_FOOTER_WORDS as _CLASSIFICATION_WORDS,
    REF_FIRST_PARAGRAPH as _FIRST_PARAGRAPH,
    REF_FIRST_PARAGRAPH_AFTER_NEWLINE as _FIRST_PARAGRAPH_AFTER_NEWLINE,
    SHORT_MARKINGS,
    squeeze,
)
from .warned import Warned

_FRONT_LIMIT = 12000  # REF blocks start within the first few KB; paragraphs come after.
_MAX_BLOCK_LINES = 30
_MAX_LINE = 600  # a flattened page puts its whole body on the REF line; the block is short

# "REF:", "REFS:", "REFTEL:", "Ref:", "REFERENCES:", "REF A:", "REF (A)", "REF: REF (A)".
_REF_START = re.compile(
    r"^[ \t]*-?[ \t]*(?:REF|Ref|ref)(?:S|s|TELS?|tels?|ERENCES?|erences?)?(?![A-Za-z])"
    r"[ \t]*(?P<colon>\.{2,}|\.?[ \t]*[:;]|\.|-(?!\w))?",
    re.M,
)
# After a REF word without a colon, the block must go on like a citation or a label.
_REF_BARE_FOLLOW = re.compile(
    r"[ \t]*(?:\(?[A-Za-z1-9][).:]|[A-Za-z][ \t]+(?=\d|[A-Z]{3})|\d|(?:[A-Za-z]{2,}[ \t]+){1,4}\d)"
)
# "REF A 09 CAIRO 074 REF B 08 CAIRO 784": REF and a bare letter label.
_REF_WORD_LABEL = re.compile(r"R(?<!\SR)(?:EF|ef)S?[ \t]+([A-Za-z])(?:[ \t]*[:.)])?[ \t]+")  # after a blank or at the start
# A REF block on the SUBJECT line: after a blank, or glued to the subject's last word ("AS UK
# PRIMEREF: A. LONDON 1939", 08LONDON1991), its items on that line or after it ("MISSING
# AMCITREF:" / "A. ISLAMABAD 21222", 06ISLAMABAD22025).
_FLAT_REF = re.compile(r"SUBJECT:[^\n]{0,400}?(?:[ \t]|(?<=[A-Za-z’']))(?P<ref>REF(?:S|TELS?)?:)\s*\S")
# _FIRST_PARAGRAPH (.grammar's strict REF_FIRST_PARAGRAPH) and _REF_START as searched from the
# newline before their line: a "^" under re.M is tried at every character, a newline is scanned
# for quickly. The match found is then taken again with the pattern itself at the line start
# (see _line_search).
_REF_START_AFTER_NEWLINE = re.compile(r"\n[ \t]*-?[ \t]*(?:REF|Ref|ref)")

# Lines that end a REF block, and text that ends it inside a flattened line.
_BLOCK_END_LINE = re.compile(
    r"^[ \t]*(?:Classified|CLASSIFIED|Classification|CLASSIFICATION|SUMMARY|Summary|"
    r"SUBJECT|Subject|TAGS|E\.?O\.?[ \t]|SIPDIS|NOFORN|SENSITIVE|Sensitive|"
    r"\d{1,2}[ \t]*\.[ \t]*\(|\d{1,2}\.[ \t]+[A-Z][a-z]|\([A-Z/ ]{1,8}\)|-{3,}|={3,}|_{3,}|\*{3,}|"
    r"C O N F|S E C R|U N C L|UNCLAS|BEGIN|END)"
)
_BLOCK_END_INLINE = re.compile(
    r"(?:Classified[ \t]+[Bb]y|CLASSIFIED[ \t]+BY|Classified[ \t]+by|\bClassification:|"
    rf"\s1[ \t]*\.[ \t]*\({SHORT_MARKINGS}\)|C O N F I D|S E C R E T|U N C L A S|"
    r"\bSUMMARY[ \t]*:|\bSummary[ \t]*:|-{5,}|\bDECL:|SENSITIVE BUT UNCLASSIFIED|\bE\.O\.[ \t]*\d|\bTAGS:|"
    r"Sensitive [Bb]ut [Uu]nclassified)"
)
# _INLINE_FIRST_PARAGRAPH (.grammar): "1.  In response to reftel" on the REF line of a flattened
# page (a block numbered 1., 2. has its 1. first, before any citation). _PAGE_BREAK and
# _INLINE_PAGE_BREAK (.grammar): page-break lines inside a block, and the same glued to a line.

# Item labels: "A.", "A)", "(A)", "a.", "A:", "1.", "(1)", "[A]", "A -".
_LABEL_AT = re.compile(r"[ \t]*-?[ \t]*[(\[]?(?P<label>[A-Za-z]|\d{1,2})(?:[)\]]|[.:](?!\d)|[ \t]+-[ \t])")
_LEADING_LABEL = re.compile(r"^[ \t]*[(\[]?([A-Za-z]|\d{1,2})(?:[)\]]|[.:](?!\d))[ \t]*")
_REPEATED_REF_WORD = re.compile(r"^[ \t]*(?:REF|Ref)(?:S|s|TELS?|tels?)?[ \t]*[:.]?[ \t]*")

# "ROME 0472..." or "08 MOSCOW ...": the site cut the last item; "KYIV 1557 ..." is whole.
_TRUNCATED = re.compile(r"(?<![\d\s.])\s*\.{2,}\s*$|[^\s.]\.{2,}\s*$")
_EIGHT_DIGITS = re.compile(r"\d{8}")
# What every match of _BLOCK_END_INLINE holds; its match starts there (tried only there: the
# alternation, opening on \b and \s, would be tried at every character of the block).
_BLOCK_END_LITERALS = (
    "Classified", "CLASSIFIED", "Classification:", "C O N F I D", "S E C R E T", "U N C L A S", "SUMMARY",
    "Summary", "-----", "DECL:", "SENSITIVE BUT UNCLASSIFIED", "E.O.", "TAGS:", "Sensitive ",
)

# A line that leaves its item open: a year or a station still waiting for its serial, a label
# without text, a separator.
_OPEN_END = re.compile(r"(?:\b[A-Za-z][.)\]][ \t]*\d\d|[(\[]?\b[A-Za-z][.)\]]|[,;&(]|\bAND|\bOF)[ \t]*$")
_TRAILING_PUNCT = re.compile(r"[\s,;.:\-]+$")


_DIGIT = re.compile(r"\d")
_ENDS_WITH_LETTER = re.compile(r"[A-Za-z][ \t]*$")
_LEFT_OPEN = re.compile(r"(?:[,;&/(\-]|\bAND|\band|\bOF|\bTO|\bFROM|:)\s*$")
_ANY_LABEL = re.compile(r"(?:(?<=[\s,;.])|^)[(\[]?([A-Za-z]|\d{1,2})(?:[)\]]|[.:](?!\d))")
_TRAILING_AND = re.compile(r"(?:\s+(?:AND|and|And))+$")


@lru_cache(maxsize=128)
def _label_written(label: str) -> re.Pattern[str]:
    """Label ``B`` as written anywhere: ``B.``, ``B)``, ``(B)``, ``B:``, ``[B]``, ``B -``."""
    return re.compile(rf"(?<![A-Za-z0-9])[(\[]?{re.escape(label)}(?:[)\]]|[.:](?!\d)|[ \t]+-[ \t])", re.I)


def parse_references(
    body: str, cable_id: str, year: int | None, known_ids: Set[str] = frozenset(),
    month: int | None = None, reach: Reach | None = None,
) -> tuple[Reference, ...]:
    """The references of the REF block(s) in ``body``, resolved to canonical ids (what
    :func:`read_references` reads, without its warnings)."""
    return read_references(body, cable_id, year, known_ids, month, reach).value


def read_references(
    body: str, cable_id: str, year: int | None, known_ids: Set[str] = frozenset(),
    month: int | None = None, reach: Reach | None = None,
) -> Warned[tuple[Reference, ...]]:
    """The references of the REF block(s) in ``body``, resolved to canonical ids, and a warning
    for each block that could not be read (``unreadable REF block: "DUSHANBE 16..." (cut short)``).

    A citation without a year takes the cable's year — or, when ``known_ids`` knows only the
    year before (a January cable citing a December one), that year, unless ``reach`` shows the
    cited station's serials had passed that number by the cable's ``month`` this year (see
    :func:`.context.serial_reach`). The cable citing itself and repeated citations are dropped.
    """
    try:
        return _parse(body, cable_id, year, known_ids, _Dating(month, reach or {}))
    except (ValueError, IndexError) as exc:  # odd input never stops a record
        return Warned((), (f"unreadable REF block: {type(exc).__name__}: {exc}",))


@dataclass(frozen=True)
class _Dating:
    """When the citing cable was written (its month), and how far stations' serials had run."""

    month: int | None
    reach: Reach

    def reached(self, year: int, station: str, serial: int) -> bool:
        """Whether ``station`` had reached ``serial`` in ``year`` by the citing month, give or take
        a month of its serials (known ids are a sample: the highest of them lags the true one)."""
        row = self.reach.get((year, station))
        if row is None or self.month is None or not 1 <= self.month <= 12:
            return False
        by_then = row[self.month - 1]
        return by_then > 0 and serial <= by_then + by_then / self.month


def _parse(body: str, cable_id: str, year: int | None, known_ids: Set[str],
           dating: _Dating) -> Warned[tuple[Reference, ...]]:
    own_id = canonical_id(cable_id) if cable_id else ""
    own = parse_id(own_id) if own_id else None
    if year is None and own is not None:
        year = full_year(own[0])
    references: list[Reference] = []
    seen: set[tuple[str, str]] = set()
    blocks = list(_ref_blocks(body))
    warnings: list[str] = []
    for at, block in enumerate(blocks):
        items = _items(block)
        if ".." in block and _TRUNCATED.search(block):  # the site cut the block here; a full copy follows
            items = items[:-1]
            if not _copied_whole(at, blocks):  # ... or not: what was cut is lost
                warnings.append(f'unreadable REF block: "{_shown(block)}" (cut short)')
        previous: tuple[int | None, str, int] | None = None
        for label, text in items:
            item_references, previous = _references_of_item(label, text, year, known_ids, previous,
                                                            own, dating)
            for reference in item_references:
                key = ("id", reference.id) if reference.id else ("text", reference.citation.upper())
                if reference.id == own_id or key in seen:
                    continue
                seen.add(key)
                references.append(reference)
    return Warned(tuple(references), tuple(warnings))


def _copied_whole(at: int, blocks: list[str]) -> bool:
    """Whether another block holds what the site cut of block ``at``: it starts with its text up to
    its cut word (``A. ROME DAIL...`` / ``A. ROME DAILY REPORT 9/17/09 B. ROME 1040``, 09ROME1072;
    ``R...`` / ``A) QUITO 83; …``, 10QUITO101)."""
    words = blocks[at].split()
    if words and words[-1].rstrip(".…"):
        words = words[:-1]  # "DAIL...": a word cut short
    start = " ".join(words).rstrip(" .…")
    return any(index != at and squeeze(block).startswith(start)
               for index, block in enumerate(blocks))


def _shown(block: str, size: int = 80) -> str:
    """A block on one line, for a warning."""
    text = squeeze(block)
    return text if len(text) <= size else text[: size - 1] + "…"


# --- finding the blocks -----------------------------------------------------------------------

def _ref_blocks(body: str) -> Iterator[str]:
    """The text of each REF block of the front matter (REF word removed, lines joined)."""
    front_end = min(len(body), _FRONT_LIMIT)
    first_paragraph = _line_search(_FIRST_PARAGRAPH_AFTER_NEWLINE, _FIRST_PARAGRAPH, body, 0, front_end)
    limit = first_paragraph.start() if first_paragraph else front_end
    if body.find("REF", 0, limit) < 0 and body.find("Ref", 0, limit) < 0 and body.find("ref", 0, limit) < 0:
        return  # every block opens on one of the three
    position = 0
    while True:
        start = _line_search(_REF_START_AFTER_NEWLINE, _REF_START, body, position, limit)
        if start is None:
            break
        position = start.end()
        if not _is_block_start(body, start):
            continue
        text, end = _read_block(body, start.start())
        position = max(position, end)
        if text.strip():
            yield text
    # A flattened page puts the whole header on one line: "SUBJECT: ... REF: TBILISI 1372
    # Classified By: ...". Its REF block starts mid-line.
    for flat in _FLAT_REF.finditer(body, 0, limit):
        text, _ = _read_block(body, flat.start("ref"))
        if text.strip():
            yield text


def _line_search(after_newline: re.Pattern[str], pattern: re.Pattern[str], text: str, position: int,
                 limit: int) -> re.Match[str] | None:
    """``pattern.search(text, position, limit)`` for a ``^``-anchored (re.M) pattern, found
    through ``after_newline`` (the same opening, after a newline): each line start it finds is
    tried with ``pattern`` itself, so the match is the one the search would give."""
    limit = min(limit, len(text))
    if position >= limit:
        return None
    if position == 0 or text[position - 1] == "\n":
        m = pattern.match(text, position, limit)
        if m:
            return m
    at = position
    while True:
        candidate = after_newline.search(text, at, limit)
        if candidate is None:
            return None
        m = pattern.match(text, candidate.start() + 1, limit)
        if m:
            return m
        at = candidate.start() + 1


def _is_block_start(body: str, start: re.Match[str]) -> bool:
    word = start.group(0).strip().lstrip("-").strip().rstrip(":.;-").strip()
    colon = start.group("colon") or ""
    if ":" in colon or ";" in colon or ".." in colon:
        return True
    if word.islower():
        return False
    line_end = body.find("\n", start.end())
    rest = body[start.end(): line_end if line_end >= 0 else len(body)]
    if not rest.strip():  # "REF" or "REFS" alone on its line: the items follow
        return bool(colon) or word.isupper()
    return _REF_BARE_FOLLOW.match(rest) is not None


def _read_block(body: str, offset: int) -> tuple[str, int]:
    """The block from its REF word at ``offset``: the rest of the REF line and the lines that
    go on with it (labels due next, indented or open-ended lines), page-break lines skipped."""
    lines: list[str] = []
    first_end = body.find("\n", offset)
    first_end = len(body) if first_end < 0 else first_end
    lines.append(body[offset:min(first_end, offset + _MAX_LINE)])
    position = first_end + 1
    after_blank = False
    for _ in range(_MAX_BLOCK_LINES):
        if position >= len(body):
            break
        end = body.find("\n", position)
        end = len(body) if end < 0 else end
        line = body[position:min(end, position + _MAX_LINE)]
        if not line.strip():
            after_blank = True
            position = end + 1
            continue
        if _is_page_break(line):
            position = end + 1
            continue
        if not _goes_on(line, lines, after_blank):
            break
        after_blank = False
        lines.append(line)
        position = end + 1
    text = " \n".join(lines)
    if _may_hold_inline_page_break(text):
        text = _INLINE_PAGE_BREAK.sub(" ", text)
    cut = _block_end_inline(text)
    if cut:
        text = text[: cut.start()]
    paragraph = _INLINE_FIRST_PARAGRAPH.search(text, 1)
    if paragraph and _DIGIT.search(text, 0, paragraph.start()):
        text = text[: paragraph.start()]
    text = _REF_WORD_LABEL.sub(lambda m: f" {m.group(1)}) ", text)
    while True:
        stripped = _without_ref_word(text).lstrip(" .:;-")
        if stripped == text:
            break
        text = stripped
    return text, position


def _is_page_break(line: str) -> bool:
    """_PAGE_BREAK.match(line), tried only when the line holds what each of its shapes needs:
    ``00`` (a padded serial), ``PAGE``, ``SECTION``, or spaced letters (``C O N F …``)."""
    spaced = line.lstrip(" \t")[1:2] == " "
    if not (spaced or "00" in line or "PAGE" in line or "SECTION" in line):
        return False
    return _PAGE_BREAK.match(line) is not None


def _may_hold_inline_page_break(text: str) -> bool:
    """Whether _INLINE_PAGE_BREAK can match: each of its shapes holds ``PAGE``, eight digits or
    a classification word (the substitution scans the whole block; these finds are cheaper)."""
    return ("PAGE" in text or any(word in text for word in _CLASSIFICATION_WORDS)
            or _EIGHT_DIGITS.search(text) is not None)


def _block_end_inline(text: str) -> re.Match[str] | None:
    """The first match of _BLOCK_END_INLINE, tried only where one of its literals is."""
    starts = set()
    for literal in _BLOCK_END_LITERALS:
        if literal not in text:  # most are not there: `in` is cheaper than a find call
            continue
        at = text.find(literal)
        while at >= 0:
            starts.add(at)
            at = text.find(literal, at + 1)
    for marked in _MARKED_FIRST_PARAGRAPH.finditer(text):
        starts.add(marked.start() - 1)  # from the blank before the "1"
    for start in sorted(starts):
        m = _BLOCK_END_INLINE.match(text, start)
        if m:
            return m
    return None


def _without_ref_word(text: str) -> str:
    """``text`` without a leading REF word (as ``_REPEATED_REF_WORD.sub("", text, count=1)``)."""
    m = _REPEATED_REF_WORD.match(text)
    return text[m.end() :] if m else text


def _goes_on(line: str, lines: list[str], after_blank: bool) -> bool:
    """Whether ``line`` continues the block read so far in ``lines``."""
    so_far = " ".join(lines)
    label = _LABEL_AT.match(line)
    has_items = bool(_without_ref_word(so_far).strip(" .:;-"))
    if label and (_label_in(label.group("label"), so_far) or
                  (not has_items and _is_first_label(label.group("label")))):
        return True
    if _BLOCK_END_LINE.match(line) or lines[-1].rstrip().endswith(".."):  # "...": cut here
        return False
    if after_blank:  # after a blank line: a label due next, items under a bare "REF:", or the
        # rest of an item left open ("C. 08" / "SAO PAULO 0590")
        if not has_items:
            return bool(CITATION.match(line.strip().upper()))
        if _OPEN_END.search(lines[-1]):
            return True
        return line.strip()[:1].isdigit() and _ENDS_WITH_LETTER.search(lines[-1]) is not None
    return _continues(line, lines)


def _continues(line: str, lines: list[str]) -> bool:
    """A line right under the block goes on with it when it is indented, starts a citation,
    holds the label due next, or the line before it was left open (a comma, AND, a label
    without text)."""
    if line[:1] in (" ", "\t"):
        return True
    due = _due_label(" ".join(lines))
    if due is not None and _find_label(line, due, 0) is not None:
        return True
    stripped = line.strip().upper()
    if CITATION.match(stripped) or COMPACT_CITATION.match(stripped) or stripped[:1].isdigit():
        return True
    before = lines[-1] if lines else ""
    return bool(_LEFT_OPEN.search(before))


def _label_in(label: str, text: str) -> bool:
    """Whether ``label`` follows a label already in ``text`` (B after A, 3 after 2)."""
    previous = _previous_label(label)
    if previous is None:
        return False
    return _label_written(previous).search(text) is not None


def _due_label(text: str) -> str | None:
    """The label that would come next after the labels in ``text`` (None when unlabelled)."""
    labels = _ANY_LABEL.findall(text)
    if not labels:
        return None
    last = labels[-1]
    return _next_label(last) if last not in "Zz" else None


def _previous_label(label: str) -> str | None:
    if label.isdigit():
        return str(int(label) - 1) if int(label) > 1 else None
    return chr(ord(label) - 1) if label not in "Aa" else None


# --- items ------------------------------------------------------------------------------------

def _items(block: str) -> list[tuple[str | None, str]]:
    """``A) ALMATY 1450, B) ASTANA 33`` → [("A", "ALMATY 1450"), ("B", "ASTANA 33")].

    Labels are taken in sequence only (after A comes B): a stray ``C.`` in a name does not cut
    an item unless C is the label due. Without labels the block is cut at semicolons.
    """
    text = squeeze(block)
    first = _LABEL_AT.match(text)
    if first is None or not _is_first_label(first.group("label")):
        return [(None, part) for part in _split_unlabelled(text)]
    items: list[tuple[str | None, str]] = []
    label = first.group("label")
    position = first.end()
    while True:
        following = _next_label(label)
        nxt = _find_label(text, following, position)
        item_text = text[position: nxt.start() if nxt else len(text)]
        item_text = _strip_item(item_text, label)
        items.append((label.upper(), item_text))
        if nxt is None:
            return items
        label = following
        position = nxt.end()


def _is_first_label(label: str) -> bool:
    return label in ("A", "a", "1")


def _next_label(label: str) -> str:
    return str(int(label) + 1) if label.isdigit() else chr(ord(label) + 1)


def _find_label(text: str, label: str, position: int) -> re.Match[str] | None:
    return _label_pattern(label.upper()).search(text, position)


@lru_cache(maxsize=128)
def _label_pattern(label: str) -> re.Pattern[str]:
    """Where label ``B`` (or ``b``) stands as a label: after a space or separator, as ``B.``,
    ``B)``, ``(B)``, ``B:``, ``[B]`` or ``B -``."""
    return re.compile(
        rf"(?:(?<=[\s,;.])|(?<=^))-?[ \t]*[(\[]?(?:{re.escape(label)}|{re.escape(label.lower())})"
        rf"(?:[)\]]|[.:](?![\d])|[ \t]+-[ \t])"
    )


def _strip_item(text: str, label: str) -> str:
    """Drop separators, a repeated label (``A. (A) SECSTATE 1``) and a trailing ``and``."""
    text = text.strip(" ,;-")
    repeated = _LEADING_LABEL.match(text)
    if repeated and repeated.group(1).upper() == label.upper():
        text = text[repeated.end():]
    text = _TRAILING_AND.sub("", text)
    return _TRAILING_PUNCT.sub("", text).strip()


def _split_unlabelled(text: str) -> list[str]:
    """An unlabelled block's items: cut at semicolons and at colons between citations."""
    parts = (_TRAILING_PUNCT.sub("", part).strip(" ,") for part in LIST_SEPARATOR.split(text))
    return [part for part in parts if part]


# --- citations --------------------------------------------------------------------------------


def _references_of_item(
    label: str | None, text: str, year: int | None, known_ids: Set[str],
    previous: Citation | None, own: tuple[str, str, int] | None = None,
    dating: _Dating = _Dating(None, {}),
) -> tuple[list[Reference], Citation | None]:
    """The references of one item, and the last cable it cites (a following bare serial,
    ``B) 00357`` after ``A) CALCUTTA 00354``, is of the same station)."""
    if cites_nothing(text):
        return [], previous
    citations = cables_cited(text)
    if not citations:
        bare = BARE_SERIAL.match(text)
        if bare:
            citation = _bare_serial_citation(bare, previous, year, known_ids)
            if citation is None:
                return [Reference(label, text, None, "cable")], previous
            citations = [citation]
    if citations:
        references = [
            Reference(label, text, _resolve(cited_year, station, serial,
                                            _years_for(station, serial, year, own, dating),
                                            known_ids), "cable")
            for cited_year, station, serial in citations
        ]
        return references, citations[-1]
    return [Reference(label, text, None, kind_of(text))], previous


def _bare_serial_citation(
    bare: re.Match[str], previous: Citation | None, year: int | None, known_ids: Set[str]
) -> Citation | None:
    """A serial alone: of the station cited just before; else a six-digit one (or one the known
    ids have) is a Department telegram — only STATE numbers run that high."""
    cited_year = full_year(bare.group("year")) if bare.group("year") else None
    serial = int(bare.group("serial"))
    if serial == 0:
        return None
    if previous is not None:
        return (cited_year if cited_year is not None else previous[0]), previous[1], serial
    if len(bare.group("serial").lstrip("0")) >= 6:
        return cited_year, "STATE", serial
    if known_ids and year is not None and make_id(cited_year or year, "STATE", serial) in known_ids:
        return cited_year, "STATE", serial
    return None


def _years_for(station: str, serial: int, year: int | None,
               own: tuple[str, str, int] | None, dating: _Dating = _Dating(None, {})) -> list[int]:
    """The years an undated citation can be of. A citation of the citing post itself is of this
    year when its serial is below the cable's own, else of last year (``06ASTANA38`` citing
    ``ASTANA 999``); one of another post is of this year when that post had reached the serial
    by the citing month (``STATE 70837`` in September 2009, 09THEHAGUE546), else of this year or
    of last year when only that one is known (a January cable citing a December one)."""
    if year is None:
        return []
    if own is not None and own[1] == station:
        return [year - 1] if serial > own[2] else [year]
    if dating.reached(year, station, serial):
        return [year]
    return [year, year - 1]


def _resolve(
    cited_year: int | None, station: str, serial: int, years: list[int], known_ids: Set[str]
) -> str | None:
    """The id of a citation: its own year, else the first of ``years`` the known ids have (the
    first of them when none is known); another name of the same post when only that is known."""
    if cited_year is not None:
        years = [cited_year]
    if not years:
        return None
    if known_ids:
        for candidate_year in years:
            for name in (station, *other_station_names(station)):
                candidate = make_id(candidate_year, name, serial)
                if candidate in known_ids:
                    return candidate
    return make_id(years[0], station, serial)


