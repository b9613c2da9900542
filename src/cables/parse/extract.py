"""First step of parsing: find the cable in whatever was given and cut it into its parts.

Every input shape (a site page of any generation, plain cable text, a page quoting a cable, a
cables.csv row) ends up as one :class:`Extract`: the metadata the source states, the header text
and the body text, both with entities decoded and links removed. Field readers work on an
Extract and never need to know where it came from — which is what lets the same cable from a
page, a text dump and a CSV row give equal records.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from .errors import ParseError
from .grammar import squeeze
from .header import split_header_body
from .preamble import read_export_lines, unglue_lines
from .signers import find_cable_end
from .rows import csv_row_fields, iter_csv_rows, iter_tab_rows, looks_like_tab_rows

SITE_HTML = "site-html"
PLAIN_TEXT = "text"
TEXT_EXPORT = "text-export"
QUOTED_PAGE = "quoted"
CSV_ROW = "csv-row"


@dataclass
class Extract:
    """What a source states about one cable, before any field is read."""

    format: str
    header: str
    body: str
    reference_id: str | None = None
    created: str | None = None
    released: str | None = None
    classification: str | None = None
    origin: str | None = None
    subject: str | None = None
    """The subject as the source states it apart from the text (text exports' second line)."""
    partial: bool = False
    articles: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)
    body_lines: list[str] | None = field(default=None, repr=False, compare=False)
    """``body.split("\n")`` when the site page's block gave it for free (None otherwise): the
    body cleaner starts from the lines instead of splitting the body again."""


_PARTIAL_NOTE = re.compile(
    r"^\s*This\s+record\s+is\s+a\s+partial\s+extract\s+of\s+the\s+original\s+cable\.\s*"
    r"(?:The\s+full\s+text\s+of\s+the\s+original\s+cable\s+is\s+not\s+available\.)?[ \t]*",
    re.I,
)

# --- site pages --------------------------------------------------------------------------------

_TABLE_START = re.compile(r"<table\s+class=['\"]cable['\"]", re.I)
_PRE_BLOCK = re.compile(r"<pre[^>]*>(.*?)</pre>", re.S | re.I)
# Case spelled out in character classes rather than re.I: a pattern that opens with a
# case-sensitive literal ("<") is scanned for at memchr speed, one under re.I char by char.
_PARAGRAPH_ANCHOR = re.compile(
    r"<[aA]\s[^>]*?[iI][dD]=['\"]?[pP][aA][rR][^>]*>\s*(?:¶|&[pP][aA][rR][aA];|&#182;|&#[xX][bB]6;)?\s*</[aA]>"
)
_TAG = re.compile(r"<[^>]*>")
_MARKUP = re.compile("<(?:" + _PARAGRAPH_ANCHOR.pattern[1:] + r"|[^<>]*>)")
_COLUMN_ALIASES = {
    "reference id": "reference_id",
    "reference": "reference_id",
    "id": "reference_id",
    "created": "created",
    "date": "created",
    "released": "released",
    "release date": "released",
    "classification": "classification",
    "origin": "origin",
}


def looks_like_site_page(text: str) -> bool:
    return _site_page_pre(text) is not None


def _site_page_pre(text: str) -> int | None:
    """Where the last ``<pre`` of a site page is (-1 when only its table tells it is one), or
    None for no site page. Searched from the end: the cable sits at the end of a site page,
    after 60 KB of sidebar links, whose "<" make a forward search slow."""
    last_pre = text.rfind("<pre")
    if last_pre >= 0 and text.rfind("</pre>") >= 0:
        return last_pre
    return -1 if _find_table(text) is not None else None


def extract_site_page(text: str, last_pre: int = -1) -> list[Extract]:
    """A WikiLeaks site page: the metadata table read by column names, then the two ``<pre>``s.

    Only the region from the table to the last ``</pre>`` is handed to the HTML parser: the
    sidebars of the 2011 pages are 60 KB of links that say nothing about the cable.
    """
    start = _find_table(text, last_pre)
    region_start = start.start() if start else 0
    blocks = _pre_blocks(text, region_start, last_pre)
    if not blocks:
        raise ParseError("a cable page without <pre> blocks: no cable text found")
    meta: dict[str, str] = {}
    articles: tuple[str, ...] = ()
    warnings: list[str] = []
    if start:
        end = text.find("</table>", start.end())
        table = text[start.start() : end + 8 if end >= 0 else len(text)]
        meta = _read_metadata_table(table)
        articles = _articles(table)
    else:
        warnings.append("no metadata table on the page; metadata taken from the cable text")
    body_lines = None
    if len(blocks) == 2:  # the usual page: header block, body block
        texts = [_pre_text(blocks[0])]
        body, body_lines = _pre_text_lines(blocks[1])
        texts.append(body)
    else:
        texts = [_pre_text(b) for b in blocks]
    if len(texts) == 1:
        header, body = split_header_body(texts[0])
    else:
        header, body = texts[0], "\n".join(texts[1:])
    note = _PARTIAL_NOTE.search(header[:400])
    partial = note is not None
    if note:  # the site put its note where the header was; what follows it is header still
        header = header[note.end() :].lstrip("\n")
    if looks_like_tab_rows(body):
        return _extract_tab_rows(header, body, meta, articles, partial)
    return [Extract(format=SITE_HTML, header=header, body=body, partial=partial, warnings=warnings,
                    articles=articles, body_lines=body_lines, **meta)]


