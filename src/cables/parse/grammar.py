"""The cable format's shared rules: one home for what several readers must agree on.

What is here is the format, not a field: the lines the message system printed that are not the
cable's text (page breaks, later section heads), how a numbered paragraph opens, the markings
``(SBU)``, ``(C)``, ``(S/NF)`` a paragraph or subject carries, the classification words, the
two-digit-year cut-off and how whitespace is squeezed. Each reader imports the rule from here;
a fix to the format is made here once.

Where two readers need different forms of one rule on purpose (a strict form where a loose one
would take running text, a line form and an inline form of the same mark), both forms stand
side by side below, named for what they are for. Each pattern is the one its reader used before
this module existed, except the page count (:data:`PAGE_COUNT`, now one form for all page-line
rules) and the two-digit year (one cut-off for all); only the page count changed records of the
mirror (two). The reference ids cite the pages that decided a rule.

Patterns that a reader scans a whole body with open on a literal (a newline, a digit, a letter)
rather than on a look-around or ``^`` under re.M: the regex engine then skips quickly to where a
match can start (see :mod:`.pagelines`).
"""

from __future__ import annotations

import re

from ..ids import full_year

__all__ = [
    "ADDRESS_BLOCK_NOISE_LINE", "BODY_START", "BODY_START_LOOSE", "CLASSIFICATION_LINE",
    "CLASSIFICATION_LINE_HERE", "CLASSIFICATION_WORD", "CLIPPED_CLASSIFICATION_PREFIXES",
    "FIRST_PARAGRAPH_AFTER_NEWLINE", "FIRST_PARAGRAPH_LINE", "FOOTER_CLASSIFICATION_WORDS",
    "INLINE_FIRST_PARAGRAPH", "INLINE_PAGE_MARK", "LATER_SECTION_LINE", "LEADING_MARKING",
    "MARKED_FIRST_PARAGRAPH", "MARKED_PARAGRAPH_ONE", "NOT_CLASSIFICATION", "OLD_FOOTER_LINE",
    "OLD_PAGE_FOOTER", "OLD_PAGE_HEAD", "PAGE_BREAK_GLUED", "PAGE_BREAK_LINE", "PAGE_COUNT",
    "PAGE_FOOTER_WORDS", "PAGE_HEAD", "PAGE_NUMBERS", "PAGE_OF_AFTER", "PAGE_OF_LINE",
    "PARAGRAPH_MARKING", "PARAGRAPH_START", "REF_FIRST_PARAGRAPH",
    "REF_FIRST_PARAGRAPH_AFTER_NEWLINE", "SERIAL_LINE", "SHORT_MARKINGS", "SPACES", "STATION_SERIAL",
    "TRAILING_MARKING", "full_year", "squeeze", "unspaced", "year_as_written"
]

# --- whitespace -------------------------------------------------------------------------------

SPACES = re.compile(r"\s+")
"""A run of whitespace of any kind (``\\s`` and :meth:`str.split` agree on what that is)."""


def squeeze(text: str) -> str:
    """Runs of whitespace (line breaks too) made one space, none at the ends: how every field
    read from more than one line or from a flattened page is written (a SUBJECT wrapped onto two
    lines, a Classified By statement, an E.O. decl, a station name ``AMEMBASSY  BUENOS AIRES``)."""
    return " ".join(text.split())


def unspaced(text: str) -> str:
    """The text with all whitespace removed: how a spaced word is compared
    (``C O N F I D E N T I A L`` → ``CONFIDENTIAL``)."""
    return SPACES.sub("", text)


# --- two-digit years --------------------------------------------------------------------------
# One cut-off for every two-digit year the cables write: :func:`cables.ids.full_year`, 66–99 →
# 19xx, 00–65 → 20xx. Cable ids run from 1966 (66BUENOSAIRES2481) to 2010; a date-time group
# is the cable's own date, so the same span; a DECL date is a date after the cable's: on the
# mirror its two-digit years are 07–32 and 85 (``DECL: 12/20/07`` of 97WELLINGTON1656, ``DECL:
# 03/05/32`` of 07BEIJING1448, ``GDS 8/12/85`` of 79TEHRAN8980), and 00–65 cannot be a 1900s
# declassification date of a cable written from 1966 on (a DECL of 2051–2065 can be). The three
# readers cut at 66, 60 and 51 before; no record of the mirror differed (no DECL or DTG year of
# 51–65 occurs on it).


