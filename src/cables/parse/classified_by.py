"""``Classified By: Deputy Chief of Mission Daniel A. Russell. Reason 1.4 (b, d)`` → who and why.

The statement sits in the front matter (after SUBJECT/REF) or inside paragraph 1; it is found by
its words (not ``DECLASSIFIED BY``) within the body's first 10,000 characters, and read into the
official's name and title, the reasons and the statement on one line.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..record import ClassifiedBy
from .grammar import MARKED_PARAGRAPH_ONE as _MARKED_PARAGRAPH_ONE, squeeze as _squeeze

_CLASSIFIED_BY_CHARS = 10000
"""``Classified By`` may follow a long REF list or sit inside paragraph 1 (02ANKARA8305)."""
_CLASSIFIED_BY_MARK = re.compile(r"(?=C)(?<![A-Z])CLASSIFIED[ \t]*\n?[ \t]*BY\b[ \t]*:?", re.I)


_REASON_WORD = re.compile(
    r"(?=[FPREUS1])(?:(?:\b(?:f\s?o\s?r|per)\s+)?(?:\bE\.\s?O\.\s*1\d{4},?\s*)?\br\s?e\s?a\s?s\s?o\s?n\s?s?\b\s*:?"
    r"|\bp\s?e\s?r\s+(?=1\s?\.)|\b(?:under\s+)?section\s+(?=1\s?\.)|\bE\.\s?O\.\s*1\d{4}"
    r"|(?<![\d.])1\s?[.,]\s?[4-6]\s*(?=\(|[a-h]\b))",
    re.I,
)
"""Where the reasons begin: ``for reasons``, ``Reason:``, ``per 1.4``, ``E.O. 12958 1.4``, or the
bare ``1.4 (b)``; also wrapped mid-word (``for rea sons``)."""
_REASON_CODE = re.compile(r"(?<![\d.])1\s?[.,]\s?([4-6])(?!\d)")
# "and" may be wrapped mid-word ("1.4(b) a\nnd (d)", 09BERLIN1167; "a nd" once the statement is
# on one line): it is not the letter a.
_WRAPPED_AND = r"(?<![A-Za-z])a\s+nd\b"
_LETTER_RUN = re.compile(
    rf"(?:[\s(),&/+-]|\band\b|{_WRAPPED_AND}|\bor\b|(?<![A-Za-z])[a-h](?![A-Za-z]))+", re.I)
_LETTER = re.compile(rf"{_WRAPPED_AND}|(?<![A-Za-z])([a-h])(?![A-Za-z])|(-)", re.I)
_STATEMENT_END = re.compile(r"\n[ \t]*\n|\s1\.[ \t]*\(|-{5,}| {3,}|\bSUMMARY\b")
"""Where a statement ends; :func:`_statement_end` finds its first match without scanning for it."""
_AFFAIRES = re.compile(r"\bd\s*,\s*affaires\b", re.I)
_TITLE_WORDS = frozenset("""
ambassador amb amb. ambassador-designate charge chargé charg d'affaires daffaires cda dcm
deputy chief of mission political economic econ pol polcouns polcounselor poloff econoff
counselor counsellor minister consul general principal officer offficer acting section head
director secretary assistant under affairs public management regional security rso defense
attache datt mc m/c p/e p/m mil polmil senior advisor adviser coordinator special envoy
representative permanent alternate u.s. us usun a.i. interagency provincial legal commercial
agricultural labor consular the and for office in staff polecon econpol a/s das pdas nea io eur
wha af sca eap isn inr drl mincouns polmincouns polmilcouns econcouns ministercounselor pao esth
a/dcm a/pol a/econ pol-econ d’affaires unit dir cg po desk chargé de affairs ecpo est epol internal
global issues ait watch cheif actiing com pm polmc econmincouns executive
""".split())
"""Words of an official's title (lower case; hyphen and slash compounds are split first)."""
_REPEATED_MARK = re.compile(r"classif\w*\s+(?:confidential\s+)?by\b\s*:?", re.I)
_NAME_SUFFIX = re.compile(r"^(?:Jr|Sr|II|III)\.?$", re.I)


_SENTENCE_END = re.compile(r"\.\s+(?=[A-Z(])")
_CLOSING_PARENTHESIS = re.compile(r"\s?\)")
_TRAILING_FOR = re.compile(r"(?i)[\s,;:.]*\b(?:for|per|by)\s*$")
_COMMA_OR_SEMICOLON = re.compile(r"[,;]")
_HYPHEN_OR_SLASH = re.compile(r"[-/]")