def _extract_tab_rows(header: str, body: str, meta: dict[str, str], articles: tuple[str, ...],
                      partial: bool) -> list[Extract]:
    """A page whose body holds tab-separated dump rows instead of text.

    The partial extracts (04BOGOTA11339) carry their own row; a corrupted page (07BERN881)
    carries its own and others. The page's own cable is the row with its reference id; the
    page's header and table win over the row's for it. Other rows are cables too, returned as
    found.
    """
    found: list[Extract] = []
    for row in iter_tab_rows(body):
        warning = "the page body held a tab-separated dump row; cable text read from it"
        if meta.get("reference_id") and row["reference_id"] == meta["reference_id"]:
            found.insert(0, Extract(format=SITE_HTML, header=header or row["header"], body=row["body"],
                                    partial=partial, warnings=[warning], articles=articles,
                                    body_lines=None, **meta))
        else:
            found.append(Extract(
                format=SITE_HTML, header=row["header"], body=row["body"],
                reference_id=row["reference_id"], created=row["date"], origin=row["origin"],
                classification=row["classification"],
                warnings=[warning + f" found on the page of {meta.get('reference_id')}"],
            ))
    if not found:
        raise ParseError("the page body holds unreadable dump rows")
    return found


def _find_table(text: str, last_pre: int = -1) -> re.Match | None:
    """The cable's metadata table (one a page): the last before the cable's ``<pre>`` blocks
    (``last_pre``, where the last one opens), else the last one. str.rfind first: a regex scan
    through 60 KB of sidebar costs more than the whole parse, and the table stands after it."""
    for literal in ("<table class='cable'>", '<table class="cable">'):
        at = text.rfind(literal, 0, last_pre) if last_pre >= 0 else -1
        if at < 0:
            at = text.rfind(literal)
        if at >= 0:
            return _TABLE_START.match(text, at)
    return _TABLE_START.search(text)


def _pre_blocks(text: str, start: int, last_pre: int = -1) -> list[str]:
    """The ``<pre>`` blocks from ``start`` on; ``last_pre``, where the last one opens when known,
    spares a search through the page footer after it."""
    blocks = []
    while not (0 <= last_pre < start) and (at := text.find("<pre", start)) >= 0:
        open_end = text.find(">", at)
        close = text.find("</pre>", open_end)
        if open_end < 0 or close < 0:
            if open_end >= 0:  # a page cut inside its last block: keep what is there
                blocks.append(text[open_end + 1 :])
            break
        blocks.append(text[open_end + 1 : close])
        start = close + 6
    if not blocks and "<PRE" in text.upper():
        blocks = [m.group(1) for m in _PRE_BLOCK.finditer(text, start)]
    return blocks


def _read_metadata_table(table_html: str) -> dict[str, str]:
    """The metadata row read by column names (the first release has Date, later ones Created
    and Released). The table is a few hundred bytes of regular markup: a regex over its cells
    costs a tenth of building a DOM for it."""
    names = [_cell_text(c).lower() for c in _HEAD_CELL.findall(table_html)]
    for row in _ROW.findall(table_html):
        cells = _DATA_CELL.findall(row)
        if names and len(cells) >= len(names) - 1 and len(cells) > 1:
            meta = {}
            for name, cell in zip(names, cells):
                key = _COLUMN_ALIASES.get(name)
                value = _cell_text(cell)
                if key and value:
                    meta[key] = value
            return meta
    return {}


def _articles(table_html: str) -> tuple[str, ...]:
    """The links of the table's "Appears in these articles:" row (press stories on the cable)."""
    at = table_html.find("Appears in these articles")
    if at < 0:
        return ()
    links = _HREF.findall(table_html, at)
    return tuple(dict.fromkeys(html.unescape(link) for link in links))


_HREF = re.compile(r"""<a\s[^>]*?href=['"]([^'"]+)['"]""", re.I)


