"""The flowing text: page lines removed, numbered paragraphs, summary, signers.

Decisions (the JSON contract depends on them):

* :func:`clean_body` keeps the cable's own line breaks (no reflow); it removes the page-break
  markers that the message system printed at each page (``ASTANA 00000038  001.2 OF 002``,
  ``PAGE 02 ROME 01196 01 OF 02 082030Z``), the mid-body ``SECTION 02 OF 03`` lines of old
  multi-section cables, the cables.csv columns that the final-release pages glued after the
  signature, trailing spaces and runs of blank lines.
* A :class:`Paragraph`'s ``text`` is the paragraph as written in the cleaned body, its line
  breaks kept, stripped, without the number and the marking. A heading underlined with dashes
  (``AIG: SIGNED AT LAST`` + ``-----``) introduces the *next* paragraph, so it is dropped from
  the end of the previous one. The signature and the trailers after it belong to no paragraph.
* Markings are kept as written with whitespace normalised (``S/NF``, ``C/REL UK``, ``c``); the
  tail ``- ENTIRE TEXT`` is dropped because it qualifies the cable, not the paragraph.
* Signers are upper-cased surnames as signed (``VAN VOORST``, ``TIMKEN JR``): the corpus writes
  the same signer ``van Voorst`` and ``VAN VOORST``, and one spelling makes them comparable.
"""

from __future__ import annotations

import re

from ..record import Paragraph

# --- page-break markers ----------------------------------------------------------------------

# ``ASTANA 00000038  001.2 OF 002``: the serial zero-padded to 8 digits, page, page count. The
# station before it is cut to 10 characters (``BUENOS AIR``, ``USUN NEW Y``).
_PAGE_NUMBERS = re.compile(r"(?<![\w/])(\d{8})[ \t]+\d{3}(?:\.\d)?[ \t]+OF[ \t]+\d{3}(?![\w/])")
_STATION_TAIL = re.compile(r"(?<![A-Za-z0-9'])([A-Z][A-Z.'\- ]{0,11}?)[ \t]*$")
_HEADER_STATION = r"(?m)([A-Z][A-Z.'\- ]*?)[ \t]+0*{serial}\b"
# ``PAGE 02 ROME 01196 01 OF 02 082030Z`` / ``PAGE 02 RUEHFRA1234 C O N F I D E N T I A L``:
# old OASYS page heads, often glued before the first line of the page.
_OLD_PAGE_HEAD = re.compile(
    r"^[ \t]*PAGE[ \t]+\d{1,3}[ \t]+(?:[A-Z][A-Z .]*?[ \t]+\d{4,6}(?:[ \t]+\d{2}[ \t]+OF[ \t]+\d{2})?"
    r"[ \t]+\d{6}Z|RUE\w+\d+)[ \t]*",
    re.M,
)
_PAGE_OF_LINE = re.compile(r"^[ \t]*(?:\.\.\.[ \t]*)?PAGE[ \t]+\d{1,3}[ \t]+OF[ \t]+\d{1,3}[ \t]*$", re.M)
_CLASSIFICATION_WORDS = (
    r"(?:UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|C O N F I D E N T I A L|S E C R E T"
    r"|LIMITED OFFICIAL USE|L I M I T E D  ?O F F I C I A L  ?U S E)"
)
# ``C O N F I D E N T I A L SECTION 02 OF 03 ROME 003639``: the head of a later section.
_LATER_SECTION_LINE = re.compile(
    rf"^[ \t]*(?:{_CLASSIFICATION_WORDS}[ \t]+)?SECTION[ \t]+0*(?:[2-9]|[1-9]\d)[ \t]+OF[ \t]+\d+"
    r"(?:[ \t]+[A-Z][A-Z .'\-]*[ \t]+\d+)?[ \t]*$",
    re.M,
)
# The footer ``CONFIDENTIAL`` (alone, or glued at a line end) printed around an old page head.
_OLD_PAGE_FOOTER = re.compile(rf"[ \t]+{_CLASSIFICATION_WORDS}(?:[ \t]+PTQ\d+)?[ \t]*$")
_OLD_FOOTER_LINE = re.compile(rf"^[ \t]*{_CLASSIFICATION_WORDS}(?:[ \t]+PTQ\d+)?[ \t]*$")

