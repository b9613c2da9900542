"""What a word is, once: the analyzer both full-text indexes, the queries and the snippets use.

A text becomes a list of *terms*, and a term's position is its place in that list:

1. **Folding**: compatibility decomposition (NFKD), combining marks removed, lower case
   (``Müller`` → ``muller``, ``ﬁle`` → ``file``).
2. **Tokens**: the runs of letters and digits of the folded text (``[^\\W_]+``: what
   ``str.isalnum`` calls letters and digits, in any script). Everything else separates, the
   apostrophe too: ``minister's`` is ``minister`` and ``s``, ``U.S.`` is ``u`` and ``s``,
   ``el-Jahmi`` is ``el`` and ``jahmi``. A run longer than :data:`LONGEST_WORD` is no word
   (PostgreSQL refuses lexemes over 2 KB; such runs are tables of X's and encodings, not words).
3. **Stop words** (:data:`STOP_WORDS`, PostgreSQL's and Snowball's English list) are dropped,
   and they take no position: positions count the kept words only. So ``minister's`` is the
   term ``minist`` (``s`` is a stop word) and finds ``minister's``, ``ministers`` and
   ``minister`` alike, and the phrase ``"end of summary"`` is the terms ``end summari``, which
   also match a text reading "end summary". The same rule on both sides (index and query) and on
   both backends is what makes them agree.
4. **Stems**: the Snowball English stemmer (``negotiations`` → ``negoti``), in C (PyStemmer:
   1 µs a word where the pure-Python snowballstemmer takes 40, which at ingest cost each parsing
   process 3 s over the mirror's 88,379 words; both give the same stem for every one of them), and
   cached: the same few ten thousand words come back in every cable. The stems are what the
   indexes hold: a stemmer of another Snowball version may stem otherwise (then ``cables
   reindex``).

The indexes hold terms only, never text, and their engines neither stem nor fold again (SQLite's
FTS5 gets the terms joined by spaces and splits them at the spaces; PostgreSQL gets a tsvector
literal). :func:`index_form` adds the limits of PostgreSQL's tsvector as a rule both backends
apply, so that phrases match alike on the longest bodies too.
"""

from __future__ import annotations

import codecs
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

try:
    import Stemmer as _stemmer_library  # PyStemmer: Snowball's C stemmers
except ImportError:  # pragma: no cover - the same Snowball algorithms, generated in Python
    _stemmer_library = None
    import snowballstemmer

# PostgreSQL's (and Snowball's) English stop-word list.
STOP_WORDS = frozenset("""
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her
hers herself it its itself they them their theirs themselves what which who whom this that these
those am is are was were be been being have has had having do does did doing a an the and but if or
because as until while of at by for with about against between into through during before after
above below to from up down in out on off over under again further then once here there when where
why how all any both each few more most other some such no nor not only own same so than too very
s t can will just don should now
""".split())

LONGEST_WORD = 100
TOKEN = re.compile(r"[^\W_]+")

# --- folding and stems --------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without accents: ``Müller`` → ``muller``, ``ＭÜＬＬＥＲ`` → ``muller``.

    Lower case before and after the decomposition: ``İ`` lowers to ``i`` and a combining dot
    (removed), a compatibility form may decompose to a capital (``ℍ`` → ``H``).
    """
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return _NON_ASCII.sub(_without_combining, decomposed).lower()


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")  # a cable's few: only they are looked at one by one


def _without_combining(match: re.Match) -> str:
    return "".join(ch for ch in match.group() if not unicodedata.combining(ch))


_local = threading.local()
# folded token → its term, or "" for a token that is no term (a stop word, a run too long)
_terms: dict[str, str] = dict.fromkeys(STOP_WORDS, "")
CACHE_SIZE = 500_000


def stem(word: str) -> str:
    """The Snowball English stem of a folded word (``negotiations`` → ``negoti``), uncached.

    A Snowball stemmer keeps the word it works on in itself, so two threads sharing one corrupt
    each other's words (the web server's threads did: IndexError in find_among_b); each thread
    has its own.
    """
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = (_stemmer_library.Stemmer("english", 0) if _stemmer_library
                                    else snowballstemmer.stemmer("english"))
    return stemmer.stemWord(word)


def term(token: str) -> str:
    """The term of a folded token: its stem, or ``""`` when the token is no term."""
    found = _terms.get(token)
    if found is None:
        found = stem(token) if len(token) <= LONGEST_WORD else ""
        if len(_terms) >= CACHE_SIZE:  # bounded (a dict is faster than lru_cache here: hot at ingest)
            _terms.clear()
            _terms.update(dict.fromkeys(STOP_WORDS, ""))
        _terms[token] = found
    return found


def tokens(text: str) -> list[str]:
    """The folded tokens of a text, in order (stop words too): ``TOKEN.findall(fold(text))``.

    Most cables are ASCII: a byte table folds and splits them at once, 2x the regex. Most of the
    others are ASCII but for typographic quotes, dashes, accented letters, U+2028: the ASCII
    encoder replaces each run of those characters by its fold, its non-alphanumeric characters
    as spaces (:func:`_ascii_fold`), and the text takes the byte table too (a mirror cable of
    that kind took 0.47 ms folded whole, 0.11 so). A text with letters of another script is
    folded whole.
    """
    try:
        data = text.encode("ascii", _FOLD_ERRORS)
    except _NotAscii:
        return TOKEN.findall(fold(text))
    return data.translate(_ASCII_TOKENS).decode("ascii").split()


# ASCII letters lowered, digits kept, every other byte a space: what fold() then TOKEN do to ASCII
_ASCII_TOKENS = bytes(c + 32 if 65 <= c <= 90 else c if 48 <= c <= 57 or 97 <= c <= 122 else 32
                      for c in range(256))
_ascii_folded: dict[str, str] = {}


class _NotAscii(Exception):
    """A character whose fold is not ASCII: the text is folded whole."""


def _encode_folded(error: UnicodeEncodeError) -> tuple[str, int]:
    """The ASCII encoder's handler of :func:`tokens`: a run of non-ASCII characters folded."""
    run = error.object[error.start:error.end]
    folded = "".join([_ascii_fold(ch) for ch in run])
    if not folded.isascii():
        raise _NotAscii()
    return folded, error.end


