"""Put the field readers together: one Extract in, one Cable out."""

from __future__ import annotations

import re

from ..ids import canonical_id, make_id
from ..record import Cable
from .context import EMPTY_CONTEXT, ParseContext
from .dates import iso_datetime
from .decode import decode
from .errors import ParseError
from .extract import Extract, extract
from .front import (
    classification_from_text,
    parse_classified_by,
    parse_eo,
    parse_handling,
    parse_subject,
    parse_tags,
)
from .header import origin_from_station, parse_header
from .layout import layout
from .preamble import strip_preamble
from .pagelines import clean_body
from .paragraphs import parse_summary, read_paragraphs
from .refs import parse_references
from .signers import parse_signers

# "UNCLAS SECTION 01 OF 02 ASTANA 000038" / "C O N F I D E N T I A L TEHRAN 08980": the
# station and serial of the cable, from which a reference id is made when the source states none.
_SERIAL_LINE = re.compile(
    r"^(?:(?:UNCLAS(?:SIFIED)?|C\s?O\s?N\s?F\s?I\s?D\s?E\s?N\s?T\s?I\s?A\s?L|S\s?E\s?C\s?R\s?E\s?T|"
    r"LIMITED\s+OFFICIAL\s+USE|E\s?F\s?T\s?O|NOFORN|SENSITIVE|EXDIS|NODIS|LIMDIS|STADIS|SIPDIS|"
    r"FOR\s+OFFICIAL\s+USE\s+ONLY|SECTION\s+\d+\s+OF\s+\d+|//|/|,)\s*)*"
    r"(?P<station>[A-Z][A-Z .'-]*?[A-Z])\s+0*(?P<serial>\d{1,7})\s*$"
)


def parse(data: bytes | str, *, source: str | None = None,
          context: ParseContext = EMPTY_CONTEXT) -> list[Cable]:
    """Every cable found in ``data``. Raises ParseError when there is none."""
    text, warnings = decode(data, source)
    try:
        extracts = extract(text)
    except ParseError as exc:
        raise ParseError(exc.reason, source) from None
    cables = [_assemble(x, context, warnings, source) for x in extracts]
    return cables


def parse_one(data: bytes | str, *, source: str | None = None,
              context: ParseContext = EMPTY_CONTEXT) -> Cable:
    """The first (usually the only) cable found in ``data``."""
    return parse(data, source=source, context=context)[0]


def _assemble(x: Extract, context: ParseContext, decode_warnings: list[str],
              source: str | None) -> Cable:
    warnings = list(decode_warnings) + list(x.warnings)
    header_raw = x.header.strip("\n")
    body_raw = x.body
    without_debris, stated = strip_preamble(body_raw)
    body = clean_body(without_debris, x.body_lines if without_debris is body_raw else None)
    if not body or body.isspace():
        raise ParseError("no cable body found", source)
    header = parse_header(header_raw, context.routes)
    warnings.extend(header.warnings)

    stated_created = x.created or stated.get("created")
    created_stated = iso_datetime(stated_created)
    created = created_stated or (header.dtg[:16] if header.dtg else None)
    if stated_created and not created_stated:
        warnings.append(f"unreadable creation date {stated_created!r}")
    year = int(created[:4]) if created else None

    reference_id = x.reference_id or stated.get("reference_id") or _reference_id_from_text(body, year)
    if not reference_id:
        raise ParseError("no reference id: neither stated nor readable from the cable text", source)
    cable_id = canonical_id(reference_id)

    classification = x.classification or stated.get("classification") or classification_from_text(body)
    origin = (x.origin or stated.get("origin")
              or (origin_from_station(header.from_.name) if header.from_ else None))
    paragraphs, spans = read_paragraphs(body)
    references = parse_references(body, cable_id, year, context.known_ids, _month(created),
                                  context.serial_reach)
    return Cable(
        reference_id=reference_id,
        canonical_id=cable_id,
        created=created,
        released=iso_datetime(x.released),
        classification=classification,
        origin=origin,
        transmission_id=header.transmission_id,
        precedence=header.precedence,
        dtg=header.dtg,
        from_=header.from_,
        to=header.to,
        info=header.info,
        handling=parse_handling(body),
        eo=parse_eo(body),
        tags=parse_tags(body),
        subject=parse_subject(body),
        references=references,
        paragraphs=paragraphs,
        summary=parse_summary(body, paragraphs),
        signers=parse_signers(body),
        classified_by=parse_classified_by(body),
        body=body,
        header_raw=header_raw,
        body_raw=body_raw,
        partial=x.partial,
        articles=x.articles,
        source_format=x.format,
        warnings=tuple(warnings),
        layout=layout(body, spans, references),
    )


def _reference_id_from_text(body: str, year: int | None) -> str | None:
    if year is None:
        return None
    for line in body.lstrip().split("\n", 3)[:3]:
        m = _SERIAL_LINE.match(line.strip())
        if m:
            return make_id(year, m.group("station"), m.group("serial"))
    return None


def _month(created: str | None) -> int | None:
    """The month of an ISO date (``2009-09-11T07:07`` → 9), None when there is none."""
    return int(created[5:7]) if created and len(created) >= 7 and created[5:7].isdigit() else None
