"""The only stage that touches the output folder.

Everything is gathered in memory first; the folder is written beside the
output and swapped in only when complete, so a failure at any point leaves
the previous site exactly as it was (tests/test_atomic.py fails it at every
step). A folder that does not look like a site is never replaced.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path, PurePosixPath

from .errors import CakupanError, UsageError, display_path


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
    """Write every file into a fresh folder beside out_dir, then swap it in.

    Until the swap, out_dir is not touched; the swap is one step where the
    system allows it (Linux), otherwise two renames that Ctrl-C cannot split.
    On any failure the fresh folder is removed and out_dir is as it was.
    """
    out_dir = _target(out_dir)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        for path in sorted(output.files):
            target = fresh / path
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_file(target, output.files[path])
        os.chmod(fresh, 0o755)
        with _interrupts_held():
            previous = _swap_in(fresh, out_dir)
            if previous is not None:
                shutil.rmtree(previous, ignore_errors=True)
    except BaseException as exc:
        if fresh.exists() and out_dir.exists():  # (never the only copy of a site)
            shutil.rmtree(fresh, ignore_errors=True)
        if isinstance(exc, OSError):
            raise CakupanError(f"{display_path(out_dir)}: the site could not be written ({exc.strerror or exc}); "
                               "the previous site is unchanged") from exc
        raise


def _target(out_dir: Path) -> Path:
    """The output folder, refused when replacing it could lose something that is not a site."""
    out_dir = out_dir.resolve()
    shown = display_path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{shown}: exists and is not a folder (the output folder expected)")
    if Path.cwd().resolve().is_relative_to(out_dir) or out_dir.parent == out_dir:
        raise UsageError(f"{shown}: holds the working folder; choose an output folder of its own, such as site/")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / "index.html").is_file():
        raise UsageError(f"{shown}: is not empty and is not a site (no index.html); cakupan replaces the whole "
                         "folder, so choose another output folder or empty this one")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    return out_dir


def _write_file(path: Path, data: bytes) -> None:
    """One file of the fresh folder (created here: no path is written twice)."""
    with open(path, "xb") as f:
        f.write(data)


def _swap_in(fresh: Path, out_dir: Path) -> Path | None:
    """Put fresh in out_dir's place; return where the previous site now is, to be removed."""
    if not out_dir.exists():
        os.rename(fresh, out_dir)
        return None
    if _exchange(fresh, out_dir):
        return fresh
    aside = fresh.with_name(fresh.name.replace(".new-", ".old-", 1))
    os.rename(out_dir, aside)
    try:
        os.rename(fresh, out_dir)
    except BaseException:
        try:
            os.rename(aside, out_dir)
        except OSError as lost:
            raise CakupanError(f"{out_dir}: the new site could not be moved in nor the previous one put back: "
                               f"the previous site is in {aside}, the new one in {fresh}") from lost
        raise
    return aside


def _renameat2():
    if sys.platform != "linux":
        return None
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without it (glibc before 2.28, musl)
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


_RENAMEAT2 = _renameat2()
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2); False where the system cannot."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV):  # this file system cannot
        return False
    raise OSError(err, os.strerror(err), str(b))


@contextlib.contextmanager
def _interrupts_held():
    """Hold Ctrl-C (and SIGTERM) back until the block is done, so a swap is never left half made."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only
        return
    caught: list[int] = []
    held = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(sig) is not None:  # (None: a handler set outside Python; leave it)
            held[sig] = signal.signal(sig, lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        for sig, handler in held.items():
            signal.signal(sig, handler)
        if caught:
            signal.raise_signal(caught[0])  # now, with the usual handler: KeyboardInterrupt for Ctrl-C