def year_as_written(text: str) -> int:
    """A year as a date writes it: four digits as they are, two digits by :func:`full_year`."""
    return full_year(text) if len(text) <= 2 else int(text)


# --- classification words ---------------------------------------------------------------------
# Pages write the classification in many shapes: spaced (C O N F I D E N T I A L), stuttered
# (UUNCLAS, CC O N F…, SS E C R E T), clipped (O N F I D E N T I A L, E C R E T), glued to the
# station (C O N F I D E N T I A LCAIRO), lower-cased (04ANKARA348). Each reader below needs a
# different strictness, so each has its own form.

CLASSIFICATION_LINE = re.compile(
    r"^[ \t]*(?:U?UNCLAS(?:SIFIED)?\b|C?C ?O ?N ?F ?I ?D ?E ?N ?T ?I ?A ?L\b|S?S ?E ?C ?R ?E ?T\b|"
    r"LIMITED OFFICIAL USE\b|O N F I D E N T I A L\b)",
    re.M | re.I,
)
"""A classification line that starts a cable body: spaced, mixed case (``C o n f i d e n t i a
l``, 04ANKARA348) and stuttered (``UUNCLAS``, ``CC O N F…``, ``SS E C R E T``) forms. Where the
debris glued before a body ends (:mod:`.preamble`)."""
CLASSIFICATION_LINE_HERE = re.compile(CLASSIFICATION_LINE.pattern[1:], re.I)
"""The same, tried where the text starts (no ``^`` to try at every character)."""

CLASSIFICATION_WORD = re.compile(
    r"(T ?O ?P +S ?E ?C ?R ?E ?T(?![A-Za-z])|(?<![A-Za-z])U*NCLAS(?:SIFIED)?(?![A-Za-z])"
    r"|C?\s?O\s?N\s?F\s?I\s?D\s?E\s?N\s?T\s?I\s?A\s?L|S?\s?E\s?C\s?R\s?E\s?T(?![A-Za-z])"
    r"|LIMITED +OFFICIAL +USE)",
    re.I,
)
"""The classification word of the body's classification line, searched in the front matter
(the loosest form: what it finds is the cable's classification). The spaced forms may lose
their first letter (``O N F I D E N T I A L BAGHDAD 000290``), be spaced unevenly (``CO N F I D
E N T I A L``, ``UUNCLAS``) or be glued to the station (``C O N F I D E N T I A LCAIRO``)."""

BODY_START = re.compile(
    r"^[ \t]*(?:UNCLAS\b|UNCLASSIFIED\b|C O N F I D E N T I A L\b|S E C R E T\b|CONFIDENTIAL\b|"
    r"SECRET\b(?![ \t]+SERVICE)|LIMITED OFFICIAL USE\b|L I M I T E D\b|BT\s*$)",
    re.M,
)
"""A line that ends the transmission header and starts the body (:mod:`.header`): upper case
only (a header is), and ``BT``, the separator some old cables print instead."""
BODY_START_LOOSE = re.compile(
    r"\bSECTION\s+\d+\s+OF\s+\d+\b|C O N F I D E N T I A L|S E C R E T|U N C L A S"
)
"""Classification lines that :data:`BODY_START` misses: ``SS E C R E T SECTION 01 OF 02 PARIS
1699``, a spaced word anywhere in the line."""
CLIPPED_CLASSIFICATION_PREFIXES = ("UNCLAS", "UUNCLAS", "CONFIDENTIAL", "ONFIDENTIAL", "SECRET", "ECRET",
                                   "LIMITEDOFFICIAL")
"""How a header line with its blanks removed starts when it is a misspaced or clipped
classification line (``CO N F I D E N T I A L``, ``E C R E T SANAA 473``, ``UUNCLAS MANAGUA
001002``)…"""
NOT_CLASSIFICATION = ("SECRETARY", "SECRETSERVICE")
"""…unless it starts with one of these words."""

FOOTER_CLASSIFICATION_WORDS = (
    r"(?:UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|C O N F I D E N T I A L|S E C R E T"
    r"|LIMITED OFFICIAL USE|L I M I T E D  ?O F F I C I A L  ?U S E)"
)
"""The classification as printed around a page break (an old page's footer, a later section's
head): whole words, upper case, evenly spaced."""

