"""The only stage that touches the output folder.

Everything is gathered in memory first; the folder is written beside the
output and swapped in only when complete, so a failure at any point leaves
the previous site exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from .errors import CakupanError


class Output:
    """The files of a site, by path relative to its root; a path is written once."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def add(self, path: str, data: bytes | str) -> None:
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in path:
            raise CakupanError(f"refusing to write outside the site: {path!r}")
        if path in self.files:
            raise CakupanError(f"two outputs want the same path: {path}")
        self.files[path] = data.encode("utf-8") if isinstance(data, str) else data

    @property
    def size(self) -> int:
        return sum(len(b) for b in self.files.values())


def write_site(output: Output, out_dir: Path) -> None:
    """Write every file into a fresh folder beside out_dir, then swap it in."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        for path in sorted(output.files):
            target = fresh / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(output.files[path])
        os.chmod(fresh, 0o755)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    old = None
    if out_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
        os.rmdir(old)
        os.rename(out_dir, old)
    try:
        os.rename(fresh, out_dir)
    except BaseException:
        if old is not None:
            os.rename(old, out_dir)
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