# The final-release pages append cables.csv columns after the signature, on the same line:
# ``STEVENS 0 03/13/2008 9871 PGOV,PREL,PHUM,PINR,LY DETAINED HUMAN RIGHTS … summary``.
_DUMP_COLUMNS = re.compile(
    r"[ \t]+\d[ \t]+\d{1,2}/\d{1,2}/\d{4}[ \t]+\d+[ \t]+[A-Z][A-Z0-9]+(?:,[ \t]*[A-Z][A-Z0-9]*)+\b.*",
    re.S,
)
_BLANK_RUNS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+$", re.M)


def clean_body(body_raw: str) -> str:
    """The body as a reader wants it: page and section markers gone, line breaks kept."""
    text = body_raw.replace("\r\n", "\n").replace("\r", "\n")
    text = _TRAILING_SPACE.sub("", text)
    if _PAGE_NUMBERS.search(text):
        text = _remove_page_numbers(text)
    if "PAGE" in text:
        text = _remove_old_page_heads(text)
    text = _remove_later_section_lines(text)
    junk = _DUMP_COLUMNS.search(text)
    if junk:
        text = text[: junk.start()]
    text = _TRAILING_SPACE.sub("", text)
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip("\n").rstrip()


def _remove_page_numbers(text: str) -> str:
    """Cut every ``STATION 0000NNNN 00P OF 00N`` marker, whole line or glued inside a line.

    A marker alone on its line goes with its line. A glued one (flattened pages) takes the
    station with it: the station is read from the header line that carries the same serial
    (``SECTION 01 OF 03 TRIPOLI 000220``), so that an upper-case word of the text before the
    marker (``GOL TRIPOLI 00000220``) is not taken for part of the station.
    """
    pieces: list[str] = []
    position = 0
    stations: dict[str, tuple[str, ...]] = {}
    for m in _PAGE_NUMBERS.finditer(text):
        if m.start() < position:
            continue
        line_start = max(text.rfind("\n", 0, m.start()) + 1, position)
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        before = text[line_start : m.start()]
        station_start = line_start + _station_offset(before, m.group(1), text, stations)
        if not text[line_start:station_start].strip() and not text[m.end() : line_end].strip():
            pieces.append(text[position:line_start])  # the marker is the whole line
            position = min(line_end + 1, len(text))
            continue
        head = text[position:station_start].rstrip(" \t")
        pieces.append(head)
        rest_start = m.end()
        while rest_start < line_end and text[rest_start] in " \t":
            rest_start += 1
        if head and not head.endswith("\n") and text[line_start:station_start].strip() and rest_start < line_end:
            pieces.append(" ")
        position = rest_start
    pieces.append(text[position:])
    return "".join(pieces)


def _station_offset(before: str, serial: str, text: str, stations: dict[str, tuple[str, ...]]) -> int:
    """Where the station starts in ``before`` (the line up to the marker's serial)."""
    stripped = before.rstrip(" \t")
    tail = _STATION_TAIL.search(stripped)
    if not tail:
        return len(before)
    candidate = tail.group(1).strip()
    if not candidate:
        return len(before)
    if stripped[: tail.start()].strip() == "" and len(candidate) <= 12:
        return len(before) - len(before.lstrip(" \t"))  # the marker opens its line
    known = stations.get(serial)
    if known is None:
        known = _stations_for_serial(text, serial)
        stations[serial] = known
    words = candidate.split()
    for k in range(len(words)):
        guess = " ".join(words[k:])
        if any(guess == name or (len(guess) >= 9 and name.startswith(guess)) for name in known):
            return stripped.rfind(guess) if guess else len(before)
    # unknown station: take the last word only (most stations are one word)
    last = words[-1]
    return stripped.rfind(last)


def _stations_for_serial(text: str, serial: str) -> tuple[str, ...]:
    """The names a header line gives before ``serial``, each cut to 10 characters too."""
    number = str(int(serial))
    found: set[str] = set()
    for m in re.finditer(_HEADER_STATION.format(serial=number), text[:3000]):
        words = m.group(1).split()
        for k in range(len(words)):
            name = " ".join(words[k:])
            found.add(name)
            found.add(name[:10].rstrip())
    return tuple(found)


