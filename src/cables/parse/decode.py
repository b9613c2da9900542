"""Bytes to text: UTF-8 first, then the Windows code page; mojibake repaired; binary refused."""

from __future__ import annotations

import re

from .errors import ParseError

_MOJIBAKE_MARKERS = ("Ã", "â€", "Â")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def decode(data: bytes | str, source: str | None = None) -> tuple[str, list[str]]:
    """The text of an input and the warnings met decoding it.

    Raises ParseError for empty input and for binary data (NUL bytes, or mostly control
    characters): there is no cable to read in either.
    """
    warnings: list[str] = []
    if isinstance(data, bytes):
        if not data.strip():
            raise ParseError("empty input", source)
        if b"\x00" in data[:4096]:
            raise ParseError("binary data (NUL bytes), not a cable page or text", source)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            warnings.append("not valid UTF-8; read as Windows-1252")
    else:
        text = data
    if not text.strip():
        raise ParseError("empty input", source)
    if text.startswith("\ufeff"):
        text = text[1:]
    sample = text[:8192]
    controls = len(_CONTROL_CHARS.findall(sample))
    if controls > len(sample) * 0.05 or sample.count("\ufffd") > len(sample) * 0.05:
        raise ParseError("binary data, not a cable page or text", source)
    if any(marker in text for marker in _MOJIBAKE_MARKERS):
        repaired = _fix_mojibake(text)
        if repaired != text:
            text = repaired
            warnings.append("mojibake (UTF-8 read as Windows-1252) repaired")
    return text, warnings


def _fix_mojibake(text: str) -> str:
    import ftfy  # only loaded for the rare input that needs it

    return ftfy.fix_text(text, uncurl_quotes=False, fix_line_breaks=False, normalization=None)