def _element(name: str) -> re.Pattern[str]:
    """``<tr …>content</tr>`` (any case), content up to the first closing tag — as ``(.*?)``
    with re.S | re.I would, but opening on a case-sensitive literal and with no lazy loop."""
    tag = "".join(f"[{c.lower()}{c.upper()}]" for c in name)
    return re.compile(rf"<{tag}[^>]*>([^<]*(?:<(?!/{tag}>)[^<]*)*)</{tag}>")


_ROW = _element("tr")
_HEAD_CELL = _element("th")
_DATA_CELL = _element("td")


@lru_cache(maxsize=2048)
def _cell_text(cell: str) -> str:
    """A table cell's text (cached: the head cells and most values recur from page to page)."""
    return squeeze(html.unescape(_TAG.sub(" ", cell)))


def _without_markup(block: str) -> str:
    """The block without its ¶ anchors (with their ¶) and other tags: anchors first, then tags.

    One pass removes both (anchor or well-formed tag at each ``<``) — a scan of the block less.
    It gives the two-pass result whenever no ``<`` is left: every ``<`` then opened an anchor or
    a tag without ``<`` inside, which the two passes remove alike. A stray ``<`` (05MADRID…
    ``SPAIN \n <``) sends the block through the two passes.
    """
    one_pass = _MARKUP.sub("", block)
    if "<" not in one_pass:
        return one_pass
    return _TAG.sub("", _PARAGRAPH_ANCHOR.sub("", block))


def _pre_text_lines(block: str) -> tuple[str, list[str] | None]:
    """:func:`_pre_text` of a block, and its lines when they come for free: the site writes each
    line break as ``&#x000A;``, so splitting there and joining gives the text and its lines in
    the time the replacement takes (None when the block holds other line breaks or entities)."""
    if "\n" in block or "\r" in block:
        return _pre_text(block), None
    if "<" in block:
        block = _without_markup(block)
    lines = block.split("&#x000A;")
    text = "\n".join(lines)
    if "&" in text:
        return html.unescape(text), None
    return text, lines


def _pre_text(block: str) -> str:
    """The text of a ``<pre>`` block: ¶ anchors dropped, links unwrapped, entities decoded."""
    if "<" in block:  # the header block has no markup at all (one memchr says so)
        block = _without_markup(block)
    block = block.replace("&#x000A;", "\n")
    if "&" in block:
        block = html.unescape(block)
    if "\r" in block:
        block = block.replace("\r\n", "\n").replace("\r", "\n")
    return block


# --- pages quoting a cable (copied text of a blog post and the like) ----------------------------

_FLAT_TABLE_HEAD = re.compile(
    r"^\s*Reference ID\s+(?:Created|Date)\s+(?:Released\s+)?Classification\s+Origin\s*$", re.M | re.I
)
_FLAT_TABLE_ROW = re.compile(
    r"^\s*(?P<reference_id>\d{2}[A-Z0-9]+\d+)\s+"
    r"(?P<created>\d{4}-\d{2}-\d{2}(?:\s+\d{1,2}:\d{2})?)\s+"
    r"(?:(?P<released>\d{4}-\d{2}-\d{2}(?:\s+\d{1,2}:\d{2})?)\s+)?"
    r"(?P<classification>(?:UNCLASSIFIED|CONFIDENTIAL|SECRET)(?://(?:FOR OFFICIAL USE ONLY|NOFORN))?)\s+"
    r"(?P<origin>\S.*?)\s*$",
    re.M,
)
# An entity broken across a line end by copy-and-paste: "&#x000A\n;" or "&#x00\n0A;".
_BROKEN_ENTITY = re.compile(r"&#x0*(?:\s*\n\s*)?0*A(?:\s*\n\s*)?;?\s*(?:\n\s*)?;", re.I)
_NEWLINE_ENTITY = re.compile(r"&#x0*0*A;?|&#10;", re.I)


def looks_like_quoted_page(text: str) -> bool:
    return _FLAT_TABLE_HEAD.search(text) is not None


def extract_quoted_page(text: str) -> list[Extract]:
    """A page that quotes a cable among other matter: find the cable, ignore the rest."""
    text = _repair_entities(text)
    head = _FLAT_TABLE_HEAD.search(text)
    meta: dict[str, str] = {}
    rest = text
    if head:
        row = _FLAT_TABLE_ROW.search(text, head.end())
        if row:
            meta = {k: v for k, v in row.groupdict().items() if v}
            rest = text[row.end() :]
        else:
            rest = text[head.end() :]
    extract = extract_plain_text(rest, fmt=QUOTED_PAGE)
    extract.body = extract.body[: find_cable_end(extract.body)]
    for key, value in meta.items():
        setattr(extract, key, squeeze(value))
    return [extract]


def _repair_entities(text: str) -> str:
    text = _BROKEN_ENTITY.sub("\n", text)
    return _NEWLINE_ENTITY.sub("\n", text)


# --- plain cable text -----------------------------------------------------------------------------

