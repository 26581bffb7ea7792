"""Dated reports as published: their manifests, their zips, and verifying a copy.

A snapshot's report is cited for years, so its files must not change behind
the reader's back. Each dated report ships SHA256SUMS (the hashes of every
file it shows) and a zip that opens offline; generator/published.py keeps a
frozen report's bytes in the repository.
"""

from __future__ import annotations

import hashlib
import struct
import threading
import zlib
from collections import OrderedDict
from datetime import date as Date

from generator.errors import CakupanError

MANIFEST = "SHA256SUMS"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_text(files: dict[str, bytes]) -> str:
    """sha256sum's format: run `sha256sum -c <region>/arsip/<date>/SHA256SUMS` from the site's root."""
    return "".join(f"{sha256(files[p])}  {p}\n" for p in sorted(files))


def parse_manifest(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        if line.strip():
            digest, path = line.split("  ", 1)
            out[path] = digest
    return out


def snapshot_zip(folder: str, files: dict[str, bytes], when: Date) -> bytes:
    """A zip of a dated report that opens offline; the same files always give the same bytes.

    Written here rather than with zipfile so that a file's compressed form is
    made once per process (see _packed): every dated report carries the same
    900 KB assets/vega.js and many of the same charts. The layout is the one
    zipfile writes to a seekable file: entries sorted by path under folder/,
    each a local header (no extra field, no data descriptor) and its data,
    then the central directory and the end record. Every entry is dated `when`
    at midnight (1980 at the earliest), made on Unix with mode 0644, deflated
    at level 9 unless that is no smaller, then stored. Without ZIP64: over
    65,534 entries or 4 GB stops the build."""
    if when.year > 2107:
        raise CakupanError(f"{folder}.zip: a zip cannot date its files after 2107 (the report is dated {when})")
    dosdate = (max(when.year, 1980) - 1980) << 9 | when.month << 5 | when.day
    dostime = 0  # midnight
    external = 0o644 << 16  # -rw-r--r--
    body: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for path in sorted(files):
        name = f"{folder}/{path}"
        try:
            raw, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            raw, flags = name.encode("utf-8"), 0x800  # bit 11: the name is UTF-8
        data = files[path]
        if len(data) >= 0xFFFFFFFF or offset >= 0xFFFFFFFF:
            raise CakupanError(f"{folder}.zip: {path} ({len(data)} bytes, from byte {offset}) goes past the 4 GB "
                               "a zip without ZIP64 holds")
        method, crc, packed = _packed(data)
        # version needed 2.0, flags, method, time, date, CRC-32, sizes, name length, no extra field
        fields = (20, 0, flags, method, dostime, dosdate, crc, len(packed), len(data), len(raw), 0)
        body += (struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", *fields), raw, packed)
        # made by 2.0 on Unix (3), then as above, no comment, disk 0, internal 0, external, local header's offset
        central.append(struct.pack("<4s2B", b"PK\x01\x02", 20, 3) + struct.pack("<2B4HL2L2H", *fields)
                       + struct.pack("<3HLL", 0, 0, 0, external, offset) + raw)
        offset += 30 + len(raw) + len(packed)
    listing = b"".join(central)
    if len(central) >= 0xFFFF or offset + len(listing) >= 0xFFFFFFFF:
        raise CakupanError(f"{folder}.zip: {len(central)} files, {offset + len(listing)} bytes: more than a zip "
                           "without ZIP64 holds (65,534 files, 4 GB)")
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), len(listing), offset, 0)
    return b"".join(body) + listing + end


def _deflated(data: bytes) -> tuple[int, int, bytes]:
    """(method, CRC-32, the bytes as stored) of one file: deflated at level 9 (8), or stored (0) if no smaller."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate, as zip holds it
    packed = packer.compress(data) + packer.flush()
    if len(packed) < len(data):
        return 8, zlib.crc32(data), packed
    return 0, zlib.crc32(data), data


# What decides a zip's bytes: the build cache keys zips by their source (cache.snapshot_zip).
ZIP_CODE = (snapshot_zip, _deflated)

# Each file's compressed form by its SHA-256, least recently used first, up to
# _MEMO_BYTES of it; files under _MEMO_MIN bytes are quicker to compress again.
# Only speed depends on it: _deflated is a pure function of the bytes.
_MEMO_BYTES = 64 << 20
_MEMO_MIN = 1024
_memo: OrderedDict[bytes, tuple[int, int, bytes]] = OrderedDict()
_memo_size = 0
_memo_lock = threading.Lock()


def _packed(data: bytes) -> tuple[int, int, bytes]:
    """_deflated(data), made once per process for each content (within the memo's bounds)."""
    global _memo_size
    if len(data) < _MEMO_MIN:
        return _deflated(data)
    key = hashlib.sha256(data).digest()
    with _memo_lock:
        found = _memo.get(key)
        if found is not None:
            _memo.move_to_end(key)
            return found
    made = _deflated(data)
    if len(made[2]) <= _MEMO_BYTES // 4:
        with _memo_lock:
            if key not in _memo:
                _memo[key] = made
                _memo_size += len(made[2])
                while _memo_size > _MEMO_BYTES:
                    _memo_size -= len(_memo.popitem(last=False)[1][2])
    return made


def clear_zip_memo() -> None:
    """Forget every compressed file (for tests: a zip must not depend on what was zipped before)."""
    global _memo_size
    with _memo_lock:
        _memo.clear()
        _memo_size = 0
