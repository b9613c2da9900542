"""A comment's text → safe HTML: the only place where visitors' words become markup.

Two independent layers, so that a bug in one is caught by the other:

1. markdown-it-py with the ``zero`` preset and only the rules the site offers (paragraphs,
   emphasis, links, block quotes, hard line breaks, backslash escapes, entities) and HTML off:
   whatever HTML a commenter types comes out as text, and the renderer refuses ``javascript:``,
   ``vbscript:``, ``file:`` and ``data:`` links;
2. nh3 (the Rust ammonia sanitiser) with an allow-list of exactly the tags those rules produce, the
   ``href`` attribute only, absolute http(s) URLs only (a relative or odd-scheme link loses its
   ``href``: ``jav%09ascript:`` is not a link a browser should see), and every link marked
   ``rel="nofollow ugc"`` (comment links earn no search ranking, so spamming them pays nothing).
"""

from __future__ import annotations

import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "em", "strong", "a", "blockquote", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "*": set()}  # "*": no lang/title on every tag
URL_SCHEMES = {"http", "https"}
LINK_REL = "nofollow ugc noopener noreferrer"
MAX_LINKS = 5

# C0 controls but tab, newline and carriage return, DEL and the C1 controls: invisible, and XML 1.0
# (the Atom feeds) cannot carry most of them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

_markdown = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False}).enable(
    ["emphasis", "link", "autolink", "blockquote", "newline", "escape", "entity"]
)


def without_controls(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text or "")


def sanitise(html: str) -> str:
    """Keep only the comment markup the site allows (also the last word on any stored HTML)."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, url_relative="deny", link_rel=LINK_REL,
                     strip_comments=True)


@lru_cache(maxsize=2048)
def render(text: str) -> str:
    """The HTML of a comment's Markdown text: safe to insert in a page as is."""
    return sanitise(_markdown.render(without_controls(text))).strip()


def count_links(text: str) -> int:
    """How many links the text would show (a comment made of links is spam's signature)."""
    return render(text).count("<a ")
