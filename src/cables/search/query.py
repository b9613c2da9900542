"""The query language reporters type, parsed once into a tree both backends compile.

    words "exact phrases" prefix* -excluded  a OR b  (grouping)   AND is implied
    tag:PGOV origin:astana classification:secret year:2006 from:2006-01 to:2006-06-30
    released:2011-08 release:NAME ref:06ALMATY1450 subject:"…" marking:S

A reference id typed alone (``06astana38``, even malformed) is an id lookup that puts that cable
first. Anything the grammar does not accept raises :class:`QueryError` with a message that names
the problem and where it is: unbalanced quotes, stray operators, raw FTS or SQL syntax, control
characters, over-long queries. The search layer never hands user text to a database unparsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ids import canonical_id, is_valid_id
from .errors import QueryError
from .filters import PLANNED, REGISTRY

MAX_LENGTH = 1000
MAX_TERMS = 64


# --- the tree -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Word:
    text: str
    prefix: bool = False
    subject_only: bool = False


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    subject_only: bool = False


@dataclass(frozen=True)
class Not:
    node: "Node"


@dataclass(frozen=True)
class And:
    nodes: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    nodes: tuple["Node", ...]


Node = Word | Phrase | Not | And | Or


@dataclass(frozen=True)
class Filter:
    """A ``name:value`` restriction; several values of one name are alternatives (OR)."""

    name: str
    values: tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True)
class Query:
    """A parsed query: the full-text part (or None), the filters, and an id typed alone."""

    text: Node | None = None
    filters: tuple[Filter, ...] = ()
    id_lookup: str | None = None
    source: str = ""

    @property
    def is_empty(self) -> bool:
        return self.text is None and not self.filters and self.id_lookup is None

    def filter_values(self, name: str) -> list[str]:
        return [v for f in self.filters if f.name == name and not f.negated for v in f.values]


# name → help of every filter (the classes of :mod:`.filters` decide all else about them)
FILTERS = {name: spec.help for name, spec in REGISTRY.items()}
LATER = PLANNED


# --- tokens ---------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<lparen>\()
      | (?P<rparen>\))
      | (?P<phrase>"[^"]*")
      | (?P<field>[A-Za-z_]+):(?=\S)
      | (?P<minus>-(?=\S))
      | (?P<word>[^\s()"]+)
    """,
    re.X,
)
_WORD_OK = re.compile(r"^[\w'’.\-/&@+]+\*?$", re.U)
_RAW_SYNTAX = re.compile(r"[;=<>{}\[\]^~|\\`$%]|--|/\*|\*/|\bNEAR(?:\(|/\d)", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPLIT_WORD = re.compile(r"[\w]+(?:['’][\w]+)?", re.U)


@dataclass
class _Token:
    kind: str
    text: str
    at: int
    field: str | None = None
    negated: bool = False


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:  # an unmatched quote: the only thing the pattern cannot take
            raise QueryError('unbalanced quotes: a phrase opened with " is never closed', pos)
        kind = m.lastgroup
        if kind != "space":
            tokens.append(_Token(kind, m.group(kind), m.start()))
        pos = m.end()
    return tokens


# --- the parser -----------------------------------------------------------------------------------

def parse_query(text: str) -> Query:
    """Parse what a person typed; raise QueryError with a clear message when it is not a query."""
    if text is None:
        return Query()
    if len(text) > MAX_LENGTH:
        raise QueryError(f"the query is too long ({len(text):,} characters; at most {MAX_LENGTH:,})")
    m = _CONTROL.search(text)
    if m:
        raise QueryError("the query holds a control character", m.start())
    text = text.strip()
    if not text:
        return Query(source=text)
    stripped = re.sub(r"\s+", "", text)
    if " " not in text and ":" not in text and is_valid_id(canonical_id(stripped)) and _looks_like_id(stripped):
        return Query(id_lookup=canonical_id(stripped), source=text)
    parser = _Parser(_tokens(text), text)
    node = parser.parse()
    filters: list[Filter] = []
    node = _lift_filters(node, filters, top=True)
    _check_size(node)
    return Query(text=node, filters=tuple(filters), source=text)


def narrowed(query: str, extra: str) -> str:
    """``query`` narrowed by ``extra`` (filters, words): ``query extra``, or, when ``query`` has a
    top-level OR, ``(query) extra`` (``a OR b tag:X`` would read as ``a OR (b tag:X)``, which the
    grammar refuses). ``query`` must parse; the search page's facet links and the API's filter
    parameters narrow a query so."""
    query = query.strip()
    if not query:
        return extra
    plain = f"{query} {extra}"
    try:
        parse_query(plain)
        return plain
    except QueryError:
        return f"({query}) {extra}"


def _looks_like_id(text: str) -> bool:
    return bool(re.match(r"^\d{2}[A-Za-z]", text)) and text[-1].isdigit()


@dataclass(frozen=True)
class _FilterNode:
    name: str
    value: str
    at: int


class _Parser:
    """Recursive descent over the tokens: or := and (OR and)*; and := unary+; unary := -atom | atom."""

    def __init__(self, tokens: list[_Token], text: str):
        self.tokens, self.text, self.i = tokens, text, 0

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self):
        node = self.or_expr()
        token = self.peek()
        if token is not None:
            if token.kind == "rparen":
                raise QueryError("a closing parenthesis ) without its opening (", token.at)
            raise QueryError(f"unexpected {token.text!r}", token.at)
        return node

    def or_expr(self):
        nodes = [self.and_expr()]
        while (t := self.peek()) is not None and t.kind == "word" and t.text == "OR":
            self.take()
            if self.peek() is None or self.peek().kind == "rparen":
                raise QueryError("OR needs something on both sides", t.at)
            nodes.append(self.and_expr())
        return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))

    def and_expr(self):
        nodes = []
        while (t := self.peek()) is not None and t.kind != "rparen" and not (t.kind == "word" and t.text == "OR"):
            if t.kind == "word" and t.text in {"AND", "NOT"}:
                self.take()
                if t.text == "NOT":
                    nodes.append(Not(self.atom()))
                elif not nodes:
                    raise QueryError("AND needs something on both sides", t.at)
                continue
            nodes.append(self.unary())
        if not nodes:
            t = self.peek()
            where = t.at if t is not None else len(self.text)
            raise QueryError("OR needs something on both sides" if t is not None else
                             "the query ends where a word was expected", where)
        return nodes[0] if len(nodes) == 1 else And(tuple(nodes))

    def unary(self):
        t = self.peek()
        if t.kind == "minus":
            self.take()
            if self.peek() is None:
                raise QueryError("a lone - excludes nothing", t.at)
            return Not(self.atom())
        return self.atom()

    def atom(self):
        t = self.peek()
        if t is None:
            raise QueryError("the query ends where a word was expected", len(self.text))
        self.take()
        if t.kind == "lparen":
            if self.peek() is not None and self.peek().kind == "rparen":
                raise QueryError("empty parentheses", t.at)
            node = self.or_expr()
            close = self.peek()
            if close is None or close.kind != "rparen":
                raise QueryError("a parenthesis ( is never closed", t.at)
            self.take()
            return node
        if t.kind == "rparen":
            raise QueryError("a closing parenthesis ) without its opening (", t.at)
        if t.kind == "phrase":
            return _phrase(t.text[1:-1], t.at)
        if t.kind == "field":
            return self.field(t)
        if t.kind == "minus":
            raise QueryError("- must stand right before the word it excludes", t.at)
        return _word(t.text, t.at)

    def field(self, t: _Token):
        name = t.text.lower()
        if name in LATER:
            raise QueryError(LATER[name], t.at)
        if name not in FILTERS:
            known = ", ".join(f"{n}:" for n in FILTERS)
            raise QueryError(f"unknown filter {name}: (filters are {known})", t.at)
        value_token = self.peek()
        if value_token is None or value_token.kind not in {"word", "phrase"}:
            raise QueryError(f"{name}: needs a value, e.g. {REGISTRY[name].written_examples[0]}", t.at)
        self.take()
        value = value_token.text[1:-1] if value_token.kind == "phrase" else value_token.text
        checked = _check_filter(name, value.strip(), value_token.at)
        if REGISTRY[name].words:
            words = _SPLIT_WORD.findall(value)
            if value_token.kind == "phrase" and len(words) > 1:
                return Phrase(tuple(w.lower() for w in words), subject_only=True)
            node = _word(value, value_token.at)
            return Word(node.text, node.prefix, subject_only=True) if isinstance(node, Word) else node
        return _FilterNode(name, checked, t.at)


