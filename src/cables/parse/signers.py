"""The end of the cable: the signature, the trailers after it, the end of a quoted cable.

Signers are upper-cased surnames as signed (``VAN VOORST``, ``TIMKEN JR``): the corpus writes the
same signer ``van Voorst`` and ``VAN VOORST``, and one spelling makes them comparable. The
signature is looked for from the last line up, past trailers (``NNNN``, classification
footers, "Visit … Classified Website" lines, debris); the text before it is the cable's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .memo import remember_last
from .grammar import PARAGRAPH_START, squeeze

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
_HARD_ENDS = (("=CABLE END", "="), ("SELECT * FROM `cable`", "`"))  # (mark, a rare character of it)
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


@remember_last
def signature(body: str) -> tuple[int, tuple[str, ...]]:
    """The offset where the signature (or the trailers, when unsigned) starts, and its names.

    The paragraph and signer readers both need it for the same body, one after the other: the
    last answer is kept.
    """
    return _find_signature(body)


def _find_signature(body: str) -> tuple[int, tuple[str, ...]]:
    end = len(body)
    tail = body[-4000:]
    # every hint holds a lower-case "e", which one memchr finds (or not: upper-case cables)
    if "e" in tail and ("Leave a Reply" in tail or "Advertisements" in tail or "bloggers like this" in tail
                        or "Post a comment" in tail):
        end = _boilerplate_start(body)
    for mark, rare in _HARD_ENDS:
        if body.find(rare, max(0, end - 3000), end) < 0:  # one memchr rules most pages out
            continue
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
        signed = _line_signature(line)
        if signed:
            return start + signed[0], signed[1]
        return trailer_start, ()
    return trailer_start, ()


# Only the end of a long (flattened) line can hold a signature or a trailer.
_LINE_TAIL = 200


@lru_cache(maxsize=4096)
def _is_trailer(line: str) -> bool:
    return len(line) <= 300 and _TRAILER_LINE.match(line) is not None


def _strip_line_trailers(line: str) -> str:
    cut = max(0, len(line) - _LINE_TAIL)
    tail = line[cut:]
    if not _may_end_in_trailers(tail):
        return line
    return line[:cut] + _LINE_TRAILERS.sub("", tail)


def _may_end_in_trailers(text: str) -> bool:
    """Whether _LINE_TRAILERS can match: its last piece ends the line (blanks aside) with
    ``N``, a quote, comma or backslash, a digit, ``Text``, or is ``… - anything``."""
    last = text.rstrip(" \t")[-1:]
    return bool(last) and (last in _TRAILER_LAST_CHARS or last.isdigit() or text.rstrip(" \t").endswith("Text")
                           or "-" in text)


_TRAILER_LAST_CHARS = frozenset("N\",'\\")


@lru_cache(maxsize=4096)
def _line_signature(line: str) -> tuple[int, tuple[str, ...]] | None:
    """The signature on the last line of the cable: the whole line, or glued at its end."""
    if len(line.strip()) <= 60:
        names = _signer_names(_LEADING_JUNK.sub("", line))
        if names:
            return 0, names
    cut = max(0, len(line) - _LINE_TAIL)
    tail = _REDACTION.sub(lambda m: " " * len(m.group()), line[cut:])  # offsets kept
    glued = None
    if _ends_like_a_name(tail):
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
    rest = squeeze(_WEBSITE_JUNK.sub(" ", text))
    name = _TRAILING_NAME_WORDS.search(rest)
    return name.group(0) if name else ""


_REDACTION = re.compile(r"X{6,}")
_NAME_LAST_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'-")


def _ends_like_a_name(text: str) -> bool:
    """Whether a glued signature can end ``text``: both patterns end on a name's letter, an
    apostrophe or a hyphen, then blanks and dots only."""
    return text.rstrip(" \t.")[-1:] in _NAME_LAST_CHARS


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
    tail = body[tail_start:end]
    if "eb" not in tail and "EB" not in tail and "Eb" not in tail and "eB" not in tail:
        return None  # "website" and "web site" hold "eb" in some case: cheaper than lower()
    lower = tail.lower()
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


_NAME_SEPARATORS = re.compile(r"[ \t]*[/,&][ \t]*")


def _signer_names(line: str) -> tuple[str, ...]:
    """The surnames of a signature line (``VAN VOORST``, ``Leslie BASSETT``, ``KUBISKE KUBISKE``)."""
    m = _SIGNER_LINE.match(line)
    if not m or len(line.strip()) > 40 or _ADDRESS_LINE.match(line):
        return ()
    raw = (m.group("names") or m.group("lower")).strip().rstrip(".").strip()
    parts = [p for p in _NAME_SEPARATORS.split(raw) if p]
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
    return signature(body)[1]


_BOILERPLATE_AFTER = re.compile(
    r"^[ \t]*(?:Wikileaks|Advertisements|Share this:|Like this:|Related|Post a comment\b.*|Leave a Reply"
    r"|Fill in your details below.*|Posted in\b.*|Tags?:.*|Comments?\b.*|Trackback.*)[ \t]*$",
    re.M | re.I,
)


def find_cable_end(text: str) -> int:
    """Where a quoted cable ends in a page that quotes it: after its signature line.

    The blog boilerplate (``Wikileaks``, ``Advertisements``, ``Leave a Reply``…) is looked for
    after the last numbered paragraph; the cable ends after the signature found before it, or
    where the boilerplate starts when there is no signature. ``len(text)`` when nothing follows.
    """
    limit = _boilerplate_start(text)
    start, names = signature(text[:limit])
    if names:
        line_end = text.find("\n", start, limit)
        return limit if line_end < 0 else line_end
    return len(text[:limit].rstrip()) if limit < len(text) else len(text)


def _boilerplate_start(text: str) -> int:
    """Where blog boilerplate starts after the cable's last paragraph (``len(text)`` if none)."""
    last = None
    for last in PARAGRAPH_START.finditer("\n" + text):
        pass
    position = last.end() - 1 if last else 0
    boiler = _BOILERPLATE_AFTER.search(text, position)
    return boiler.start() if boiler else len(text)