# "UNCLAS SECTION 01 OF 02 ASTANA 000038" / "C O N F I D E N T I A L TEHRAN 08980".
SERIAL_LINE = re.compile(
    r"^(?:(?:UNCLAS(?:SIFIED)?|C\s?O\s?N\s?F\s?I\s?D\s?E\s?N\s?T\s?I\s?A\s?L|S\s?E\s?C\s?R\s?E\s?T|"
    r"LIMITED\s+OFFICIAL\s+USE|E\s?F\s?T\s?O|NOFORN|SENSITIVE|EXDIS|NODIS|LIMDIS|STADIS|SIPDIS|"
    r"FOR\s+OFFICIAL\s+USE\s+ONLY|SECTION\s+\d+\s+OF\s+\d+|//|/|,)\s*)*"
    r"(?P<station>[A-Z][A-Z .'-]*?[A-Z])\s+0*(?P<serial>\d{1,7})\s*$"
)
"""The classification line as a whole (classification, handling words, ``SECTION 01 OF 02``),
read for the station and serial of the cable, from which a reference id is made when the
source states none (``UNCLAS SECTION 01 OF 02 ASTANA 000038``, ``C O N F I D E N T I A L TEHRAN
08980``)."""

# --- page-break and section lines -------------------------------------------------------------
# The message system printed a line at each page: ``ASTANA 00000038  001.2 OF 002`` (2000s:
# the serial zero-padded to 8 digits, page, page count; the station cut to 10 characters,
# ``BUENOS AIR``), ``PAGE 02 ROME 01196 01 OF 02 082030Z`` (old OASYS heads), and a head
# ``SECTION 02 OF 03`` at each later section. :mod:`.pagelines` removes them from the body;
# the header, front-matter and REF readers also meet them where the body's own cleaning has not
# reached (address blocks, flattened pages).

PAGE_COUNT = r"\d{3}(?:\.\d+)?[ \t]+OF[ \t]+\d{3}"
"""``001.2 OF 003``: the page (and its part) and the page count of a 2000s page line, in every
form below that reads one. The part may have two digits (``003.10 OF 003``, 09ROME558; three of
the five forms took one digit only and left such lines in the body; the inline form took
single blanks only)."""

PAGE_NUMBERS = re.compile(rf"(?<![\w/])(\d{{8}})[ \t]+{PAGE_COUNT}(?![\w/])")
"""The serial and page numbers of a 2000s page line, found from their literal `` OF 0`` (the
station before them is read apart: it may be glued to text, 10TRIPOLI… flattened pages)."""
PAGE_OF_AFTER = re.compile(rf"[ \t]+{PAGE_COUNT}")
"""What follows the serial of a page line (``001.2 OF 005``): a page line is no header line."""
OLD_PAGE_HEAD = re.compile(
    r"[ \t]*PAGE[ \t]+\d{1,3}[ \t]+(?:[A-Z][A-Z .]*?[ \t]+\d{4,6}(?:[ \t]+\d{2}[ \t]+OF[ \t]+\d{2})?"
    r"[ \t]+\d{6}Z|RUE\w+\d+)[ \t]*"
)
"""``PAGE 02 ROME 01196 01 OF 02 082030Z`` / ``PAGE 02 RUEHFRA1234 C O N F I D E N T I A L``:
an old OASYS page head, often glued before the first line of the page."""
PAGE_OF_LINE = re.compile(r"[ \t]*(?:\.\.\.[ \t]*)?PAGE[ \t]+\d{1,3}[ \t]+OF[ \t]+\d{1,3}[ \t]*$")
"""``PAGE 2 OF 3`` alone on its line."""
LATER_SECTION_LINE = re.compile(
    rf"[ \t]*(?:{FOOTER_CLASSIFICATION_WORDS}[ \t]+)?SECTION[ \t]+0*(?:[2-9]|[1-9]\d)[ \t]+OF[ \t]+\d+"
    r"(?:[ \t]+[A-Z][A-Z .'\-]*[ \t]+\d+)?[ \t]*$"
)
"""``C O N F I D E N T I A L SECTION 02 OF 03 ROME 003639``: the head of a later section (the
first section's head names the cable and stays)."""
OLD_PAGE_FOOTER = re.compile(rf"[ \t]+{FOOTER_CLASSIFICATION_WORDS}(?:[ \t]+PTQ\d+)?[ \t]*$")
"""The footer ``CONFIDENTIAL`` glued at the end of the line before an old page head."""
OLD_FOOTER_LINE = re.compile(rf"^[ \t]*{FOOTER_CLASSIFICATION_WORDS}(?:[ \t]+PTQ\d+)?[ \t]*$")
"""The same footer alone on its line."""