def _remove_old_page_heads(text: str) -> str:
    """Drop OASYS page heads (``PAGE 02 ROME 01196 01 OF 02 082030Z``) and their footers."""
    if not _OLD_PAGE_HEAD.search(text) and not _PAGE_OF_LINE.search(text):
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if _PAGE_OF_LINE.match(line):
            lines[i] = ""
            continue
        head = _OLD_PAGE_HEAD.match(line)
        if not head:
            continue
        lines[i] = line[head.end() :]
        j = i - 1
        while j >= 0 and (not lines[j].strip() or _OLD_FOOTER_LINE.match(lines[j])):
            if lines[j].strip():
                lines[j] = ""
            j -= 1
        if j >= 0:
            lines[j] = _OLD_PAGE_FOOTER.sub("", lines[j])
    return "\n".join(lines)


def _remove_later_section_lines(text: str) -> str:
    """Drop ``SECTION 02 OF 03`` lines, except at the very top where they name the cable."""
    first = _LATER_SECTION_LINE.search(text)
    if not first:
        return text
    top = _nth_line_end(text, 3)
    return text[:top] + _LATER_SECTION_LINE.sub("", text[top:])


def _nth_line_end(text: str, count: int) -> int:
    """The offset after the ``count``-th non-blank line."""
    seen = 0
    position = 0
    while seen < count:
        end = text.find("\n", position)
        if end < 0:
            return len(text)
        if text[position:end].strip():
            seen += 1
        position = end + 1
    return position


# --- the end of the cable: signature and trailers ---------------------------------------------

_TRAILER_LINE = re.compile(
    r"""^[ \t>]*(?:
        [>"'.,/*=#\-_~|\s]*                                   # punctuation debris, rules
      | =+[ ]*CABLE[ ]ENDS[ ]*=+
      | .*\bClassified[ ]+Web[ ]?site\b.*                    # "Visit London's Classified Website: …"
      | .*https?://\S*.*
      | .*\bsgov\.gov\b.*|.*Portal:\S*
      | SIPDIS|BT|NNNN?|\#\d+|@@@OASYS@@@
      | (?:SENSITIVE[ ]BUT[ ])?UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|NOFORN|SENSITIVE
      | (?:UNCLASSIFIED|CONFIDENTIAL|SECRET)[ ]+PTQ\d+
      | LIMITED[ ]OFFICIAL[ ]USE
      | \d{4}[A-Z]+\d+[ ]+-[ ]+Classification:.*
      | Declassified/Released.*|Systematic[ ]Review.*
      | .*Missing[ ]Section.*
      | End[ ]Cable[ ]Text
    )[ \t]*$""",
    re.X | re.I,
)
_NAME_WORD = r"(?:[A-Z][A-Za-z'\-]*|(?:Mc|Mac|O'|De|Di|La|Le|Van|Von|van|von|de|del|la|le|da|dos|du)[A-Za-z'\-]*)"
_SIGNER_LINE = re.compile(
    rf"^[ \t]*(?P<names>{_NAME_WORD}(?:[ \t]*[/,&]?[ \t]*{_NAME_WORD}){{0,3}}\.?)[ \t.]*$"
)
# ``... End comment. STEVENS``: a signature glued to the last sentence of a flattened page.
_GLUED_SIGNER = re.compile(
    r"[.!?)\"”'][ \t]+(?P<names>(?:[A-Z][A-Z'\-]+[ \t]+){0,2}[A-Z][A-Z'\-]{2,})[ \t.]*$"
)
_PARTICLES = {"VAN", "VON", "DE", "DEL", "DELLA", "LA", "LE", "DA", "DOS", "DU", "DI", "ST", "ST."}
_SUFFIXES = {"JR", "JR.", "SR", "SR.", "II", "III", "IV"}
_TITLES = {"AMBASSADOR", "CDA", "CHARGE", "DCM", "AMB", "CG", "PO", "ACTING", "MR", "MRS", "MS", "DR", "FOR",
           "THE", "SECRETARY", "CONSUL", "GENERAL", "CONGEN", "UNQUOTE", "QUOTE"}
