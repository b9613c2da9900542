"""Put the field readers together: one Extract in, one Cable out."""

from __future__ import annotations

from ..ids import canonical_id, has_known_station, known_reading, make_id, station_readings
from ..record import Cable
from .context import EMPTY_CONTEXT, ParseContext
from .dates import iso_datetime
from .decode import decode
from .errors import ParseError
from .extract import Extract, extract
from .front import (
    classification_from_text,
    front_layout,
    parse_classified_by,
    parse_eo,
    parse_handling,
    parse_subject,
    parse_tags,
)
from .grammar import SERIAL_LINE as _SERIAL_LINE
from .header import origin_from_station, parse_header
from .layout import layout
from .preamble import strip_preamble
from .pagelines import clean_body
from .paragraphs import parse_summary, read_paragraphs
from .refs import read_references
from .signers import parse_signers


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
    if (not body or body.isspace()) and not (x.partial and x.reference_id):
        raise ParseError("no cable body found", source)  # (a stated partial record may have none)
    header = parse_header(header_raw, context.routes)
    warnings.extend(header.warnings)

    stated_created = x.created or stated.get("created")
    created_stated = iso_datetime(stated_created)
    created = created_stated or (header.dtg[:16] if header.dtg else None)
    if stated_created and not created_stated:
        warnings.append(f"unreadable creation date {stated_created!r}")
    year = int(created[:4]) if created else None

    reference_id = x.reference_id or stated.get("reference_id")
    if reference_id:
        cable_id = _stated_id(reference_id, context, warnings)
    else:
        reference_id = cable_id = _reference_id_from_text(body, year, context, source)

    front = front_layout(body)  # the front matter's parts, found once for all its readers
    handling = parse_handling(body, front)
    classification = (x.classification or stated.get("classification")
                      or classification_from_text(body, front, handling))
    origin = (x.origin or stated.get("origin")
              or (origin_from_station(header.from_.name) if header.from_ else None))
    paragraphs, spans = read_paragraphs(body)
    references = read_references(body, cable_id, year, context.known_ids, _month(created),
                                 context.serial_reach)
    warnings.extend(references.warnings)
    if context.known_ids:
        warnings.extend(f"unknown-id: REF {r.label + ' ' if r.label else ''}{r.id}"
                        for r in references.value if r.id and r.id not in context.known_ids)
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
        handling=handling,
        eo=parse_eo(body, front),
        tags=parse_tags(body, front),
        subject=x.subject or parse_subject(body, front),
        references=references.value,
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
        layout=layout(body, spans, references.value),
    )


def _stated_id(reference_id: str, context: ParseContext, warnings: list[str]) -> str:
    """The canonical id of an id the source states. With the known ids, a reading they hold is
    preferred (``08EFTOLONDON2883`` → ``08LONDON2883``) and one they lack is said so; without
    them, an id whose station is none of the ids' stations is said so."""
    cable_id = canonical_id(reference_id)
    if context.known_ids:
        if cable_id not in context.known_ids:
            known = known_reading(reference_id, context.known_ids)
            if known is not None:
                return known
            warnings.append(f"unknown-id: {cable_id} is not in the known ids")
    elif not has_known_station(cable_id, context.route_stations):
        warnings.append(f"unknown-station: {reference_id} names no station the ids are made of")
    return cable_id


def _reference_id_from_text(body: str, year: int | None, context: ParseContext,
                            source: str | None) -> str:
    """The id made from the serial line (``UNCLAS SECTION 01 OF 02 ASTANA 000038``) and the
    year of the date, when the source states none. The station must be one the ids are made of
    (words glued in front are dropped, :func:`~cables.ids.glued_station_readings`) or one the
    routing table names: an id is never made of a guess — a ParseError says why instead."""
    if year is None:
        raise ParseError("no reference id: none stated, and no date to read one from the text", source)
    unknown = None
    for line in body.lstrip().split("\n", 3)[:3]:
        m = _SERIAL_LINE.match(line.strip())
        if m is None:
            continue
        readings = station_readings(m.group("station"), context.route_stations)
        if not readings:
            unknown = unknown or m.group("station")
            continue
        ids = [make_id(year, s, m.group("serial")) for s in readings]
        return next((i for i in ids if i in context.known_ids), ids[0])
    if unknown:
        raise ParseError(f"no reference id: the serial line names no known station ({unknown!r})", source)
    raise ParseError("no reference id: neither stated nor readable from the cable text", source)


def _month(created: str | None) -> int | None:
    """The month of an ISO date (``2009-09-11T07:07`` → 9), None when there is none."""
    return int(created[5:7]) if created and len(created) >= 7 and created[5:7].isdigit() else None
