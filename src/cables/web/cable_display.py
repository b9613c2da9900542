"""The words a reader needs for what a cable writes in codes: precedences, date-time groups,
handling words, paragraph markings, E.O. reasons. Pure functions, no database, no Django models.

Telegrams were written for machines and trained clerks (``P 240336Z APR 06``); a reader of the
archive deserves "Priority, 24 April 2006, 03:36 UTC" with the code still one glance away.
"""

from __future__ import annotations

import re
from datetime import datetime

from .links import slug

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")

# ACP 127 precedence prosigns, as the header's precedence line writes them (``P``, ``O R``).
PRECEDENCE_LETTERS = {
    "Z": "Flash", "O": "Immediate", "P": "Priority", "R": "Routine", "Y": "Emergency",
    "W": "Critic",
}
# How FM/TO/INFO lines write a precedence.
PRECEDENCE_WORDS = {
    "FLASH": "Flash", "IMMEDIATE": "Immediate", "PRIORITY": "Priority", "ROUTINE": "Routine",
    "NIACT IMMEDIATE": "Night action, immediate", "NIACT": "Night action",
}

HANDLING = {
    "SIPDIS": "SIPRNet distribution: cleared for posting on the State Department's classified "
              "network (SIPRNet), where other agencies could read it",
    "NOFORN": "Not releasable to foreign nationals",
    "NOFORN//SIPDIS": "Not releasable to foreign nationals; SIPRNet distribution",
    "SENSITIVE": "Sensitive: limited distribution within the U.S. government",
    "NODIS": "No distribution beyond the addressees without the originator's approval",
    "EXDIS": "Exclusive distribution: to officers with an essential need to know",
    "LIMDIS": "Limited distribution",
    "STADIS": "State Department distribution only",
    "ROGER": "Distribution within the Department restricted to named offices",
    "EFTO": "Encrypt for transmission only: unclassified, but sent encrypted",
    "FOUO": "For official use only",
    "ORCON": "Dissemination controlled by the originator",
    "NOCONTRACT": "Not releasable to contractors",
    "PROPIN": "Proprietary information",
    "NIACT": "Night action: the addressee must act on it at once, even out of hours",
    "CHEROKEE": "Distribution limited to the Secretary and named senior officials",
}

# Section 1.4 of E.O. 12958 (as amended by E.O. 13292): why information may be classified.
EO_REASONS = {
    "a": "military plans, weapons systems, or operations",
    "b": "foreign government information",
    "c": "intelligence activities (including special activities), intelligence sources or "
         "methods, or cryptology",
    "d": "foreign relations or foreign activities of the United States, including confidential "
         "sources",
    "e": "scientific, technological, or economic matters relating to the national security, "
         "which includes defense against transnational terrorism",
    "f": "United States Government programs for safeguarding nuclear materials or facilities",
    "g": "vulnerabilities or capabilities of systems, installations, infrastructures, projects, "
         "plans, or protection services relating to the national security, which includes "
         "defense against transnational terrorism",
    "h": "weapons of mass destruction",
}

MARKING_LEVELS = {
    "U": "Unclassified", "UNCLAS": "Unclassified", "UNCLASSIFIED": "Unclassified",
    "SBU": "Sensitive but unclassified", "LOU": "Limited official use",
    "FOUO": "For official use only", "C": "Confidential", "CONFIDENTIAL": "Confidential",
    "S": "Secret", "SECRET": "Secret", "TS": "Top secret", "NC": "NATO confidential",
}
MARKING_CAVEATS = {"NF": "not releasable to foreign nationals", "NOFORN": "not releasable to foreign nationals"}

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")


def precedence_words(code: str | None) -> str | None:
    """``P`` → ``Priority``; ``O R`` → ``Immediate for action, Routine for information``."""
    if not code:
        return None
    letters = code.split()
    words = [PRECEDENCE_LETTERS.get(letter[:1].upper()) for letter in letters]
    if not all(words):
        return code
    if len(words) == 1 or len(set(words)) == 1:
        return words[0]
    return f"{words[0]} for action, {words[1]} for information"