# named after the module: codecs' registry is one for the process, and a second copy of this
# module (the tests' plain-Python one beside the compiled one) must not take over this one's name
_FOLD_ERRORS = f"{__name__}.fold"
codecs.register_error(_FOLD_ERRORS, _encode_folded)


def _ascii_fold(ch: str) -> str:
    """What a non-ASCII character is in the folded text, its non-alphanumeric characters as
    spaces (``’`` → `` ``, ``é`` → ``e``, ``ﬁ`` → ``fi``); the character itself when that is not
    ASCII (the text is then folded whole).

    The fold of a text is the fold of each of its characters: the decomposition's reordering
    moves only combining marks, which folding removes, and the one lower case that depends on
    the letters around it, a capital sigma's (final or not), is Greek either way. Checked for
    the characters of every script cables hold, between letters and beside a sigma
    (tests/test_words.py; every character of Unicode passes too)."""
    found = _ascii_folded.get(ch)
    if found is None:
        found = "".join([c if c.isalnum() else " " for c in fold(ch)])
        if not found.isascii():
            found = ch
        if len(_ascii_folded) >= CACHE_SIZE:  # bounded: any text may bring new characters
            _ascii_folded.clear()
        _ascii_folded[ch] = found
    return found


def terms(text: str) -> list[str]:
    """The terms of a text in order: the term at index ``i`` has position ``i + 1``."""
    found = tokens(text)
    known = list(map(_terms.get, found))  # one dict lookup a token, in C
    if None in known:  # words not seen yet: each analyzed once, then looked up again
        for token in set(found).difference(_terms):
            term(token)
        known = list(map(_terms.get, found))
    return list(filter(None, known))


def analyze(text: str) -> list[tuple[int, str]]:
    """(position, term) of each word of a text that is a term, positions from 1."""
    return list(enumerate(terms(text), 1))


# --- prefixes ----------------------------------------------------------------------------------

# Endings after which the stemmer cuts a word back inside the word: words starting with
# "negotiat" end "ion", "e", "ing"…, and their stem "negoti" no longer starts with "negotiat".
# The endings after which Snowball cut the stem of a word of the mirror back inside the word,
# most frequent first: these 120 cover every (prefix, word) pair of the mirror's 88,379 distinct
# words (the first 80, all but 6 in a million).
CUT_ENDINGS = (
    "", "s", "d", "ng", "g", "y", "e", "on", "n", "ed", "l", "ly", "ing", "r", "tion", "ion", "t",
    "nt", "ons", "ns", "rs", "es", "c", "ty", "te", "ble", "le", "ted", "lly", "ve", "ess", "ss",
    "ting", "ent", "tions", "ions", "nce", "ce", "us", "ation", "ts", "al", "nts", "sm", "m", "ity",
    "zed", "tes", "ngs", "gs", "lity", "zation", "ze", "zing", "ally", "ely", "cal", "ls", "cally",
    "ents", "ies", "ul", "ment", "ness", "bility", "ility", "vely", "onal", "nal", "bly", "ties",
    "ngly", "gly", "cs", "ntly", "tly", "usly", "sly", "tive", "ive", "cation", "red", "zes", "i",
    "ncy", "cy", "tor", "or", "nces", "ces", "ully", "ring", "dly", "eness", "ves", "ations",
    "ments", "tely", "veness", "tors", "ors", "ism", "ized", "lism", "lized", "er", "ization",
    "lization", "lizing", "izing", "tional", "ional", "ize", "ers", "lize", "able", "oned", "ned",
    "ities", "cations",
)


