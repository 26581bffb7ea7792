"""What `cakupan serve` watches: the input folders as the build's reader sees them, nothing opened.

Why this module exists: the preview looks at data/, content/ and templates/ twice a second, and
they may hold anything a pull request can (a FIFO, a symlink to /dev/zero or out of the folder, a
sparse 10 GB file, a folder replaced by a file while it is looked at). So it walks them with the
same walker as the rebuild's key (generator/data/inputs.py `walk`), which follows no symlink out
and opens no file, and compares what it found: type, size, modification time, symlink target. It
never judges an entry: the build that follows a change reads every input through inputs.py and
reports a bad one as `cakupan build` does.
"""

from __future__ import annotations

from pathlib import Path

from generator.data import inputs


def look(folders: tuple[Path, ...]) -> dict[str, tuple]:
    """Every entry under the folders (but editors' temporary files and hidden ones) with what
    inputs.walk saw of it; a folder that is missing, or is not one, counts as such."""
    found: dict[str, tuple] = {}
    for root in folders:
        if not root.is_dir():
            found[str(root)] = ("missing",)
            continue
        for entry in inputs.walk(root):
            name = entry.path.name
            if any(part.startswith(".") for part in entry.rel.split("/")) or name.startswith("#") \
                    or name.endswith(("~", ".swp")):
                continue
            found[str(root / entry.rel)] = (entry.kind, entry.mode, entry.size, entry.mtime_ns, entry.link,
                                            entry.error)
    return found


def changed(before: dict[str, tuple], now: dict[str, tuple]) -> list[str]:
    """The paths whose entry differs between two looks, sorted."""
    return sorted(path for path in before.keys() | now.keys() if before.get(path) != now.get(path))