def addressee_precedence(word: str | None) -> str | None:
    if not word:
        return None
    return PRECEDENCE_WORDS.get(" ".join(word.upper().split()), word.capitalize())


def date_words(value: str | None, with_time: bool = True) -> str | None:
    """``2006-04-24T03:36Z`` → ``24 April 2006, 03:36 UTC``; a bare date → ``24 April 2006``."""
    if not value:
        return None
    m = _ISO.match(value)
    if m is None or not 1 <= int(m.group(2)) <= 12:
        return value
    year, month, day, hour, minute = m.groups()
    text = f"{int(day)} {MONTHS[int(month) - 1]} {year}"
    if with_time and hour is not None:
        text += f", {hour}:{minute} UTC"
    return text


def short_date(value: str | None) -> str:
    """``2006-04-24T03:36`` → ``2006-04-24 03:36`` (the metadata table's form)."""
    return (value or "").replace("T", " ").rstrip("Z")


def dtg_as_written(dtg: str | None) -> str | None:
    """``2006-04-24T03:36Z`` → ``240336Z APR 06``, the date-time group as the header writes it."""
    m = _ISO.match(dtg or "")
    if m is None or m.group(4) is None or not 1 <= int(m.group(2)) <= 12:
        return None
    year, month, day, hour, minute = m.groups()
    return f"{day}{hour}{minute}Z {MONTHS[int(month) - 1][:3].upper()} {year[2:]}"


def handling_meaning(word: str) -> str | None:
    return HANDLING.get(word.upper())


def reason_parts(reason: str) -> tuple[str, str | None, str | None]:
    """``1.4(d)`` → (``1.4 (d)``, the meaning of (d), ``d``); ``1.5(b)`` is the same list under the
    order's first numbering."""
    m = re.match(r"^\s*(1\.[45])\s*\(?\s*([a-hA-H])?\s*\)?", reason)
    if m is None:
        return reason, None, None
    section, letter = m.group(1), (m.group(2) or "").lower()
    label = f"{section} ({letter})" if letter else section
    return label, EO_REASONS.get(letter), letter or None


def decl_words(decl: str | None, decl_date: str | None) -> str | None:
    """What the E.O. line says about declassification, in words."""
    if decl_date:
        return f"declassify on {date_words(decl_date, with_time=False)}"
    if not decl:
        return None
    if decl.strip().upper() == "N/A":
        return "not applicable (nothing classified)"
    return decl


def marking_title(marking: str | None) -> str | None:
    """``S/NF`` → ``Secret, not releasable to foreign nationals``; ``C/REL UK`` → ``Confidential,
    releasable to UK``. None when the marking is no classification we know."""
    if not marking:
        return None
    parts = [p.strip() for p in re.split(r"/{1,2}|\s+-\s+", marking) if p.strip()]
    level = MARKING_LEVELS.get(parts[0].upper()) if parts else None
    if level is None:
        return None
    words = [level]
    for part in parts[1:]:
        upper = part.upper()
        if upper in MARKING_CAVEATS:
            words.append(MARKING_CAVEATS[upper])
        elif upper.startswith("REL"):
            words.append("releasable to " + part[3:].strip(" :").replace("  ", " "))
        else:
            words.append(part)
    return ", ".join(words)


def classification_anchor(classification: str | None) -> str:
    """The anchor of a classification on the about page: ``SECRET//NOFORN`` → ``secret-noforn``."""
    return slug(classification or "")


def released_day(released: str | None) -> str | None:
    m = _ISO.match(released or "")
    return None if m is None else f"{m.group(1)}-{m.group(2)}-{m.group(3)}"


def year_month(created: str | None) -> tuple[str, str] | None:
    m = _ISO.match(created or "")
    if m is None or not 1 <= int(m.group(2)) <= 12:
        return None
    return m.group(1), m.group(2)


def iso_datetime(value: str | None) -> str | None:
    """A value for ``<time datetime>``: ``2006-04-24T03:36Z``."""
    m = _ISO.match(value or "")
    if m is None:
        return None
    try:
        datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    if m.group(4) is None:
        return m.group(0)[:10]
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}T{m.group(4)}:{m.group(5)}Z"
