"""The files of cakupan's caches (build cache, parse cache, site records): read whole and
trusted only when they check out, written so that a reader never sees half of one.

A missing, read-only or full cache folder only makes builds slower, so nothing
here raises: reading gives None, writing gives False."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")


def read(path: Path, unpack: Callable[[bytes], T | None]) -> T | None:
    """The entry at path as unpack makes it; None when there is none or unpack refuses it
    (then the damaged file is removed, to be made again)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    value = unpack(data)
    if value is None:
        try:
            path.unlink()
        except OSError:
            pass
    return value


def write(path: Path, data: bytes) -> bool:
    """Write data to a temporary file beside path and rename it into place; False if that failed."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "wb") as f:
            f.write(data)
        os.replace(partial, path)
        return True
    except OSError:
        try:
            partial.unlink()
        except OSError:
            pass
        return False
