"""Snippets: which words of a hit's paragraph are highlighted, on real paragraphs.

06ROME584 ¶4 holds "police", "policies" and forms of "negotiate": the highlighter must mark the
words the search matched by their stem, and not a word that merely starts alike.
"""

from __future__ import annotations

import re

from conftest import cable
from cables.search.compile import normalise
from cables.search.query import Word
from cables.search.snippets import _highlight, search_terms


def paragraph(reference_id: str, number: int) -> str:
    found = [p for p in cable(reference_id).paragraphs if p.number == number]
    assert found, f"{reference_id} has no paragraph {number}"
    return " ".join(found[0].text.split())


def terms(*words: Word):
    """The highlighter's terms for words typed (made into the analyzer's terms, as a query is)."""
    return search_terms([normalise(w) for w in words])


def marked(text: str, *words: Word) -> set[str]:
    return {m.lower() for m in re.findall(r"<mark>(.*?)</mark>", _highlight(text, terms(*words)))}


def test_a_word_marks_its_forms_not_its_lookalikes():
    text = paragraph("06ROME584", 4)
    words = set(re.findall(r"\w+", text.lower()))
    assert {"police", "policies"} <= words
    assert marked(text, Word("policy")) == {w for w in words if w in {"policy", "policies"}}
    assert "police" not in marked(text, Word("policies"))
    negotiat = {w for w in words if w.startswith("negotiat")}
    assert negotiat and marked(text, Word("negotiations")) == negotiat


def test_a_prefix_marks_every_word_starting_so():
    text = paragraph("06ROME584", 4)
    expected = {w for w in re.findall(r"\w+", text.lower()) if w.startswith("polic")}
    assert marked(text, Word("polic", prefix=True)) == expected


def test_the_snippet_is_escaped_and_marks_only_whole_words():
    html = _highlight("<b>Police</b> policies & policing", terms(Word("policies")))
    assert html == "&lt;b&gt;Police&lt;/b&gt; <mark>policies</mark> &amp; policing"


def test_stemming_from_many_threads_at_once():
    """The web server's threads stem words at the same time: each must get its own words' stems
    (a shared Snowball stemmer mixed them up and raised IndexError under load)."""
    import threading

    import snowballstemmer

    from cables.words import stem

    words = re.findall(r"[a-z]+", " ".join(p.text.lower() for p in cable("09BERLIN1167").paragraphs))
    assert len(words) > 1000
    expected = snowballstemmer.stemmer("english").stemWords(words)
    results, errors = {}, []

    def work(n: int) -> None:
        try:
            results[n] = [stem(w) for w in words]  # stem() is uncached: the stemmer itself
        except Exception as exc:  # noqa: BLE001 - the failure this test looks for
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert all(results[n] == expected for n in range(8))
