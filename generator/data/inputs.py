"""The one way cakupan reads an input file: checked for type, place and size before a byte is read.

data/, content/ and templates/ may come from a pull request, and a Pages
workflow builds them on a CI runner. A symlink there could otherwise publish a
file from anywhere on that machine (`/etc/passwd`, `/proc/self/environ`), a
FIFO or `/dev/zero` could stall the build for ever, and a sparse 10 GB file
could fill its memory. So every input (YAML snapshots and regions, frozen
records, Markdown pages and editor's notes, CNAME, templates and their assets)
is read by `read_bytes` or `read_text`, which require:

- a regular file (not a FIFO, device, socket or folder), possibly through
  symlinks, whose real location is inside the input folder it belongs to;
- at most `limit` bytes (checked on the file's size first, then again while
  reading, since /proc files and growing files report no true size);
- for text, UTF-8.

Anything else is an InputError (a UsageError: exit 2) naming the file.

`walk` lists what an input folder holds under the same rules, without opening a file: the
rebuild's key (publish/rebuild.py) and `cakupan serve`'s watcher both look at the inputs through it.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from generator.errors import UsageError, display_path

KB = 1000
MAX_YAML = 1_000_000  # a snapshot or region is a few KB (load.MAX_BYTES)
MAX_MARKDOWN = 200 * KB  # the methodology page is 12 KB; Markdown's cost grows faster than its size
MAX_JSON = 5_000_000  # a frozen record lists a report's files: a few KB
MAX_TEMPLATE = 1_000_000  # the biggest template is 20 KB
MAX_ASSET = 5_000_000  # style.css, site.js, favicon.svg: a few KB each
MAX_CNAME = 1 * KB  # one domain name


class InputError(UsageError):
    """An input file that cannot be read as one: outside its folder, not a regular file, too big, not UTF-8."""

    def __init__(self, path: Path, reason: str, line: int = 0):
        self.shown = display_path(path)
        self.reason = reason
        self.line = line
        super().__init__(f"{self.shown}{f':{line}' if line else ''}: {reason}")


def check(path: Path, folder: Path, limit: int) -> None:
    """Raise InputError unless path is a regular file inside folder (after symlinks) of at most limit bytes."""
    try:
        real, top = path.resolve(strict=True), folder.resolve()
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError(path, "is a symlink to nothing (a file expected)") from None
        raise InputError(path, "does not exist") from None
    except (OSError, RuntimeError) as exc:  # a symlink loop, a folder that cannot be entered
        raise InputError(path, f"cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    if not real.is_relative_to(top):
        raise InputError(path, f"is a symlink to a file outside {display_path(folder)}/ (inputs must stay "
                               "inside their folder; copy the file in instead)")
    try:
        mode = os.stat(real).st_mode
        size = os.stat(real).st_size
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(mode):
        raise InputError(path, f"is {_kind(mode)}, not a regular file")
    if size > limit:
        raise InputError(path, f"file is {size:,} bytes (at most {limit:,} expected)")


def read_bytes(path: Path, folder: Path, limit: int) -> bytes:
    """The bytes of an input file, after check()."""
    check(path, folder, limit)
    try:
        # O_NONBLOCK: should the file have become a FIFO since check(), open() does not wait for a writer
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError(path, f"is {_kind(os.fstat(fd).st_mode)}, not a regular file")
        try:
            data = f.read(limit + 1)
        except OSError as exc:
            raise InputError(path, f"cannot be read ({exc.strerror})") from None
    if len(data) > limit:
        raise InputError(path, f"file is more than {limit:,} bytes (at most {limit:,} expected)")
    return data


def read_text(path: Path, folder: Path, limit: int) -> str:
    """An input file as UTF-8 text (a byte order mark is dropped), after check()."""
    data = read_bytes(path, folder, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, "is not UTF-8 text (save it as UTF-8)", line) from None


@dataclass(frozen=True)
class Entry:
    """One entry under an input folder, as walk() found it (nothing opened, only looked at).

    kind: "file" (a regular file, maybe through symlinks inside the folder), "folder", "again" (a
    folder already walked: a symlink loop, or a folder linked twice), "outside" (a symlink whose
    target lies outside the folder: the build refuses it, so it is never followed), "special" (a
    FIFO, device or socket: never opened), "broken" (a symlink to nothing, or an entry gone while
    looking) or "unreadable" (a folder that cannot be listed, or was replaced by a file meanwhile).
    mode, size and mtime_ns are those of what the entry points at (0 when unknown)."""

    path: Path
    rel: str  # relative to the folder, "/"-separated
    kind: str
    mode: int = 0
    size: int = 0
    mtime_ns: int = 0
    link: str | None = None  # where a symlink points, as written
    error: int = 0  # why a folder could not be listed (its errno)


def walk(folder: Path) -> Iterator[Entry]:
    """Every entry under folder, in a fixed order (sorted names, depth first). A symlinked folder
    inside the folder is walked once; nothing outside it is entered, and no file is opened, so a
    FIFO, a device, a huge file or a folder that changes while it is walked cannot stop it. It keeps
    a stack of its own rather than recursing, so no depth of folders is too deep for it either."""
    top = os.path.realpath(folder)
    seen: set[tuple[int, int]] = set()
    stack = [_listing(Path(folder), "", top, seen)]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        yield entry
        if entry.kind == "folder":
            stack.append(_listing(entry.path, entry.rel + "/", top, seen))


def _listing(here: Path, shown: str, top: str, seen: set[tuple[int, int]]) -> Iterator[Entry]:
    """The entries directly in one folder (a folder is known by its device and inode, which costs
    one stat at any depth, where its real path costs one per folder above it)."""
    try:
        st = os.stat(here)
        if (st.st_dev, st.st_ino) in seen:
            yield Entry(here, shown, "again")
            return
        seen.add((st.st_dev, st.st_ino))
        names = sorted(os.listdir(here))
    except OSError as exc:
        yield Entry(here, shown, "unreadable", error=exc.errno or 0)
        return
    for name in names:
        yield _entry(here / name, f"{shown}{name}", top)


def _entry(path: Path, rel: str, top: str) -> Entry:
    link = None
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            link = os.readlink(path)
            st = os.stat(path)  # (what it points at)
            if os.path.commonpath([top, os.path.realpath(path)]) != top:
                return Entry(path, rel, "outside", st.st_mode, st.st_size, st.st_mtime_ns, link)
    except (OSError, ValueError):  # a broken link or a loop; removed while looking
        return Entry(path, rel, "broken", link=link)
    kind = "folder" if stat.S_ISDIR(st.st_mode) else "file" if stat.S_ISREG(st.st_mode) else "special"
    return Entry(path, rel, kind, st.st_mode, st.st_size, st.st_mtime_ns, link)


def _kind(mode: int) -> str:
    return ("a folder" if stat.S_ISDIR(mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a special file")