_NOT_NAMES = {
    "END", "COMMENT", "SUMMARY", "TEXT", "NOTE", "SIPDIS", "NNNN", "BT", "NOFORN", "CONFIDENTIAL", "SECRET",
    "UNCLASSIFIED", "UNCLAS", "SENSITIVE", "EXEMPT", "MINIMIZE", "CONSIDERED", "DECL", "OADR", "GP",
    "SUBJECT", "TAGS", "REF", "PRIORITY", "IMMEDIATE", "ROUTINE", "AMEMBASSY", "AMCONSUL", "PAGE",
    "CLASSIFIED", "WIKILEAKS", "ADVERTISEMENTS", "REPLY", "LEAVE", "ACTION", "REQUEST", "INFO", "THANKS",
    "REGARDS", "CABLE", "ENDS", "POINTS", "PARA", "PARAGRAPH", "REFTEL", "SEPTEL", "ENTIRE", "NOTES",
}


def _signature(body: str) -> tuple[int, tuple[str, ...]]:
    """The offset where the signature (or the trailers, when unsigned) starts, and its names."""
    end = len(body)
    trailer_start = end
    while end > 0:
        start = body.rfind("\n", 0, end - 1) + 1 if end > 0 else 0
        if start < 0:
            start = 0
        line = body[start:end].rstrip("\n")
        if not _TRAILER_LINE.match(line):
            names = _signer_names(line)
            if names:
                return start, names
            glued = _GLUED_SIGNER.search(line)
            if glued:
                names = _signer_names(glued.group("names"))
                if names:
                    return start + glued.start("names"), names
            return trailer_start, ()
        trailer_start = start
        end = start
        if start == 0:
            break
    return trailer_start, ()


def _signer_names(line: str) -> tuple[str, ...]:
    """The surnames of a signature line (``VAN VOORST``, ``Leslie BASSETT``, ``KUBISKE KUBISKE``)."""
    m = _SIGNER_LINE.match(line)
    if not m or len(line.strip()) > 40:
        return ()
    raw = m.group("names").strip().rstrip(".").strip()
    parts = [p for p in re.split(r"[ \t]*[/,&][ \t]*", raw) if p]
    names: list[str] = []
    for part in parts:
        name = _surname(part.split())
        if name is None:
            return ()
        if name and name not in names:
            names.append(name)
    return tuple(names)


def _surname(words: list[str]) -> str | None:
    """One signer's surname from its words; None when the words are not a name."""
    upper = [w.upper() for w in words]
    if any(w.rstrip(".") in _NOT_NAMES for w in upper):
        return None
    while upper and upper[0].rstrip(".") in _TITLES:
        upper.pop(0)
        words = words[1:]
    if not upper:
        return None
    # "Leslie BASSETT": a first name in mixed case before an upper-case surname
    if len(words) >= 2 and not words[0].isupper() and words[-1].isupper() and words[0].upper() not in _PARTICLES:
        upper = upper[1:]
    # "KUBISKE KUBISKE", "SHANNON Shannon": the name written twice
    if len(upper) == 2 and upper[0] == upper[1]:
        upper = upper[:1]
    if len(upper) == 1 and len(upper[0]) < 2:
        return None
    return " ".join(upper)


def parse_signers(body: str) -> tuple[str, ...]:
    """The surnames signing the cable: the name line at the end, before any trailer."""
    return _signature(body)[1]


_BOILERPLATE_AFTER = re.compile(
    r"^[ \t]*(?:Wikileaks|Advertisements|Share this:|Like this:|Related|Post a comment\b.*|Leave a Reply"
    r"|Fill in your details below.*|Posted in\b.*|Tags?:.*|Comments?\b.*|Trackback.*)[ \t]*$",
    re.M | re.I,
)


