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
from functools import lru_cache

from ..record import Paragraph

# --- page-break markers ----------------------------------------------------------------------

# ``ASTANA 00000038  001.2 OF 002``: the serial zero-padded to 8 digits, page, page count. The
# station before it is cut to 10 characters (``BUENOS AIR``, ``USUN NEW Y``).
_PAGE_NUMBERS = re.compile(r"(?<![\w/])(\d{8})[ \t]+\d{3}(?:\.\d)?[ \t]+OF[ \t]+\d{3}(?![\w/])")
_STATION_TAIL = re.compile(r"(?<![A-Za-z0-9'])([A-Z][A-Z.'\- ]{0,11}?)[ \t]*$")
# ``SECTION 01 OF 03 TRIPOLI 000220``: the station before the serial in the cable's first lines.
_HEADER_STATION = re.compile(r"([A-Z][A-Z.'\- ]*?)[ \t]+0*(\d{1,6})\b")
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
    r" 0[ \t]+\d{1,2}/\d{1,2}/\d{4}(?:[ \t]+\d+[ \t]+[A-Z][A-Z0-9]+(?:,[ \t]*[A-Z][A-Z0-9]*)+\b.*|[ \t.]*$)",
    re.S,
)
_BLANK_RUNS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


def clean_body(body_raw: str) -> str:
    """The body as a reader wants it: page and section markers gone, line breaks kept."""
    if "\r" in body_raw:
        body_raw = body_raw.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in body_raw.split("\n"))
    markers = _page_number_markers(text)
    if markers:
        text = _remove_page_numbers(text, markers)
    if "PAGE " in text:
        text = _remove_old_page_heads(text)
    text = _remove_later_section_lines(text)
    junk = _DUMP_COLUMNS.search(text)
    if junk:
        text = text[: junk.start()].rstrip()
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip("\n").rstrip()


def _page_number_markers(text: str) -> list[re.Match[str]]:
    """The ``0000NNNN 00P OF 00N`` markers, found from their literal `` OF 0`` (fast)."""
    found = []
    position = text.find(" OF 0")
    while position >= 0:
        m = _PAGE_NUMBERS.search(text, max(0, position - 24), position + 8)
        if m:
            found.append(m)
        position = text.find(" OF 0", position + 5)
    return found


