"""The analyzer (cables.words): what a word is for both indexes, the queries and the snippets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cables import words
from cables.search.compile import normalise, to_fts5, to_tsquery
from cables.search.query import parse_query
from conftest import cable

# (text, its terms): the rules of cables.words, one row per hard case
TERMS = [
    ("Negotiations negotiating NEGOTIATE", ["negoti", "negoti", "negoti"]),
    ("the minister's office", ["minist", "offic"]),             # apostrophe splits; s, the: stop
    ("Minister’s", ["minist"]),                                  # the typographic apostrophe too
    ("Müller MULLER muller", ["muller", "muller", "muller"]),    # accents and case folded
    ("ＭÜＬＬＥＲ ℍ", ["muller", "h"]),                          # compatibility forms, then lowered
    ("İstanbul", ["istanbul"]),                                  # lowers to i + a combining dot
    ("U.S. el-Jahmi X_Y", ["u", "el", "jahmi", "x", "y"]),       # punctuation and _ separate
    ("1,000 06ASTANA38", ["1", "000", "06astana38"]),
    ("end of summary", ["end", "summari"]),                      # a stop word takes no place
    ("x" * 101 + " word", ["word"]),                             # a run over 100 is no word
    ("Москва", ["москва"]),                                      # any script's letters
]


@pytest.mark.parametrize("text, expected", TERMS)
def test_the_terms_of_a_text(text, expected):
    assert words.terms(text) == expected
    assert words.analyze(text) == list(enumerate(expected, 1))


def test_the_ascii_path_splits_as_the_unicode_one():
    text = "A (C) cable, 06ASTANA38: U.S.-Kazakh talks_on x2y; END SUMMARY.\n\tOK"
    assert text.isascii()
    assert words.tokens(text) == words.TOKEN.findall(words.fold(text))
    assert words.tokens(text + " é") == words.tokens(text) + ["e"]


def whole(text: str) -> list[str]:
    """The tokens of a text folded whole: what :func:`cables.words.tokens` must give, whichever
    of its paths it takes."""
    return words.TOKEN.findall(words.fold(text))


# Characters whose fold is tricky: a capital sigma (final or not by its neighbours), what
# decomposes to one (ϹΣ), combining marks (alone, after a letter, İ's dot), ligatures and
# compatibility forms (ﬁ ℍ Ｍ ½ 𝐀), a spacing acute (a space and a mark), another script, µ (Greek mu)
TRICKY = "aZ9 _-'.’“\u2028\xa0é\u0301İΣσςϹﬁℍＭ½⁄𝐀´ßẞЖж中가µ\u0345ᾈÅΩ😀\u3000٠²\ud800"


@settings(max_examples=2000, deadline=None)
@given(st.text(st.sampled_from(TRICKY), max_size=24) | st.text(max_size=24))
def test_tokens_are_those_of_the_text_folded_whole(text):
    assert words.tokens(text) == whole(text)


def test_a_second_copy_of_the_module_leaves_this_one_its_fold(plain_module):
    """The nearly-ASCII path folds through an encoding error handler, registered in codecs'
    registry, which is one for the process: a second copy of the module (the tests' plain one,
    beside the compiled one) once took over its name, and every text with a character whose fold
    is not ASCII then raised the copy's exception through this module (seen in CI:
    07MOSCOW2981, 09PARIS1426)."""
    plain = plain_module("words")
    text = "Moscow’s «Единая Россия» café"
    assert words.tokens(text) == plain.tokens(text) == words.TOKEN.findall(words.fold(text))


def test_each_character_folds_alone_as_in_a_text():
    """Every character of the scripts and symbols cables hold (Latin, Greek, Cyrillic,
    punctuation, letter-like and compatibility forms), between two letters and beside a capital
    sigma. (All of Unicode passes too; it takes 20 s.)"""
    for code in [*range(0x80, 0x600), *range(0x1E00, 0x2400), *range(0xFB00, 0xFB07),
                 *range(0xFF00, 0xFFF0)]:
        ch = chr(code)
        for text in (f"A{ch}b", f"{ch}{ch}Z", f"\u03a3{ch}", f"{ch}\u03a3 x"):
            assert words.tokens(text) == whole(text), hex(code)


# Mirror cables whose text is not all ASCII, one per kind of character: tokens() folds only those
# characters and takes the ASCII path, or folds the whole text (07MOSCOW2981, 09PARIS1426)
NOT_ASCII = [
    "89PANAMA8545",      # typographic quotes and apostrophes
    "06MEXICO2220",      # U+2028 line separators
    "05MADRID4026",      # an accented capital: Í
    "03THEHAGUE1453",    # a spacing acute: ´ folds to a space and a combining mark
    "08TEGUCIGALPA459",  # no-break spaces
    "07MOSCOW2981",      # Cyrillic words: folded whole
    "09PARIS1426",       # µ, whose fold is Greek: folded whole
]


@pytest.mark.corpus
@pytest.mark.parametrize("reference_id", NOT_ASCII)
def test_a_cables_tokens_are_those_of_its_text_folded_whole(reference_id):
    record = cable(reference_id)
    assert not record.body.isascii()
    for text in (record.subject or "", record.body):
        assert words.tokens(text) == whole(text)


# (query, FTS5 MATCH, tsquery): a query compiles to the analyzer's terms on both backends
QUERIES = [
    ("minister's", '"minist"', "'minist'"),
    ('"end of summary"', '"end summari"', "('end' <-> 'summari')"),
    ("negotiat*", '("negotiat"* OR "negoti")', "('negotiat':* | 'negoti')"),
    ("policy*", '("policy"* OR "polici")', "('policy':* | 'polici')"),
    ("minist*", '"minist"*', "'minist':*"),
    ('subject:"human rights"', 'subject : "human right"', "('human':A <-> 'right':A)"),
    ("Müller", '"muller"', "'muller'"),
    ("kabul OR kandahar", '("kabul" OR "kandahar")', "('kabul' | 'kandahar')"),
]


@pytest.mark.parametrize("query, fts5, tsquery", QUERIES)
def test_a_query_compiles_to_the_same_terms_for_both(query, fts5, tsquery):
    node = normalise(parse_query(query).text)
    assert (to_fts5(node), to_tsquery(node)) == (fts5, tsquery)


# (prefix, a word starting so): the word's term is one the prefix matches
PREFIXED = [("negotiat", "negotiations"), ("negotiat", "negotiator"), ("policy", "policies"),
            ("polic", "police"), ("minist", "ministry"), ("generaliz", "generalization"),
            ("universit", "university"), ("runn", "running"), ("agreed", "agreed")]


@pytest.mark.parametrize("prefix, word", PREFIXED)
def test_a_prefix_matches_the_term_of_a_word_starting_so(prefix, word):
    starts, whole = words.prefix_terms(prefix)
    term = words.term(word)
    assert term.startswith(starts) or term in whole


def test_the_index_form_keeps_postgresql_limits_as_rules():
    """Past 256 occurrences a term's place is kept but indexed under no term; past the last
    place (16,383), the body's new terms are words without places (the tail)."""
    body = " ".join(["alpha beta"] * 300 + [f"w{i}" for i in range(20_000)] + ["gamma", "alpha"])
    form = words.index_form("Alpha talks", body)
    assert form.subject == ("alpha", "talk")
    assert form.body.count("alpha") == 255 and form.body.count("beta") == 256
    assert form.body[508:514] == ("alpha", "beta", None, "beta", None, None)
    assert form.body_start + len(form.body) - 1 == words.MAX_POSITION - 2
    assert "gamma" in form.tail and "alpha" not in form.tail and len(set(form.tail)) == len(form.tail)