_CABLE_START = re.compile(
    r"^[ \t]*(?:VZCZC\w*|[ZORP]{1,2}\s+\d{6}Z\s+[A-Z]{3}\s+\d{2}|[ORPZ]{1,2}\s+R?U\w{3,}\b)", re.M
)


def extract_plain_text(text: str, fmt: str = PLAIN_TEXT) -> Extract:
    """Cable text as in a text dump (header then body), possibly with other matter around it."""
    text = unglue_lines(_repair_entities(text.replace("\r\n", "\n").replace("\r", "\n")))
    start = _CABLE_START.search(text)
    warnings: list[str] = []
    if start:
        text = text[start.start() :]
    header, body = split_header_body(text)
    if not header:
        warnings.append("no transmission header found")
    return Extract(format=fmt, header=header, body=body, warnings=warnings)


# --- a text export: five lines of metadata, then the cable text (or nothing) ---------------------

def extract_text_export(text: str) -> Extract | None:
    """A text export's file (see :func:`.preamble.read_export_lines`): the stated metadata win,
    the text gives the rest. A file of the five lines alone is a partial record, body empty."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    read = read_export_lines(text)
    if read is None:
        return None
    meta, rest = read
    if not rest.strip():  # (the fields that are not strings are named: **meta holds strings)
        return Extract(format=TEXT_EXPORT, header="", body="", partial=True,
                       warnings=["metadata only: the file holds no cable text"], articles=(),
                       body_lines=None, **meta)
    found = extract_plain_text(rest, fmt=TEXT_EXPORT)
    for key, value in meta.items():
        setattr(found, key, value)
    return found


# --- one row of the cables.csv dump ---------------------------------------------------------------

_CSV_ROW_START = re.compile(r'^\s*"\d+"\s*,\s*"\d{1,2}/\d{1,2}/\d{4}')


def looks_like_csv_row(text: str) -> bool:
    return _CSV_ROW_START.match(text) is not None


def extract_csv_rows(text: str) -> list[Extract]:
    """Rows of cables.csv given as text (one row, or a few)."""
    found = []
    for row in iter_csv_rows([text]):
        fields = csv_row_fields(row)
        found.append(Extract(
            format=CSV_ROW, header=fields["header"], body=fields["body"],
            reference_id=fields["reference_id"], created=fields["date"], origin=fields["origin"],
            classification=fields["classification"],
        ))
    if not found:
        raise ParseError("no cables.csv row found")
    return found


def extract(text: str) -> list[Extract]:
    """Detect the input's shape and extract the cable(s) it holds."""
    if looks_like_csv_row(text):
        return extract_csv_rows(text)
    exported = extract_text_export(text) if text[:1].isdigit() or text[:1].isspace() else None
    if exported is not None:
        return [exported]
    last_pre = _site_page_pre(text)
    if last_pre is not None:
        return extract_site_page(text, last_pre)
    if looks_like_html(text):
        text = html_to_text(text)
    if looks_like_quoted_page(text):
        return extract_quoted_page(text)
    return [extract_plain_text(text)]


# --- other web pages: a saved blog post or article quoting a cable ---------------------------------

_HTML_START = re.compile(r"^\s*(?:<!DOCTYPE\s+html|<html|<head|<body|<\?xml)", re.I)
_BLOCKS = "p, div, tr, li, dt, dd, h1, h2, h3, h4, h5, h6, blockquote, pre, table, section, article, header, footer"


def looks_like_html(text: str) -> bool:
    return _HTML_START.match(text[:512]) is not None


def html_to_text(page: str) -> str:
    """The visible text of a web page as a reader copying it would get: a table row to a line,
    ``<br>`` and block ends to line breaks. Arbitrary web pages need a real HTML parser."""
    tree = HTMLParser(_collapse_source_newlines(page))
    tree.strip_tags(["script", "style", "noscript", "template"])
    for node in tree.css("br"):
        node.replace_with("\n")
    for node in tree.css("td, th"):
        node.insert_after(" ")
    for node in tree.css(_BLOCKS):
        node.insert_after("\n")
    root = tree.body or tree.root
    return root.text(deep=True) if root is not None else ""


_PRE_ELEMENT = re.compile(r"(<pre\b.*?</pre\s*>)", re.S | re.I)
_SOURCE_NEWLINES = re.compile(r"(<br\s*/?>)?[ \t]*\r?\n\s*", re.I)


def _collapse_source_newlines(page: str) -> str:
    """Line breaks in HTML source are spaces to a browser (none after a ``<br>``), except
    inside ``<pre>``."""
    parts = _PRE_ELEMENT.split(page)
    return "".join(p if i % 2 else _SOURCE_NEWLINES.sub(lambda m: m.group(1) or " ", p)
                   for i, p in enumerate(parts))
