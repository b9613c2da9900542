"""The body's front matter: handling words, E.O. line, TAGS, SUBJECT, Classified By."""

from __future__ import annotations

from ..record import ClassifiedBy, ExecutiveOrder, Tag


def parse_handling(body: str) -> tuple[str, ...]:
    return ()


def parse_eo(body: str) -> ExecutiveOrder | None:
    return None


def parse_tags(body: str) -> tuple[Tag, ...]:
    return ()


def parse_subject(body: str) -> str | None:
    return None


def parse_classified_by(body: str) -> ClassifiedBy | None:
    return None


def classification_from_text(body: str) -> str | None:
    return None