ADDRESS_BLOCK_NOISE_LINE = re.compile(
    r"^\s*(?:PAGE[ \t]+\d+\b.*"
    rf"|[A-Z][A-Z .]*[ \t]+\d{{5,8}}[ \t]+{PAGE_COUNT}"
    r"|\S{1,2}"
    r")\s*$"
)
"""Lines that can sit inside a header's address block without being an addressee: page
breaks of a printed telegram (``PAGE 02 STATE 023763 071504Z``, ``ASTANA 00000038  002 OF
002``), the ``BT`` separator, and one- or two-character debris (08ASMARA543)."""

STATION_SERIAL = re.compile(r"([A-Z][A-Z.'\- ]*?)[ \t]+0*(\d{1,6})\b")
"""A station and a serial as the first lines of a body write them (``SECTION 01 OF 03 TRIPOLI
000220``, ``C O N F I D E N T I A L NEW DELHI 001234``): where a page line glued to the text
learns which words before its serial are the station's (09LONDON207, 08TRIPOLI14)."""

INLINE_PAGE_MARK = re.compile(rf" 0{{3,}}(\d+) +{PAGE_COUNT}\b")
"""A page line carried inline in flattened front matter: ``TRIPOLI 00000201 001.2 OF 003``.
The match starts at the serial; the station name before it is the reader's to remove."""

PAGE_HEAD = (r"PAGE[ \t]+\d+(?:[ \t]+[A-Z][A-Z .'-]*?[ \t]+\d+)?(?:[ \t]+\d+[ \t]+OF[ \t]+\d+)?"
             r"(?:[ \t]+\d{6}Z)?")
"""An old page head as a REF block meets it (looser than :data:`OLD_PAGE_HEAD`: any of its
parts after ``PAGE 02`` may be missing)."""
PAGE_BREAK_LINE = re.compile(
    rf"^[ \t]*(?:[A-Z][A-Z .'-]*[ \t]+0{{2,}}\d+[ \t]+{PAGE_COUNT}|"
    rf"{PAGE_HEAD}|.*\bSECTION[ \t]+\d+[ \t]+OF[ \t]+\d+|"
    r"(?:[A-Z] ){4,}[A-Z]\b.*)[ \t]*$"
)
"""A page-break line inside a REF block: ``MADRID 00001952 001.2 OF 002``, ``PAGE 02 HARARE
05461 01 OF 02 271458Z``, ``SECTION 02 OF 03``, ``C O N F I D E N T I A L SECTION 02 OF 03 …``."""
PAGE_FOOTER_WORDS = ("UNCLASSIFIED", "CONFIDENTIAL", "SECRET", "LIMITED OFFICIAL USE")
"""The classification as an old page head prints it at the end of a line of a REF block."""
PAGE_BREAK_GLUED = re.compile(
    rf"(?:(?<=\s){PAGE_HEAD}|"
    r"(?<=\s)[A-Z][A-Z .'-]*?[ \t]+\d{8}[ \t]+\d{3}(?:\.\d+)?(?:[ \t]+OF[ \t]+\d{3})?|"
    rf"(?<=\s)(?:{'|'.join(PAGE_FOOTER_WORDS)})(?=[ \t]*(?:\n|$)))"
)
"""The same glued to a line of a REF block: ``BRASILIA 882 BRASILIA 00000888 001.2 OF 002``,
``HARARE 5346 CONFIDENTIAL`` (the old page head's classification)."""

# --- paragraph starts -------------------------------------------------------------------------

PARAGRAPH_START = re.compile(
    r"\n[ \t]*(?:¶[ \t]*)?(?P<number>\d{1,3})(?P<delimiter>[ \t]?\.(?![\d.])|\)|[ \t]+(?=\())[ \t]*"
    r"(?:\((?P<marking>[^()\n]{1,45})\)[ \t]*)?"
)
"""``1. (C)``, ``¶2.``, ``3)``, ``4 (SBU)``: the line that opens a numbered paragraph, with its
number, delimiter and the marking in parentheses. Matched on the text with a "\\n" put before
it (the scan runs on the literal newline). The paragraph, summary and signature readers."""

