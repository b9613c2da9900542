"""Bytes to text: UTF-8 first, then the Windows code page; mojibake repaired; binary refused."""

from __future__ import annotations

from .errors import ParseError

_MOJIBAKE_MARKERS = ("Ã", "â€", "Â")
# Every marker starts with the byte C3 in UTF-8 ("Ã" C3 83, "Â" C3 82, "â" C3 A2): a page
# read from UTF-8 without that byte has none of them, which one memchr tells.
_MOJIBAKE_LEAD_BYTE = b"\xc3"
# All bytes but the control characters refused in text (C0 controls other than tab, line
# feed, form feed and carriage return); deleting them leaves the control characters to count.
# Controls are ASCII, so the count over the UTF-8 bytes of a text is the count over its chars.
_NOT_CONTROL_BYTES = bytes(c for c in range(256) if not (c <= 0x08 or c == 0x0B or 0x0E <= c <= 0x1F))
_SAMPLE_CHARS = 8192
# A site page of 2011 is 60 KB of sidebar links before the 8 KB that hold the cable; decoding
# only from the metadata table on saves a tenth of the whole parse. Smaller inputs are whole.
_SITE_TABLE = (b"<table class='cable'>", b'<table class="cable">')
_SKIP_SIDEBAR_FROM = 16384


def _from_metadata_table(data: bytes) -> bytes:
    """The page from its last metadata table on, when a ``<pre>`` follows it (the table the
    extractor reads: the last before the cable's blocks). Searched from the end, which spares
    the scan through the sidebar (0.03 instead of 0.08 s over the mirror)."""
    if len(data) > _SKIP_SIDEBAR_FROM:
        for table in _SITE_TABLE:
            at = data.rfind(table)
            if at > 0 and data.find(b"<pre", at) >= 0:
                return data[at:]
    return data


def decode(data: bytes | str, source: str | None = None) -> tuple[str, list[str]]:
    """The text of an input and the warnings met decoding it.

    Raises ParseError for empty input and for binary data (NUL bytes, or mostly control
    characters): there is no cable to read in either.
    """
    warnings: list[str] = []
    utf8: bytes | None = None  # the input's bytes, when they are UTF-8
    if isinstance(data, bytes):
        if not data or data.isspace():  # as `not data.strip()`, without copying the page
            raise ParseError("empty input", source)
        if data.find(b"\x00", 0, 4096) >= 0:
            raise ParseError("binary data (NUL bytes), not a cable page or text", source)
        data = _from_metadata_table(data)
        try:
            text = data.decode("utf-8")
            utf8 = data
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            warnings.append("not valid UTF-8; read as Windows-1252")
    else:
        text = data
    if not text or text.isspace():
        raise ParseError("empty input", source)
    if text.startswith("\ufeff"):
        text = text[1:]
    sample = text[:_SAMPLE_CHARS]
    controls = _control_count(sample, utf8)
    if controls > len(sample) * 0.05 or sample.count("\ufffd") > len(sample) * 0.05:
        raise ParseError("binary data, not a cable page or text", source)
    if _may_have_mojibake(text, utf8):
        repaired = _fix_mojibake(text)
        if repaired != text:
            text = repaired
            warnings.append("mojibake (UTF-8 read as Windows-1252) repaired")
    return text, warnings


def _control_count(sample: str, utf8: bytes | None) -> int:
    """How many control characters ``sample`` (the text's first characters) holds. The bytes it
    was decoded from, when given, hold the sample's: with no control among them there is none
    in the sample, which one pass over them tells without encoding the sample again (most pages
    are not ASCII: encoding was a third of the decoding)."""
    if utf8 is not None and not utf8.translate(None, _NOT_CONTROL_BYTES):
        return 0
    return len(sample.encode("utf-8", "surrogatepass").translate(None, _NOT_CONTROL_BYTES))


def _may_have_mojibake(text: str, utf8: bytes | None) -> bool:
    """Whether a mojibake marker is in ``text`` (``utf8``: the bytes it was decoded from)."""
    if text.isascii():
        return False
    if utf8 is not None and _MOJIBAKE_LEAD_BYTE not in utf8:
        return False
    return any(marker in text for marker in _MOJIBAKE_MARKERS)


def _fix_mojibake(text: str) -> str:
    import ftfy  # only loaded for the rare input that needs it

    return ftfy.fix_text(text, uncurl_quotes=False, fix_line_breaks=False, normalization=None)
