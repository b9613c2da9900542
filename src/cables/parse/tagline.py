"""A TAGS item's text → Tag records: codes split on separators, glued codes split, typos fixed,
persons joined, keyword phrases kept whole.

The front-matter reader (:mod:`.front`) finds the TAGS item and hands its text here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..record import Tag
from .grammar import squeeze as _squeeze
from ..tags import (
    KNOWN_CODES,
    ORGANISATION_CODES,
    PERSON,
    PHRASE_TAGS,
    PROGRAM_CODES,
    SUBJECT_CODES,
    tag_kind,
)

_PERSON_IN_PARENS = re.compile(r"\(([^()]*)\)")
_TAG_SPLIT = re.compile(r"[,;]")
_TAG_TOKEN = re.compile(r"[A-Z0-9][A-Z0-9.&/'-]*")
_CODE_LIKE = re.compile(r"[A-Z]{2,4}")


@lru_cache(maxsize=4096)
def tags_of(text: str) -> tuple[Tag, ...]:
    """The tags of a TAGS item's text (cached: a post writes the same TAGS line again and again,
    and the records are immutable)."""
    tags: dict[str, Tag] = {}  # by code: each once, in order of first occurrence
    for item_kind, value in _items_and_topics(text):
        if item_kind == _TOPIC:
            tags.setdefault(value, Tag(value, tag_kind(value)))
            continue
        for tag in _person_tag(value) if item_kind == PERSON else _code_tags(value):
            tags.setdefault(tag.tag, tag)
    return tuple(tags.values())


_TOPIC = "topic"
_MIXED_CASE_TOPIC = re.compile(
    r"(?<![\w'&/-])[A-Z][a-z][\w'-]*(?:[ \t]+(?:[A-Z][a-z][\w'-]*|of|and|the|for|in|on|to|de))*"
    r"[ \t]+[A-Z][a-z][\w'-]*(?![\w'-])"
)
"""A topic some posts write in words after the codes (``…, BU, Organized Crime``): capitalised
words, the small words of a title between them."""


def _items_and_topics(text: str) -> list[tuple[str, str]]:
    """:func:`_tag_items` of the upper-cased text, but a mixed-case topic of several words
    (``Organized Crime``) is one item, as written: upper-cased, it would fall apart into words.
    Words that are codes (``Prel Pgov`` on a page in lower case) and words in parentheses (a
    person) are no topic."""
    if text.isupper() or text.islower():
        return _tag_items(text.upper())
    items: list[tuple[str, str]] = []
    position = 0
    for topic in _MIXED_CASE_TOPIC.finditer(text):
        words = topic.group().upper().split()
        if (any(word in KNOWN_CODES for word in words)
                or text.count("(", 0, topic.start()) > text.count(")", 0, topic.start())):
            continue
        items.extend(_tag_items(text[position : topic.start()].upper()))
        items.append((_TOPIC, " ".join(words)))
        position = topic.end()
    items.extend(_tag_items(text[position:].upper()))
    return items


@lru_cache(maxsize=4096)
def _code_tags(value: str) -> tuple[Tag, ...]:
    """The tags of one code token: itself, its glued codes, or the code it misspells (cached:
    records are immutable, and PREL, PGOV… recur on every page)."""
    value = value.strip(" .:-")
    codes = _split_glued(value)
    return tuple(Tag(code, tag_kind(code)) for code in (codes if len(codes) > 1 else [_typo_fixed(value)])
                 if len(code) > 1)


def _person_tag(value: str) -> tuple[Tag, ...]:
    name = value.strip(" ,")
    return (Tag(name, PERSON),) if len(name) > 1 else ()


def _tag_items(text: str) -> list[tuple[str, str]]:
    """(kind, value) items: persons already joined, everything else one token or phrase."""
    items: list[tuple[str, str]] = []
    pos = 0
    for paren in _PERSON_IN_PARENS.finditer(text):
        items.extend(_plain_items(text[pos : paren.start()]))
        inside = _squeeze(paren.group(1))
        if inside:
            items.append((PERSON, _person(inside)) if _is_person(inside) else ("code", inside))
        pos = paren.end()
    items.extend(_plain_items(text[pos:]))
    return items


def _plain_items(text: str) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    for chunk in _TAG_SPLIT.split(text):
        tokens = _TAG_TOKEN.findall(chunk)
        i = 0
        while i < len(tokens):
            phrase = _phrase_at(tokens, i)
            if phrase:
                items.append(("code", phrase))
                i += phrase.count(" ") + 1
                continue
            items.append(("code", tokens[i]))
            if tokens[i] == "OVIP":
                person = _person_after_ovip(tokens, i + 1)
                if person:
                    items.append((PERSON, person[0]))
                    i = person[1]
                    continue
            i += 1
    return items


_PHRASE_STARTS = frozenset(phrase.split()[0] for phrase in PHRASE_TAGS)


def _phrase_at(tokens: list[str], i: int) -> str | None:
    if tokens[i] not in _PHRASE_STARTS:
        return None
    for size in (4, 3, 2):
        phrase = " ".join(tokens[i : i + size])
        if phrase in PHRASE_TAGS:
            return phrase
    return None


def _person_after_ovip(tokens: list[str], i: int) -> tuple[str, int] | None:
    """``OVIP RICE CONDOLEEZZA`` → ("RICE, CONDOLEEZZA", next index)."""
    names: list[str] = []
    j = i
    while j < len(tokens) and len(names) < 4:
        token = tokens[j]
        if token in KNOWN_CODES or not (token.replace(".", "").isalpha()):
            break
        if names and len(token) <= 4 and not token.endswith(".") and _CODE_LIKE.fullmatch(token) and len(token) != 1:
            break
        names.append(token)
        j += 1
    if len(names) < 2 or not any(len(n) >= 5 for n in names):
        return None
    return f"{names[0]}, {' '.join(names[1:])}", j


def _is_person(text: str) -> bool:
    return "," in text and all(part.strip().replace(".", "").replace(" ", "").isalpha()
                               for part in text.split(","))


def _person(text: str) -> str:
    surname, _, given = text.partition(",")
    return f"{surname.strip()}, {given.strip()}"


def _typo_fixed(token: str) -> str:
    """``MOPPS`` → ``MOPS``, ``ENERG`` → ``ENRG``: an unknown word that is one known code with
    one letter too many (and only one such code) is that code."""
    if token in KNOWN_CODES or len(token) < 5 or not token.isalpha():
        return token
    candidates = {token[:k] + token[k + 1 :] for k in range(len(token))} & _TYPO_TARGETS
    return candidates.pop() if len(candidates) == 1 else token


def _split_glued(token: str) -> list[str]:
    """``ITPHUM`` → [IT, PHUM]; a token that is no sequence of known codes stays whole.

    Only codes of the code table count, and at least one code longer than two letters must be
    among them: otherwise words would fall apart into country codes (``POLITICS`` → PO LI TI CS).
    """
    if len(token) <= 4 or token in KNOWN_CODES or not token.isalpha():
        return [token]
    found = _segment(token, 0, {})
    if found and any(len(code) >= 3 for code in found):
        return found
    return [token]


def _segment(token: str, start: int, memo: dict[int, list[str] | None]) -> list[str] | None:
    if start == len(token):
        return []
    if start in memo:
        return memo[start]
    result = None
    for size in (4, 3, 2):
        code = token[start : start + size]
        if len(code) == size and code in _SPLITTABLE:
            rest = _segment(token, start + size, memo)
            if rest is not None:
                result = [code, *rest]
                break
    memo[start] = result
    return result


_SPLITTABLE = frozenset(code for code in KNOWN_CODES if 2 <= len(code) <= 4 and code.isalpha())


_TYPO_TARGETS = frozenset(SUBJECT_CODES) | frozenset(PROGRAM_CODES) | frozenset(
    code for code in ORGANISATION_CODES if len(code) >= 4
)
