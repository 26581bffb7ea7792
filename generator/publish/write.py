"""The only stage that touches the output folder.

Files are written into a fresh folder beside the output (streamed as the
build makes them, or all at once from memory) and swapped in only when complete, so a failure at any point leaves
the previous site exactly as it was (tests/test_atomic.py fails it at every
step). A folder that does not look like a site is never replaced.

The files a rebuild keeps from the previous site (its unchanged dated
reports: nine in ten of a national site's 144,000 files) are not linked into
the fresh folder one by one as the build goes, which cost a new snapshot more
than the rest of its build (making 33,000 folders). They are carried
(Output.carry_all) and put in at the swap (publish/carry.py): a folder of the
previous site holding only kept files moves whole, in one rename, and the rest
is linked. Those moves, the swap and their undoing on failure run with Ctrl-C
held, so the previous site is touched only in that last step; a build killed
outright (SIGKILL, power) within it can leave the previous site without some
of its folders, and the next build, finding no record of it, makes them again.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path

from generator.errors import CakupanError, UsageError, display_path
from generator.publish.carry import carry_in, put_back


_LOCAL = re.compile(r"[^/\\\x00]+(?:/[^/\\\x00]+)*")  # a relative path: no leading, doubled or trailing "/", no "\\"


class Output:
    """The files of a site, by path relative to its root; a path is written once.

    In memory (Output()), or streamed (Output(stage)): each file goes into the
    stage folder as it is added, so a national site never has to fit in
    memory; write_site then swaps the stage in. Adding a path again with the
    same bytes is allowed (a chart that two reports show), with other bytes
    it is an error. carry=False (a worker process, which reports no carried
    files to the build) links a kept file at once instead."""

    def __init__(self, stage: Path | None = None, target: Path | None = None, carry: bool = True) -> None:
        self.files: dict[str, bytes] = {}  # in memory only
        self.stage = stage
        self.target = target  # the output folder the stage is for (for messages)
        self.sizes: dict[str, int] = {}
        self.digests: dict[str, str] = {}  # SHA-256 of every file
        self._folders: set[str] = set()  # made in the stage already
        self.pinned: set[str] = set()  # files of frozen reports: what they hold stays (pin)
        self.times: dict[str, int] = {}  # linked files: their source's modification time (ns), as the stage has it
        self.carried: set[str] = set()  # files of the previous site (in target) put in at the swap: carry_all
        self._carrying = carry and stage is not None and target is not None

    def _folder(self, target: Path | str) -> None:
        folder = os.path.dirname(target)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)

    def _check(self, path: str) -> None:
        if _LOCAL.fullmatch(path) is None or ".." in path.split("/"):  # (strings, not paths: it runs per file)
            raise CakupanError(f"refusing to write outside the site: {path!r}")

    def _already(self, path: str, digest: str, pinned_wins: bool = False) -> bool:
        """Whether path is in the site already with these bytes (nothing to do); another file there is an
        error, unless pinned_wins and it is pinned (a frozen or kept report's file keeps its bytes)."""
        if path not in self.sizes:
            return False
        if self.digests[path] == digest or (pinned_wins and path in self.pinned):
            return True
        raise CakupanError(f"two outputs want the same path: {path}")

    def add(self, path: str, data: bytes | str) -> None:
        self._check(path)
        data = data.encode("utf-8") if isinstance(data, str) else data
        digest = hashlib.sha256(data).hexdigest()
        if self._already(path, digest, pinned_wins=True):  # (the latest report drawing a kept file anew does not win)
            return
        if self.stage is None:
            self.files[path] = data
        else:
            with self._writing():
                target = self.stage / path
                self._folder(target)
                try:
                    _write_file(target, data)
                except FileExistsError:  # written by another worker process of this build: the same bytes?
                    if target.read_bytes() != data:
                        raise CakupanError(f"two outputs want the same path: {path}") from None
        self.sizes[path] = len(data)
        self.digests[path] = digest

    def add_all(self, files: dict[str, bytes | str]) -> None:
        """Each of files, in order, as add makes it."""
        for path, data in files.items():
            self.add(path, data)

    def pin(self, path: str, data: bytes) -> None:
        """A frozen report's file, as stored (generator/published.py): a later add of other bytes keeps it."""
        self.add(path, data)
        self.pinned.add(path)

    def reuse_all(self, files) -> None:
        """Files a previous build made from the same inputs, each (path, source, size, digest, mtime): linked
        (or copied) in, not made again; mtime is the source's modification time, which a link keeps (so the
        site's record need not look). One loop, no call a file: a deploy from the build cache links a national
        site's 144,000 files."""
        check, already, folders, sizes, digests, times = (self._check, self._already, self._folders, self.sizes,
                                                          self.digests, self.times)
        stage = None if self.stage is None else os.path.join(self.stage, "")
        with self._writing():
            for path, source, size, digest, mtime in files:
                check(path)
                if already(path, digest):
                    continue
                if stage is None:
                    self.files[path] = Path(source).read_bytes()
                else:
                    target = stage + path
                    folder = target.rpartition("/")[0]
                    if folder not in folders:
                        os.makedirs(folder, exist_ok=True)
                        folders.add(folder)
                    try:
                        os.link(source, target)
                        if mtime is not None:
                            times[path] = mtime
                    except OSError:  # another file system, or links not allowed: a copy
                        shutil.copyfile(source, target)
                sizes[path] = size
                digests[path] = digest

    def carry_all(self, files) -> None:
        """Files of the previous site (target/path), each (path, size, digest, mtime), that this site keeps as
        they are: moved in with their folder, or linked, when the stage is swapped in (write_site); read from
        where they are until then. One loop, no call a file: a national rebuild carries 145,000."""
        if not self._carrying:
            self.reuse_all([(path, os.path.join(self.target, path), size, digest, mtime)
                            for path, size, digest, mtime in files])
            return
        check, already, carried, times, sizes, digests = (self._check, self._already, self.carried, self.times,
                                                          self.sizes, self.digests)
        for path, size, digest, mtime in files:
            check(path)
            if already(path, digest):
                continue
            carried.add(path)
            times[path] = mtime
            sizes[path] = size
            digests[path] = digest

    def source(self, path: str) -> str:
        """Where a streamed file is on disk now: in the stage, or in the previous site if carried."""
        return os.path.join(self.target if path in self.carried else self.stage, path)

    @contextlib.contextmanager
    def _writing(self):
        try:
            yield
        except OSError as exc:
            shown = display_path(self.target or self.stage)
            raise CakupanError(f"{shown}: the site could not be written ({exc.strerror or exc}); "
                               "the previous site is unchanged") from exc

    def read(self, path: str) -> bytes:
        if self.stage is None:
            return self.files[path]
        with open(self.source(path), "rb") as f:
            return f.read()

    def __contains__(self, path: str) -> bool:
        return path in self.sizes

    @property
    def size(self) -> int:
        return sum(self.sizes.values())


def stage_for(out_dir: Path) -> Path:
    """A new, empty folder beside out_dir for a streamed Output (checked like out_dir itself)."""
    out_dir = _target(out_dir)
    try:
        return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    except OSError as exc:  # a read-only or full file system: the user's to fix, not a bug
        raise CakupanError(f"{display_path(out_dir)}: the site could not be written ({exc.strerror or exc}); "
                           "the previous site is unchanged") from exc


def discard(stage: Path) -> None:
    """Remove a stage that was not swapped in (a failed or abandoned build)."""
    if stage.exists():
        shutil.rmtree(stage, ignore_errors=True)


def write_site(output: Output, out_dir: Path, *, remove_later: bool = False,
               folders: dict[str, list[int]] | None = None) -> None:
    """Write every file into a fresh folder beside out_dir (or take the stage they were
    streamed into), put in the files carried from the previous site, then swap it in.

    Until then, out_dir is not touched; the carrying and the swap run with
    Ctrl-C held, the swap is one step where the system allows it (Linux),
    otherwise two renames, and a failure in either moves every carried folder
    back. On any failure the fresh folder is removed and out_dir is as it was.
    The previous site is removed before this returns, or with remove_later
    by a process of its own (remove_later below) while the caller goes on. folders: the previous
    site's, as its record has them (rebuild.Previous.folders; none: every carried file is linked).
    """
    out_dir = _target(out_dir)
    fresh = output.stage or Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    moved: list[tuple[str, str]] = []  # carried folders: (where it was in out_dir, where it is in fresh)
    try:
        if output.stage is None:
            for path in sorted(output.files):
                target = fresh / path
                target.parent.mkdir(parents=True, exist_ok=True)
                _write_file(target, output.files[path])
        os.chmod(fresh, 0o755)
        with _interrupts_held():
            try:
                carry_in(output.carried, os.fspath(out_dir), os.fspath(fresh), moved, folders or {})
                previous = _swap_in(fresh, out_dir)
            except BaseException:
                put_back(moved, display_path(out_dir))
                raise
            if previous is not None and not (remove_later and _removed_later(previous, out_dir)):
                shutil.rmtree(previous, ignore_errors=True)
    except BaseException as exc:
        if fresh.exists() and out_dir.exists() and not moved:  # (never the only copy of a site, or of a part)
            shutil.rmtree(fresh, ignore_errors=True)
        if isinstance(exc, OSError):
            raise CakupanError(f"{display_path(out_dir)}: the site could not be written ({exc.strerror or exc}); "
                               "the previous site is unchanged") from exc
        raise


# A previous site is as many files as the new one (30,000 for a national site), and deleting them
# is mostly the disk's time (seconds on an ext4 with discard) that the reader of the new site need
# not wait for. So a build moves it aside under this name and leaves it to a process of its own;
# the next build sweeps up any that a killed remover left (sweep_removed).
_REMOVER = "import shutil, sys\nfor path in sys.argv[1:]: shutil.rmtree(path, ignore_errors=True)\n"


def _aside_name(out_dir: Path) -> str:
    return f".{out_dir.name}.removed-"


def _removed_later(previous: Path, out_dir: Path) -> bool:
    """Move the previous site aside and start a process that removes it; False if either failed."""
    try:
        aside = Path(tempfile.mkdtemp(prefix=_aside_name(out_dir), dir=out_dir.parent))
        os.rename(previous, aside / "site")
    except OSError:
        return False
    return remove_later([aside])


def remove_later(paths: list[Path]) -> bool:
    """Start a detached process that removes these folders (it outlives this one); False if it could not start."""
    import subprocess

    try:
        subprocess.Popen([sys.executable, "-c", _REMOVER, *map(str, paths)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                         close_fds=True)
    except OSError:
        return False
    return True


def sweep_removed(out_dir: Path) -> None:
    """Leave to a remover the previous sites beside out_dir that an earlier remover did not finish."""
    out_dir = out_dir.resolve()
    try:
        left = sorted(out_dir.parent.glob(_aside_name(out_dir) + "*"))
    except OSError:
        return
    if left:
        remove_later(left)


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
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CakupanError(f"{shown}: the site could not be written ({exc.strerror or exc})") from exc
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
