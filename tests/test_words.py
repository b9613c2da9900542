"""The analyzer (cables.words): what a word is for both indexes, the queries and the snippets."""

from __future__ import annotations

import pytest

from cables import words
from cables.search.compile import normalise, to_fts5, to_tsquery
from cables.search.query import parse_query

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