@lru_cache(maxsize=4096)
def prefix_terms(prefix: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What a folded ``prefix`` (``negotiat*``) matches in an index of terms: (prefixes of terms,
    whole terms).

    A word starting with the prefix has a term that starts with the prefix (``minist*``:
    ministry → ministri), or that the stemmer cut back inside the prefix (negotiation →
    ``negoti``). Those are the stems of the prefix followed by an ending the stemmer cuts
    (:data:`CUT_ENDINGS`), matched as whole terms: ``negotiat*`` is ``negotiat*`` or ``negoti``;
    ``policy*`` is ``policy*`` or ``polici``. What it finds beyond the words starting so are the
    words sharing a term with one of them (``negotiable``: ``negoti``), which no index of terms
    can tell apart. One rule for both backends and the highlighting.
    """
    cut = {term for ending in CUT_ENDINGS if not (term := stem(prefix + ending)).startswith(prefix)}
    return (prefix,), tuple(sorted(cut))


# --- the form both indexes are built from -------------------------------------------------------

# PostgreSQL's tsvector: positions 1..16,383 (a larger one is stored as 16,383), 256 positions kept
# per lexeme (more are dropped), 1 MB per vector. Applied as rules on both backends.
MAX_POSITION = 16_383
MAX_OCCURRENCES = 256
SUBJECT_TERMS = 1_000
TAIL_BYTES = 500_000


@dataclass(frozen=True, slots=True)
class IndexedText:
    """A cable's subject and body as both indexes hold them.

    ``subject`` and ``body``: the terms in order, ``None`` where a term occurs beyond its
    :data:`MAX_OCCURRENCES`-th time in the cable (the place stays: it is indexed under no term,
    so no phrase can match across it). ``tail``: the distinct terms found only after the body's
    last indexed place (beyond :data:`MAX_POSITION`); they are indexed as words, and no phrase
    matches them.

    The places PostgreSQL gives them (:func:`positions`): the subject from 1, the body from
    the subject's length + 2 (a place left empty, so no phrase runs from the subject into the
    body: on SQLite they are two columns), up to ``MAX_POSITION - 2``; the tail at
    ``MAX_POSITION``, one empty place after the body. SQLite's FTS5 gets the same lists, a filler
    token (``_``, which no query term can be) standing for each ``None`` and between tail terms.
    """

    subject: tuple[str | None, ...]
    body: tuple[str | None, ...]
    tail: tuple[str, ...] = ()

    @property
    def body_start(self) -> int:
        return len(self.subject) + 2


def index_form(subject: str | None, body: str | None) -> IndexedText:
    """The terms of a cable's subject and body as both indexes hold them (see IndexedText)."""
    subject_terms = terms(subject or "")[:SUBJECT_TERMS]
    body_terms = terms(body or "")
    room = MAX_POSITION - 2 - (len(subject_terms) + 1)  # the body's last place: MAX_POSITION - 2
    overflow = body_terms[room:]
    body_terms = body_terms[:room]
    seen = Counter(subject_terms)
    seen.update(body_terms)
    if seen and max(seen.values()) > MAX_OCCURRENCES:  # rare: counted again, in order
        seen = Counter()
        kept_subject, kept_body = _cap(subject_terms, seen), _cap(body_terms, seen)
    else:
        kept_subject, kept_body = tuple(subject_terms), tuple(body_terms)
    tail: list[str] = []
    size = 0
    for t in dict.fromkeys(overflow):
        if t in seen:
            continue
        size += len(t.encode("utf-8")) + 8
        if size > TAIL_BYTES:
            break
        tail.append(t)
    return IndexedText(kept_subject, kept_body, tuple(tail))


def _cap(found: list[str], seen: Counter) -> tuple[str | None, ...]:
    """The terms, each beyond its MAX_OCCURRENCES-th occurrence (counted in ``seen``) None."""
    kept: list[str | None] = []
    for t in found:
        n = seen[t] = seen[t] + 1
        kept.append(t if n <= MAX_OCCURRENCES else None)
    return tuple(kept)