def _remove_page_numbers(text: str, markers: list[re.Match[str]]) -> str:
    """Cut every ``STATION 0000NNNN 00P OF 00N`` marker, whole line or glued inside a line.

    A marker alone on its line goes with its line. A glued one (flattened pages) takes the
    station with it: the station is read from the header line that carries the same serial
    (``SECTION 01 OF 03 TRIPOLI 000220``), so that an upper-case word of the text before the
    marker (``GOL TRIPOLI 00000220``) is not taken for part of the station.
    """
    pieces: list[str] = []
    position = 0
    stations: dict[str, tuple[str, ...]] = {}
    for m in markers:
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
    for m in _HEADER_STATION.finditer(text, 0, 3000):
        if m.group(2) != number:
            continue
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
    if text.find("SECTION", 60) < 0:
        return text
    top = _nth_line_end(text, 3)
    if text.find("SECTION", top) < 0:
        return text
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
        [>"'.,/*=#\-_~|\s\d\\]*                              # debris, rules, page counts
      | [“"]?Visit\b.{0,80}Classified.{0,120}|[“"]?Visit\b.{0,40}  # "Visit London's Classified Website: …"
      | .*https?://\S*.*
      | .*\bsgov\.gov\b.*|.*Portal:\S*
      | SIPDIS|BT|NNNN?|\#\d+|@@@OASYS@@@
      | (?:SENSITIVE[ ]BUT[ ])?UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|NOFORN|SENSITIVE
      | (?:UNCLASSIFIED|CONFIDENTIAL|SECRET)[ ]+PTQ\d+
      | LIMITED[ ]OFFICIAL[ ]USE
      | \d{4}[A-Z]+\d+[ ]+-[ ]+.*                              # "2004CARACA02200 - CONFIDENTIAL"
      | Classification:.*
      | Declassified/Released.*|Systematic[ ]Review.*
      | .*Missing[ ]Section.*
      | End[ ]Cable[ ]Text
      | .*\bEL[ ]PA[IÍ]S\b.*|ID:.*                            # a newspaper's copy of the page
      | .*\.\.\.|.*From[ ]DB/Inbox.*                          # a teaser cut short; a mail header
    )[ \t]*$""",
    re.X | re.I,
)
# After these, nothing belongs to the cable (a dump's end mark, a database query left on the page).
_HARD_ENDS = ("=CABLE END", "SELECT * FROM `cable`")
_NAME_WORD = r"(?:[A-Z][A-Za-z'\-]*|(?:Mc|Mac|O'|De|Di|La|Le|Van|Von|van|von|de|del|la|le|da|dos|du)[A-Za-z'\-]*)"
_SIGNER_LINE = re.compile(
    rf"^[ \t]*(?P<names>{_NAME_WORD}(?:[ \t]*[/,&]?[ \t]*{_NAME_WORD}){{0,3}}(?:[ \t]+(?:jr|sr)\b)?\.?)[ \t.]*$"
    r"|^[ \t]*(?P<lower>[a-z]{3,})[ \t]*$"  # "misenheimer", "clinton": a signature typed in lower case
)
# ``... End comment. STEVENS`` / ``... table.ROONEY`` / ``... closely. Danilovich`` /
# ``End Comment MATHIEU``: a signature glued to the last sentence of a flattened page.
_GLUED_SIGNER = re.compile(
    r"(?:[.!?)\"”'][ \t]*|(?i:\bEND[ \t]+(?:COMMENT|TEXT|NOTE|SUMMARY))\.?[ \t]+)"
    r"(?P<names>(?:[A-Z][A-Z'\-]+[ \t]+){0,2}[A-Z][A-Z'\-]{2,})[ \t.]*$"
    r"|[.!?)\"”'][ \t]+(?P<mixed>(?:(?:van|von|de|del|la|le)[ \t]+)?[A-Z][a-z]+(?:[A-Z][a-z]+)?)[ \t.]*$"
)
# ``... Megahed SCOBEY``, ``... 2/21/2009] CRETZ``, ``... #ERELI``: an upper-case name ending a
# line of mixed-case text is the signature even without a full stop before it.
_TRAILING_CAPS_NAME = re.compile(
    r"(?P<before>\S*)[ \t]+#?(?P<names>[A-Z][A-Z'\-]{1,}(?:[ \t]+[A-Z][A-Z'\-]{2,})?(?:[ \t]+JR)?)[ \t]*$"
)
_ACRONYMS = {"USG", "GOE", "GOI", "GOL", "GOB", "GOC", "GOM", "GOJ", "GOK", "GOT", "GOA", "GOP", "GOS", "EU",
             "UN", "US", "USA", "UK", "NATO", "MFA", "MOD", "IAEA", "OSCE", "ISAF", "PM", "FM", "AU", "WTO", "IMF",
             "PRC", "DPRK", "ROK", "FARC", "ELN", "AQ", "AQIM", "AQAP", "HRW", "NGO", "NGOS", "OAS", "GCC", "TIP"}
# What wraps a signature on its line: ``MULFORD "``, ``SOBEL 2008-01-08``, ``HOAGLAND NNNN``,
# ``"CASON ,,,,"``, ``XXXXXXXXXX****** ******** ERELI`` (a redacted website line before it).
_LINE_TRAILERS = re.compile(
    r"(?:[ \t]+(?:NNNN?|[\",'\\]+|\d{4}-\d{2}-\d{2}|\d{4}[A-Z]+\d+[ \t]+-[ \t]+.*|End[ \t]+Cable[ \t]+Text)"
    r"|[ \t]*[,\"'\\]+)+[ \t]*$"
)
_LEADING_JUNK = re.compile(r"^(?:[ \t*#=_>\"'.,]|X{3,}|-{2,})+")
_PARTICLES = {"VAN", "VON", "DE", "DEL", "DELLA", "LA", "LE", "DA", "DOS", "DU", "DI", "ST", "ST."}
_TITLES = {"AMBASSADOR", "CDA", "CHARGE", "DCM", "AMB", "CG", "PO", "ACTING", "MR", "MRS", "MS", "DR",
           "SECRETARY", "CONSUL", "GENERAL", "CONGEN", "UNQUOTE", "QUOTE"}
_NOT_NAMES = {
    "END", "COMMENT", "SUMMARY", "TEXT", "NOTE", "SIPDIS", "NNNN", "BT", "NOFORN", "CONFIDENTIAL", "SECRET",
    "UNCLASSIFIED", "UNCLAS", "SENSITIVE", "EXEMPT", "MINIMIZE", "CONSIDERED", "DECL", "OADR", "GP",
    "SUBJECT", "TAGS", "REF", "PRIORITY", "IMMEDIATE", "ROUTINE", "AMEMBASSY", "AMCONSUL", "PAGE",
    "CLASSIFIED", "WIKILEAKS", "ADVERTISEMENTS", "REPLY", "LEAVE", "ACTION", "REQUEST", "INFO", "THANKS",
    "REGARDS", "CABLE", "ENDS", "POINTS", "PARA", "PARAGRAPH", "REFTEL", "SEPTEL", "ENTIRE", "NOTES",
    "WEBSITE", "CFM", "HTTP", "WWW", "COLLECTIVE", "WASHDC", "STATE", "USDOC", "CIA", "NSC", "DIA", "JCS",
    "MEMBER", "STATES", "AND", "THE", "OF", "FOR", "EMBASSY", "CONSULATE", "MISSION", "DEPT", "DEPARTMENT",
}
_ADDRESS_LINE = re.compile(r"^[ \t]*R[A-Z]{3,6}/")  # "RUCNMEM/EU MEMBER STATES": an address, no signature
# Link, redaction and punctuation tokens of a "Visit … Classified Website: <url>" trailer.
_WEBSITE_JUNK = re.compile(
    r"(?:\(?https?:?//?\S*|\(?www\.\S*|\S*sgov\S*|X{3,}\S*)(?:[ \t]+(?:Kingdom|ed_Kingdom|any|ey)\b)?"
    r"|\S*\.cfm\b|\bcfm\b|\bindex\.|\*+|[:;,\"”()]"
)


_last_signature: tuple[str, tuple[int, tuple[str, ...]]] = ("", (0, ()))


def _signature(body: str) -> tuple[int, tuple[str, ...]]:
    """The offset where the signature (or the trailers, when unsigned) starts, and its names.

    The paragraph and signer readers both need it for the same body, one after the other: the
    last answer is kept (one immutable tuple, so threads can only ever see a whole entry).
    """
    global _last_signature
    cached_body, cached = _last_signature
    if cached_body is body:
        return cached
    found = _find_signature(body)
    _last_signature = (body, found)
    return found


def _find_signature(body: str) -> tuple[int, tuple[str, ...]]:
    end = len(body)
    tail = body[-4000:]
    if any(hint in tail for hint in _BOILERPLATE_HINTS):
        end = _boilerplate_start(body)
    for mark in _HARD_ENDS:
        found = body.find(mark, max(0, end - 3000), end)
        if found >= 0:
            end = body.rfind("\n", 0, found) + 1
    website = _website_trailer(body, end)
    if website is not None:
        start, names, after_empty = website
        if names:
            return start, names
        if after_empty:
            end = start
    trailer_start = end
    while end > 0:
        start = body.rfind("\n", 0, end - 1) + 1
        line = _strip_line_trailers(body[start:end].rstrip("\n"))
        if _is_trailer(line):
            if _LINK_IN_LINE.search(line):
                # "(http://www.state.sgov.gov/p/sa/newdelhi/) MULFORD": signed after the link
                names = _signer_names(_clean_website_rest(line))
                if names:
                    return start, names
            trailer_start = start
            end = start
            continue
        found = _line_signature(line)
        if found:
            return start + found[0], found[1]
        return trailer_start, ()
    return trailer_start, ()


# Only the end of a long (flattened) line can hold a signature or a trailer.
_LINE_TAIL = 200


def _is_trailer(line: str) -> bool:
    return len(line) <= 300 and _TRAILER_LINE.match(line) is not None


def _strip_line_trailers(line: str) -> str:
    cut = max(0, len(line) - _LINE_TAIL)
    return line[:cut] + _LINE_TRAILERS.sub("", line[cut:])


def _line_signature(line: str) -> tuple[int, tuple[str, ...]] | None:
    """The signature on the last line of the cable: the whole line, or glued at its end."""
    if len(line.strip()) <= 60:
        names = _signer_names(_LEADING_JUNK.sub("", line))
        if names:
            return 0, names
    cut = max(0, len(line) - _LINE_TAIL)
    tail = _REDACTION.sub(lambda m: " " * len(m.group()), line[cut:])  # offsets kept
    glued = _GLUED_SIGNER.search(tail) or _trailing_caps_name(tail)
    if glued:
        group = "mixed" if glued.groupdict().get("mixed") else "names"
        names = _signer_names(glued.group(group))
        if names:
            return cut + glued.start(group), names
    return None


_LINK_AFTER_WEBSITE = re.compile(r"[ \t:]*(?:at[ \t:]+)?\(?(?:https?:|www\.|X{4})", re.I)
_LINK_IN_LINE = re.compile(r"https?:|www\.|sgov", re.I)
_TRAILING_NAME_WORDS = re.compile(r"(?<![\w/])(?:[A-Z][A-Za-z'\-]*[ \t]*){1,3}$")


def _clean_website_rest(text: str) -> str:
    """What remains of a website trailer without its link, redactions and punctuation."""
    rest = " ".join(_WEBSITE_JUNK.sub(" ", text).split())
    name = _TRAILING_NAME_WORDS.search(rest)
    return name.group(0) if name else ""


_REDACTION = re.compile(r"X{6,}")


def _trailing_caps_name(line: str) -> re.Match[str] | None:
    m = _TRAILING_CAPS_NAME.search(line)
    if not m or m.group("names") in _ACRONYMS:
        return None
    before = m.group("before")
    if any(c.islower() for c in before) or before[-1:] in ".!?)]\"”'0123456789/#":
        return m
    return None


def _website_trailer(body: str, end: int) -> tuple[int, tuple[str, ...], bool] | None:
    """``Visit London's Classified Website: XXXXXXXXXXXX LeBaron``, glued or on its own line.

    Returns where the trailer starts, the names signed after it on its line, and whether
    nothing but debris follows its line.
    """
    tail_start = max(0, end - 700)
    lower = body[tail_start:end].lower()
    found = max(lower.rfind("website"), lower.rfind("web site"))
    if found < 0:
        return None
    position = tail_start + found
    line_end = body.find("\n", position, end)
    line_end = end if line_end < 0 else line_end
    word_end = position + (7 if body[position + 3] != " " else 8)
    after = body[word_end:line_end]
    if "assif" not in lower[max(0, found - 40) : found] and not _LINK_AFTER_WEBSITE.match(after):
        return None  # "the ministry's website": text, not the trailer
    visit = lower.rfind("visit", max(0, found - 80), found)
    line_start = body.rfind("\n", 0, position) + 1
    start = tail_start + visit if visit >= 0 else line_start
    if not body[line_start:start].strip():
        start = line_start if visit < 0 or tail_start + visit >= line_start else start
    names = _signer_names(_clean_website_rest(after))
    after_empty = not body[line_end:end].strip(" \t\n\"'>,")
    return start, names, after_empty


def _signer_names(line: str) -> tuple[str, ...]:
    """The surnames of a signature line (``VAN VOORST``, ``Leslie BASSETT``, ``KUBISKE KUBISKE``)."""
    m = _SIGNER_LINE.match(line)
    if not m or len(line.strip()) > 40 or _ADDRESS_LINE.match(line):
        return ()
    raw = (m.group("names") or m.group("lower")).strip().rstrip(".").strip()
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
    if "UNQUOTE" in upper:  # "CLINTON UNQUOTE CLINTON": the quoted cable's signer, then ours
        words = words[upper.index("UNQUOTE") + 1 :]
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
_BOILERPLATE_HINTS = ("Leave a Reply", "Advertisements", "bloggers like this", "Post a comment")


def find_cable_end(text: str) -> int:
    """Where a quoted cable ends in a page that quotes it: after its signature line.

    The blog boilerplate (``Wikileaks``, ``Advertisements``, ``Leave a Reply``…) is looked for
    after the last numbered paragraph; the cable ends after the signature found before it, or
    where the boilerplate starts when there is no signature. ``len(text)`` when nothing follows.
    """
    limit = _boilerplate_start(text)
    start, names = _signature(text[:limit])
    if names:
        line_end = text.find("\n", start, limit)
        return limit if line_end < 0 else line_end
    return len(text[:limit].rstrip()) if limit < len(text) else len(text)


def _boilerplate_start(text: str) -> int:
    """Where blog boilerplate starts after the cable's last paragraph (``len(text)`` if none)."""
    last = None
    for last in _PARAGRAPH_START.finditer("\n" + text):
        pass
    position = last.end() - 1 if last else 0
    boiler = _BOILERPLATE_AFTER.search(text, position)
    return boiler.start() if boiler else len(text)