def parse_classified_by(body: str) -> ClassifiedBy | None:
    """``Classified By: Deputy Chief of Mission Daniel A. Russell. Reason 1.4 (b, d)``.

    Gives the official's name and title (the title words before the name, or the comma part
    after it: ``Chris Stevens, CDA, Embassy Tripoli``), the reasons as ``1.4(b)``… (E.O. 12958's
    1.5 too; ``1.5(b)-(d)`` spans b to d), and the whole statement on one line.
    """
    head = body[:_CLASSIFIED_BY_CHARS]
    m = _find_classified_by(head)
    if not m:
        return None
    end = _statement_end(head, m.end())
    raw = head[m.end() : end if end is not None else min(len(head), m.end() + 400)]
    return _classified_by_statement(head[m.start() : m.end()], raw)


@lru_cache(maxsize=4096)
def _classified_by_statement(mark: str, raw: str) -> ClassifiedBy | None:
    """The statement after its mark, read (cached: an official classifies many cables in the
    same words, and the records are immutable)."""
    statement = _squeeze(raw)
    repeated = _REPEATED_MARK.match(statement)  # "Classified By: CLASSIFIED BY POLOFF…"
    if repeated:
        statement = statement[repeated.end() :].lstrip()
    reason_at = _REASON_WORD.search(statement)
    reasons: tuple[str, ...] = ()
    if reason_at:
        who = statement[: reason_at.start()]
        reasons, reasons_end = _reasons(statement, reason_at.start())
        if reasons_end:
            statement = statement[:reasons_end]
    else:
        statement = _first_sentence(statement)
        who = statement
    name, title = _name_and_title(who)
    cut_short = False  # when cut short, the statement stays, with what is sure of it
    if name is not None and _cut_word(who) is not None:
        cut_short = True
        name = _name_cut_short(name, who)
    if not (name or title or reasons or cut_short):
        return None
    text = _squeeze(mark) + " " + statement.rstrip()
    return ClassifiedBy(name=name, title=title, reasons=reasons, text=text)


def _statement_end(head: str, start: int) -> int | None:
    """Where _STATEMENT_END first matches from ``start`` on (searched, the alternation would be
    tried at every character). The blank line that usually ends the statement is searched
    first; each other shape opens on a literal and is looked for only before the best so far
    (a match starting before a newline ends before it). The earliest start wins."""
    blank_line = _BLANK_LINE.search(head, start)
    best = blank_line.start() if blank_line else len(head)
    marked = _MARKED_PARAGRAPH_ONE.search(head, start + 1, best)  # "\s1.(": from its blank
    if marked:
        best = marked.start() - 1
    for literal in ("-----", "   "):
        at = head.find(literal, start, min(len(head), best + len(literal) - 1))
        if at >= 0:
            best = at
    at = head.find("SUMMARY", start, min(len(head), best + 6))
    while at >= 0:
        if _SUMMARY_WORD.match(head, at):
            best = at
            break
        at = head.find("SUMMARY", at + 1, min(len(head), best + 6))
    return best if best < len(head) else None


_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SUMMARY_WORD = re.compile(r"\bSUMMARY\b")


def _find_classified_by(head: str) -> re.Match[str] | None:
    """The first ``Classified By`` (not ``DECLASSIFIED BY``), found with ``str.find`` on the
    upper-cased text first: a case-insensitive regex over 10,000 characters is the slowest step
    of the front matter. The statement is mostly in the first lines: those are upper-cased
    first, the rest only when it is not there."""
    searched = 0
    for size in (_CLASSIFIED_BY_FIRST_CHARS, len(head)):
        part = head[:size]
        upper = part.upper()
        if len(upper) != len(part):  # a character whose capital is longer shifts the positions
            return _CLASSIFIED_BY_MARK.search(head)
        at = upper.find("CLASSIFIED", searched)
        while at >= 0:
            m = _CLASSIFIED_BY_MARK.match(head, at)
            if m:
                return m
            at = upper.find("CLASSIFIED", at + 10)
        if size >= len(head):
            break
        searched = size - 9  # a word cut at the end of the part is found in the whole
    return None


_CLASSIFIED_BY_FIRST_CHARS = 2000


def _first_sentence(text: str) -> str:
    m = _SENTENCE_END.search(text)
    return text[: m.start() + 1] if m else text


