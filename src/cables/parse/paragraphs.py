"""The flowing text: page lines removed, numbered paragraphs, summary, signers."""

from __future__ import annotations

from ..record import Paragraph


def clean_body(body_raw: str) -> str:
    return body_raw.strip()


def parse_paragraphs(body: str) -> tuple[Paragraph, ...]:
    return ()


def parse_summary(body: str, paragraphs: tuple[Paragraph, ...]) -> str | None:
    return None


def parse_signers(body: str) -> tuple[str, ...]:
    return ()