FIRST_PARAGRAPH_LINE = re.compile(r"[ \t]*¶?1[ \t]*\.(?!\d)")
"""``1.`` opening a line (matched at the text's start): where the front matter ends. Any
``1.`` not followed by a digit (``1.2`` is a page number) counts."""
FIRST_PARAGRAPH_AFTER_NEWLINE = re.compile(r"\n[ \t]*¶?1[ \t]*\.(?!\d)")
"""The same searched from the newline before its line."""

REF_FIRST_PARAGRAPH = re.compile(r"^[ \t]*(?:1[ \t]*\.[ \t]*\(|1\.[ \t]+[A-Z]|¶ ?1\b)", re.M)
"""Paragraph 1 as the REF reader takes it (where the REF blocks of the front matter end):
``1.`` with a marking ``(C)`` or a blank and a capital after it, or ``¶1`` / ``¶ 1`` (no dot
needed). Stricter than :data:`FIRST_PARAGRAPH_LINE` on ``1.KEY POINTS`` (09CAIRO1059),
``1...`` (06LIMA1358) and ``1. all 14-bit ADCs`` (05THEHAGUE484); looser on ``¶ 1`` (the PDF
release's pilcrow). On the mirror the REF reader gives the same references with either form
(measured: no record differs), so the two could become one; kept apart until a page decides."""
REF_FIRST_PARAGRAPH_AFTER_NEWLINE = re.compile(r"\n[ \t]*(?:1[ \t]*\.[ \t]*\(|1\.[ \t]+[A-Z]|¶ ?1\b)")
"""The same searched from the newline before its line."""
INLINE_FIRST_PARAGRAPH = re.compile(r"1(?<=\s1)[ \t]*\.(?!\d)")
"""``1.`` after a blank inside a line: paragraph 1 on the REF line of a flattened page
(``… 1.  In response to reftel``)."""
MARKED_PARAGRAPH_ONE = re.compile(r"1(?<=\s1)\.[ \t]*\(")
"""``1. (`` after a blank: paragraph 1 with a marking, where a Classified By statement that
runs inline ends."""

# --- paragraph markings -----------------------------------------------------------------------

SHORT_MARKINGS = r"(?:U|C|S|SBU|S/NF|C/NF|FOUO)"
"""The markings that tell a marked paragraph ``1. (C)`` from a labelled list item in a REF
block: the common ones only."""
MARKED_FIRST_PARAGRAPH = re.compile(r"1(?<=\s1)[ \t]*\.[ \t]*\(" + SHORT_MARKINGS + r"\)")
"""``1. (C)`` after a blank with one of :data:`SHORT_MARKINGS`: paragraph 1 glued to a REF
block's last line in a flattened page."""

PARAGRAPH_MARKING = re.compile(
    r"^(?:U|SBU|C|S|TS|SE|SB|SU|NC|SNF|LOU|FOUO|SECRET|CONFIDENTIAL|UNCLASSIFIED|UNCLAS)"
    r"(?:[ \t]*(?:/{1,2}|-|[ \t])[ \t]*[A-Za-z][A-Za-z ,./]*)?$",
    re.I,
)
"""What the parentheses after a paragraph number hold when they are a marking (not text):
a classification, its typos (``SE``, ``SB``, ``SU``, ``NC``), and a caveat after ``/``, ``//``,
``-`` or a blank (``S/NF``, ``C/REL UK``, ``S//NOFORN``, ``C - ENTIRE TEXT``)."""
LEADING_MARKING = re.compile(
    r"^\((?:U|C|S|TS|SBU|LOU|FOUO|NF|U//FOUO|U/FOUO|C/NF|S/NF|C//NF|S//NF|SBU/NF|U/SBU|S/REL[^)]*)\)\s*",
    re.I,
)
"""A marking opening a subject (``SUBJECT: (C) …``), with the blanks after it."""
TRAILING_MARKING = re.compile(r"\s+\((?:U|C|S|SBU|C/NF|S/NF|S//NF|C//NF|U//FOUO)\)$", re.I)
"""A marking closing a subject: State's subjects may carry it at the end (``…GRAPHITE CASE
(S)``)."""