def _reasons(statement: str, start: int) -> tuple[tuple[str, ...], int]:
    """The reasons from ``start`` on (``1.4(b)``, ``1.4(d)``) and where they end."""
    found: list[str] = []
    end = 0
    while True:
        code = _REASON_CODE.search(statement, end or start)
        if not code or code.start() - (end or start) > 40:
            break
        section = code.group(1)
        letters, letters_end = _reason_letters(statement, code.end())
        if letters:
            found.extend(f"1.{section}({letter})" for letter in letters)
            end = letters_end
        else:
            found.append(f"1.{section}")
            end = code.end()
    if end < len(statement) and statement[end : end + 1] == ".":
        end += 1
    return tuple(dict.fromkeys(found)), end


def _reason_letters(statement: str, pos: int) -> tuple[list[str], int]:
    """The letters after ``1.4``: ``(b) and (d)``, ``b/d``, ``(b,d)``, ``(b)-(d)`` (b to d)."""
    if statement.startswith(".(", pos):  # "Reason 1.4.(d)"
        pos += 1
    run = _LETTER_RUN.match(statement, pos)
    if not run:
        return [], pos
    letters: list[str] = []
    end = pos
    span = False
    for m in _LETTER.finditer(run.group(0)):
        if not m.group(1) and not m.group(2):  # a wrapped "and"
            continue
        if m.group(2):
            span = bool(letters)
            continue
        letter = m.group(1).lower()
        if span:
            letters.extend(chr(c) for c in range(ord(letters[-1]) + 1, ord(letter) + 1))
        else:
            letters.append(letter)
        span = False
        end = pos + m.end()
    rest = statement[end : end + 3]
    closing = _CLOSING_PARENTHESIS.match(rest)
    if closing:
        end += closing.end()
    return list(dict.fromkeys(letters)), end


_CUT_WORD = re.compile(r"(\S*\w)(?:\.{3}|…)\s*$")
"""A statement the site cut short: ``Classified By: Ambassador Cl...`` (05THEHAGUE2064)."""


def _cut_word(text: str) -> re.Match[str] | None:
    """``_CUT_WORD.search(text)``, tried only on a text that ends as it must: the search tries
    the word pattern at every character (half the reading of a statement, when it was tried on
    each)."""
    if not text.rstrip().endswith(("...", "…")):
        return None
    return _CUT_WORD.search(text)


def _name_cut_short(name: str, who: str) -> str | None:
    """The name of a statement cut short in its last word: without that word, and none when less
    than a given name and a surname is left (``A...``, 04THEHAGUE1919; ``Andrew Schof...``):
    a fragment is no name."""
    cut = _cut_word(who)
    if cut is None or not name.rstrip(".…").endswith(cut.group(1)):
        return name  # the cut is in the title or after the name
    whole, _ = _name_and_title(who[: cut.start(1)])
    return whole if whole and len(whole.split()) >= 2 else None


@lru_cache(maxsize=4096)
def _name_and_title(who: str) -> tuple[str | None, str | None]:
    """Split ``Deputy Chief of Mission Daniel A. Russell`` or ``Chris Stevens, CDA, Embassy…``."""
    who = _AFFAIRES.sub("d'Affaires", who)
    who = _TRAILING_FOR.sub("", who).strip(" ,.;:")
    if not who or who.lower().startswith("derived from"):
        return None, None
    parts = [p.strip(" .;:") for p in _COMMA_OR_SEMICOLON.split(who) if p.strip(" .;:")]
    name: str | None = None
    title: str | None = None
    for index, part in enumerate(parts):
        words = part.split()
        lead = 0
        while lead < len(words) and _is_title_word(words[lead]):
            lead += 1
        if lead and title is None:
            title = " ".join(words[:lead])
        rest = " ".join(words[lead:])
        if rest and name is None:
            name = rest
            if index + 1 < len(parts) and _NAME_SUFFIX.match(parts[index + 1]):
                name += ", " + parts[index + 1] + ("." if not parts[index + 1].endswith(".") else "")
        if name and title:
            break
    return name or None, title or None


@lru_cache(maxsize=4096)
def _is_title_word(word: str) -> bool:
    word = word.lower().strip(",.")
    if word in _TITLE_WORDS or word + "." in _TITLE_WORDS:
        return True
    if "/" in word and word.upper() == word.upper() and len(word) <= 8 and word.replace("/", "").isalpha():
        return True  # office symbols: ISN/CB, S/ES, E/Pol
    pieces = [p for p in _HYPHEN_OR_SLASH.split(word) if p]
    return bool(pieces) and all(p in _TITLE_WORDS for p in pieces)
