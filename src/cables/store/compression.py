"""Zstandard for what the archive keeps packed (a version's record, a cable page's kept render):
one compressor per thread and level, one decompressor per thread, made on first use.

A Zstandard (de)compressor keeps state of its own and is not safe to share between threads (the
web server's threads, the parsing processes' one); making one costs more than packing a record.
"""

from __future__ import annotations

import threading

import zstandard

MAGIC = b"\x28\xb5\x2f\xfd"  # the first bytes of a Zstandard frame
_codecs = threading.local()


def compress(data: bytes, level: int) -> bytes:
    compressors = getattr(_codecs, "compressors", None)
    if compressors is None:
        compressors = _codecs.compressors = {}
    codec = compressors.get(level)
    if codec is None:
        codec = compressors[level] = zstandard.ZstdCompressor(level=level)
    return codec.compress(data)


def decompress(data: bytes) -> bytes:
    codec = getattr(_codecs, "decompressor", None)
    if codec is None:
        codec = _codecs.decompressor = zstandard.ZstdDecompressor()
    return codec.decompress(data)