def find_cable_end(text: str) -> int:
    """Where a quoted cable ends in a page that quotes it: after its signature line.

    The signer is looked for after the last numbered paragraph: the first name line there ends
    the cable. Without one, the cable ends before the first line of blog boilerplate
    (``Wikileaks``, ``Advertisements``, ``Leave a Reply``…); ``len(text)`` when nothing follows.
    """
    starts = list(_PARAGRAPH_START.finditer(text))
    position = starts[-1].end() if starts else 0
    for m in _LINE.finditer(text, position):
        line = m.group(0)
        if line.strip() and line.strip().isupper() or _is_capitalised_name(line):
            names = _signer_names(line)
            if names and line.strip().upper() == line.strip():
                return m.end()
    boiler = _BOILERPLATE_AFTER.search(text, position)
    if boiler:
        return len(text[: boiler.start()].rstrip())
    return len(text)


_LINE = re.compile(r"^.*$", re.M)


def _is_capitalised_name(line: str) -> bool:
    return bool(_SIGNER_LINE.match(line))


# --- numbered paragraphs ----------------------------------------------------------------------

_PARAGRAPH_START = re.compile(
    r"^[ \t]*(?:¶[ \t]*)?(?P<number>\d{1,3})(?P<delimiter>[ \t]?\.(?!\d)|\)|[ \t]+(?=\())[ \t]*"
    r"(?:\((?P<marking>[^()\n]{1,45})\)[ \t]*)?",
    re.M,
)
_MARKING = re.compile(
    r"^(?:U|SBU|C|S|TS|SE|SB|SU|NC|SNF|LOU|FOUO|SECRET|CONFIDENTIAL|UNCLASSIFIED|UNCLAS)"
    r"(?:[ \t]*(?:/{1,2}|-|[ \t])[ \t]*[A-Za-z][A-Za-z ,./]*)?$",
    re.I,
)
_ENTIRE_TEXT = re.compile(r"[ \t]*-[ \t]*ENTIRE TEXT$", re.I)
_RULE_LINE = re.compile(r"^[ \t]*[-=_*]{3,}[-=_* \t]*$")
_HEADER_BEFORE_RESTART = re.compile(
    r"^[ \t]*(?:SUBJECT|SUBJ|E\.O\.|TAGS|REF|PART[ \t]+\w+|BEGIN TEXT|TEXT|QUOTE|SECTION[ \t]+\d)\b", re.M | re.I
)


def _marking(raw: str | None) -> str | None:
    if raw is None:
        return None
    text = " ".join(raw.split())
    if text.upper().startswith("U.S") or not _MARKING.match(text):
        return None
    return _ENTIRE_TEXT.sub("", text)


def parse_paragraphs(body: str) -> tuple[Paragraph, ...]:
    """The numbered paragraphs, in order, from the first ``1.`` to the signature.

    A line that starts with a number is a new paragraph only when it fits the sequence: the
    next number; the same number again when marked (cables do repeat one); a few numbers on
    when the paragraph is marked, opens a block, or is followed by its own next number; a
    restart at 1 after a new header (multi-part cables). It must also be written like the first
    paragraph (``1.`` and ``1)`` are different lists). So ``August 8.`` wrapped to a line start,
    or a list ``1) … 2)`` inside a paragraph, stays text.
    """
    end, _ = _signature(body)
    region = body[:end]
    candidates = [_Candidate(m, region) for m in _PARAGRAPH_START.finditer(region)]
    accepted: list[_Candidate] = []
    for index, candidate in enumerate(candidates):
        following = _next_of_kind(candidates, index, accepted[0].kind if accepted else candidate.kind)
        if _fits_sequence(candidate, accepted, following, region):
            accepted.append(candidate)
    paragraphs = []
    for index, candidate in enumerate(accepted):
        text_end = accepted[index + 1].match.start() if index + 1 < len(accepted) else len(region)
        text = _drop_trailing_heading(region[candidate.text_start : text_end])
        paragraphs.append(Paragraph(number=candidate.number, marking=candidate.marking, text=text))
    return tuple(paragraphs)


