"""Sharing and citing a cable: the hashtags WikiLeaks asked for, share links, a citation.

Every link starts from the canonical URL, so a shared or cited cable always lands on the one
address of its page. Mastodon has no central server: the reader names an instance and
:func:`mastodon_host` checks that it is a host name before anyone is redirected there.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from .cable_display import date_words

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def hashtags(reference_id: str) -> str:
    """``#cablegate #06ASTANA38``: how WikiLeaks asked readers to tag a cable."""
    return f"#cablegate #{reference_id}"


def share_text(reference_id: str, subject: str | None) -> str:
    return f"{reference_id}: {subject} {hashtags(reference_id)}" if subject else hashtags(reference_id)


def share_links(url: str, reference_id: str, subject: str | None) -> dict[str, str]:
    text = share_text(reference_id, subject)
    title = f"{reference_id}: {subject}" if subject else reference_id
    body = f"{title}\n{url}"
    return {
        "x": "https://twitter.com/intent/tweet?" + urlencode({"text": text, "url": url}),
        "bluesky": "https://bsky.app/intent/compose?" + urlencode({"text": f"{text} {url}"}),
        "email": f"mailto:?subject={quote(title)}&body={quote(body)}",
    }


def mastodon_share_url(host: str, url: str, reference_id: str, subject: str | None) -> str:
    return f"https://{host}/share?" + urlencode({"text": f"{share_text(reference_id, subject)} {url}"})


def mastodon_host(value: str | None) -> str | None:
    """The host name a reader typed for their Mastodon instance, or None when it is none.

    Accepts ``mastodon.social``, ``https://mastodon.social/``, ``@me@mastodon.social``; refuses
    ports, paths with credentials, IP addresses, single labels and anything not a DNS name.
    """
    text = (value or "").strip()
    if not text or len(text) > 300:
        return None
    text = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", text)
    text = text.split("/", 1)[0]
    if "@" in text:
        text = text.rsplit("@", 1)[1]
    text = text.rstrip(".").lower()
    try:
        text = text.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    labels = text.split(".")
    if len(text) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return None
    if labels[-1].isdigit():  # an IPv4 address, not a name
        return None
    return text


def citation_head(reference_id: str, subject: str | None, origin: str | None,
                  created: str | None) -> str:
    """The citation without ¶ and URL: ``06ASTANA38, “SUBJECT”, Embassy Astana, 24 April 2006``."""
    parts = [reference_id]
    if subject:
        parts.append(f"“{subject}”")
    if origin:
        parts.append(origin)
    if created:
        parts.append(date_words(created, with_time=False))
    return ", ".join(parts)


def citation(reference_id: str, subject: str | None, origin: str | None, created: str | None,
             url: str, paragraph: str | None = None) -> str:
    """One line a reader can paste: id, subject, origin, date, ¶, URL (cable.js builds the same
    line from the head when the reader moves to another paragraph)."""
    head = citation_head(reference_id, subject, origin, created)
    if paragraph:
        return f"{head}, ¶ {paragraph}. {url}#par{paragraph}"
    return f"{head}. {url}"