# --- numbered paragraphs ----------------------------------------------------------------------

# Matched on the text with a "\n" put before it, so that the scan runs on the literal newline
# (a ``^`` with re.M is tried at every character).
_PARAGRAPH_START = re.compile(
    r"\n[ \t]*(?:¶[ \t]*)?(?P<number>\d{1,3})(?P<delimiter>[ \t]?\.(?![\d.])|\)|[ \t]+(?=\())[ \t]*"
    r"(?:\((?P<marking>[^()\n]{1,45})\)[ \t]*)?"
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


@lru_cache(maxsize=512)
def _marking(raw: str | None) -> str | None:
    """The marking written in ``(…)`` after a paragraph number, or None when it is text."""
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
    region = "\n" + body[:end]
    candidates = [_Candidate(m, region) for m in _PARAGRAPH_START.finditer(region)]
    accepted: list[_Candidate] = []
    for index, candidate in enumerate(candidates):
        if accepted and candidate.number > accepted[-1].number + 1 and _expected_comes_later(
            candidates, index, accepted[-1].number + 1
        ):
            continue  # "See para.\n3." while paragraph 2 is still to come
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

    __slots__ = ("match", "number", "marking", "kind", "shape", "blank_before", "text_start")

    def __init__(self, match: re.Match[str], region: str) -> None:
        """``region`` is the text with the leading newline the pattern needs."""
        self.match = match
        self.number = int(match.group("number"))
        self.marking = _marking(match.group("marking"))
        self.kind = ")" if match.group("delimiter") == ")" else "."
        self.shape = (match.group("delimiter"), match.end("delimiter") - match.start("delimiter"))
        self.blank_before = _blank_line_before(region, match.start() + 1)
        if match.group("marking") is not None and self.marking is None:
            self.text_start = match.start("marking")  # "1. (Reftel) ...": the parenthesis is text
        else:
            self.text_start = match.end()


def _expected_comes_later(candidates: list[_Candidate], index: int, expected: int) -> bool:
    return any(c.number == expected for c in candidates[index + 1 : index + 6])


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
# follows, left at the end of a text.
_TRAILING_HEADING = re.compile(
    r"\n[ \t]*(?:[-=_]{3,}[ \t]*\n[ \t]*)?[^\n]{1,80}\n[ \t]*[-=_]{3,}[ \t]*$"
    r"|\s[-=_]{3,}[ \t]+[^\n\-=_.!?]{1,80}(?:[ \t]+[-=_]{3,})?[ \t]*$"
)


def _without_trailing_heading(text: str) -> str:
    text = text.rstrip()
    cut = max(0, len(text) - 250)
    m = _TRAILING_HEADING.search(text, cut)
    return text[: m.start()] if m else text


def _drop_trailing_heading(text: str) -> str:
    """The paragraph text without the underlined heading of the next paragraph."""
    text = text.rstrip()
    if "---" in text[-200:] or "===" in text[-200:]:
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
    text = _PARAGRAPH_START.sub(" ", "\n" + text)
    text = " ".join(text.split()).strip(" -(")
    return text or None


def _summary_before_its_end(body: str, lower: str) -> str | None:
    """``1. (C) The Ambassador met … End Summary.``: a summary with an end but no label.

    It is the paragraph that holds the ``End Summary`` (from its text's start).
    """
    end = _summary_end(lower)
    if end is None:
        return None
    head = None
    for head in _PARAGRAPH_START.finditer("\n" + body, 0, end + 1):
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
    """Summaries open the cable: look only before the fourth paragraph."""
    count = 0
    for m in _PARAGRAPH_START.finditer("\n" + body):
        count += 1
        if count == 4:
            return m.start()
    return min(len(body), 5000)


def _until_next_paragraph(text: str) -> str:
    """The text up to the next numbered paragraph (past the one that opens it, after a heading)."""
    padded = "\n" + text.lstrip(" \t\n")
    skip = len(text) - len(padded) + 1
    opening = _PARAGRAPH_START.match(padded)
    nxt = _PARAGRAPH_START.search(padded, opening.end() if opening else 0)
    return text[: nxt.start() + skip if nxt else len(text)]