def _phrase(inner: str, at: int) -> Node:
    words = _SPLIT_WORD.findall(inner)
    if not words:
        raise QueryError("an empty phrase \"\"", at)
    if len(words) == 1:
        return Word(words[0].lower())
    return Phrase(tuple(w.lower() for w in words))


def _word(text: str, at: int) -> Node:
    if text.endswith(":") and text[:-1].lower() in FILTERS:
        raise QueryError(f"{text} needs a value, e.g. {REGISTRY[text[:-1].lower()].written_examples[0]}", at)
    if _RAW_SYNTAX.search(text):
        raise QueryError(f"{text!r} is not a word: use words, \"phrases\", prefix*, -word, OR and "
                         f"parentheses (no raw SQL or full-text syntax)", at)
    if text.count("*") > 1 or ("*" in text and not text.endswith("*")):
        raise QueryError(f"{text!r}: * may only end a word (prefix*)", at)
    if not _WORD_OK.match(text):
        raise QueryError(f"{text!r} is not a word", at)
    prefix = text.endswith("*")
    parts = _SPLIT_WORD.findall(text.rstrip("*"))
    if not parts:
        raise QueryError(f"{text!r} has no letters or digits to search for", at)
    if len(parts) == 1:
        return Word(parts[0].lower(), prefix)
    # "U.S." or "el-Jahmi": the index splits them as it does the text; search them as a phrase
    return Phrase(tuple(p.lower() for p in parts)) if not prefix else And(
        tuple(Word(p.lower(), prefix and i == len(parts) - 1) for i, p in enumerate(parts)))