class _Candidate:
    """A line that opens like a numbered paragraph, with what the sequence rules need."""

    __slots__ = ("match", "number", "marking", "kind", "blank_before", "text_start")

    def __init__(self, match: re.Match[str], region: str) -> None:
        self.match = match
        self.number = int(match.group("number"))
        self.marking = _marking(match.group("marking"))
        self.kind = ")" if match.group("delimiter") == ")" else "."
        self.blank_before = _blank_line_before(region, match.start())
        if match.group("marking") is not None and self.marking is None:
            self.text_start = match.start("marking")  # "1. (Reftel) ...": the parenthesis is text
        else:
            self.text_start = match.end()


def _next_of_kind(candidates: list[_Candidate], index: int, kind: str) -> _Candidate | None:
    for candidate in candidates[index + 1 :]:
        if candidate.kind == kind:
            return candidate
    return None


def _fits_sequence(candidate: _Candidate, accepted: list[_Candidate], following: _Candidate | None,
                   region: str) -> bool:
    number = candidate.number
    continued = following is not None and following.number == number + 1
    if not accepted:
        if number == 1:
            return True
        if candidate.marking is not None:
            return number <= 30
        return candidate.blank_before and (number <= 3 and continued or following is None)
    last = accepted[-1]
    if candidate.kind != accepted[0].kind:
        return False
    if number == last.number + 1:
        return True
    if number == last.number:
        return candidate.marking is not None and candidate.blank_before
    if last.number + 1 < number <= last.number + 3:
        return candidate.marking is not None or candidate.blank_before or continued
    if number == 1 and candidate.blank_before:
        return _HEADER_BEFORE_RESTART.search(region, last.match.end(), candidate.match.start()) is not None
    return False


def _blank_line_before(text: str, position: int) -> bool:
    """Whether the line before ``position`` (a line start) is blank or a rule: a block opens."""
    if position == 0:
        return True
    previous_start = text.rfind("\n", 0, position - 1) + 1
    previous = text[previous_start : position - 1]
    return not previous.strip() or _RULE_LINE.match(previous) is not None


def _drop_trailing_heading(text: str) -> str:
    """The paragraph text without the underlined heading of the next paragraph."""
    lines = text.rstrip().split("\n")
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

_SUMMARY_START = re.compile(
    r"(?:\b(?:BEGIN|START)[ \t]+SUMMARY\b[ \t]*[:.\-]*|\bSUMMARY(?:[ \t]+AND[ \t]+(?:COMMENT|ACTION REQUEST|RECOMMENDATION))?"
    r"[ \t]*(?::|\.(?=[ \t\n])|-{1,2}(?=[ \t]))|^[ \t]*SUMMARY(?:[ \t]+AND[ \t]+COMMENT)?[ \t]*\n(?:[ \t]*[-=_]{3,}[ \t]*\n)?)",
    re.I | re.M,
)
_SUMMARY_END = re.compile(r"\(?\b(?:END[ \t]+(?:OF[ \t]+)?SUMMARY(?:[ \t]+AND[ \t]+COMMENT)?|SUMMARY[ \t]+ENDS?)\b[.\s)]*", re.I)


def parse_summary(body: str, paragraphs: tuple[Paragraph, ...]) -> str | None:
    """The cable's summary: from ``SUMMARY:`` to ``End Summary``, whitespace normalised."""
    start = _SUMMARY_START.search(body, 0, _summary_window(body, paragraphs))
    if not start:
        return None
    end = _SUMMARY_END.search(body, start.end())
    if end:
        text = body[start.end() : end.start()]
    else:
        text = _until_next_paragraph(body, start.end())
    text = _strip_paragraph_heads(text)
    text = " ".join(text.split()).strip(" -")
    return text or None


def _summary_window(body: str, paragraphs: tuple[Paragraph, ...]) -> int:
    """Summaries open the cable: look only before the third paragraph."""
    starts = [m.start() for m in _PARAGRAPH_START.finditer(body)]
    if len(starts) >= 3:
        return starts[2]
    return min(len(body), 4000)


def _until_next_paragraph(body: str, position: int) -> str:
    nxt = _PARAGRAPH_START.search(body, position)
    return body[position : nxt.start() if nxt else len(body)]


def _strip_paragraph_heads(text: str) -> str:
    return _PARAGRAPH_START.sub("", text)
