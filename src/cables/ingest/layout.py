"""Records packed before they carried a layout get theirs when read back.

The record's ``layout`` (where its paragraphs and REF mentions stand in the body, see
:class:`cables.record.Layout`) was added after archives had been written: their versions unpack
with ``layout`` None, and the pages need it. It is derived from the text alone (body, paragraphs,
references) by a pure function of the parser, so it is computed when such a record is read
(:meth:`cables.store.models.CableVersion.to_record`, which the settings' ``CABLES_RECORD_FILLER``
points here) rather than by rewriting every version of
every archive: no migration to run or to interrupt, the hashes and the stored bytes stay as they
were (a re-ingest of the same pages still says ``unchanged``), and the cost (reading the
paragraphs of one body again, ~0.3 ms) is paid only for old versions, once per rendered page (the
page cache keeps the result). New versions are packed with their layout.

The store never imports ``parse`` nor ``ingest`` (it sits below both in the flow): the settings
name this function, and the store calls what they name.
"""

from __future__ import annotations

import dataclasses

from ..parse.layout import layout_of
from ..record import Cable


def with_layout(record: Cable) -> Cable:
    """``record`` with its layout: as it is when it has one, else derived from its text."""
    if record.layout is not None:
        return record
    return dataclasses.replace(record, layout=layout_of(record.body, record.paragraphs, record.references))