def _check_filter(name: str, value: str, at: int) -> str:
    """The value as the filter compares it; its QueryError placed at the value."""
    try:
        return REGISTRY[name].check(value)
    except QueryError as exc:
        raise QueryError(exc.message, at) from None


def _lift_filters(node, filters: list[Filter], top: bool, negated: bool = False):
    """Take the filters out of the tree: they must be conjunctive (top level AND), alone in an OR
    of filters of one name, or negated; anything else is a query we cannot honour exactly."""
    if isinstance(node, _FilterNode):
        if not top:
            raise QueryError(f"{node.name}: can be combined with OR only with other {node.name}: "
                             f"filters", node.at)
        filters.append(Filter(node.name, (node.value,), negated))
        return None
    if isinstance(node, Not):
        if isinstance(node.node, _FilterNode) and top:
            return _lift_filters(node.node, filters, top, negated=True)
        inner = _lift_filters(node.node, filters, top=False)
        return Not(inner)
    if isinstance(node, Or):
        if all(isinstance(n, _FilterNode) for n in node.nodes):
            names = {n.name for n in node.nodes}
            if len(names) == 1 and top:
                filters.append(Filter(names.pop(), tuple(n.value for n in node.nodes), negated))
                return None
        return Or(tuple(_lift_filters(n, filters, top=False) for n in node.nodes))
    if isinstance(node, And):
        kept = [k for n in node.nodes if (k := _lift_filters(n, filters, top)) is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else And(tuple(kept))
    return node


def _check_size(node) -> None:
    count = 0
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        if isinstance(n, (Word, Phrase)):
            count += 1
        elif isinstance(n, Not):
            stack.append(n.node)
        elif isinstance(n, (And, Or)):
            stack.extend(n.nodes)
    if count > MAX_TERMS:
        raise QueryError(f"too many words ({count}; at most {MAX_TERMS})")
