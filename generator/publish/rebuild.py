"""Rebuilding only what changed: whole dated reports kept, and nothing done when nothing changed.

Why this module exists: a national site has hundreds of dated reports and
tens of thousands of files, and a new snapshot changes one report (and the
region's latest pages). A dated report is published once and then stays as
it was made: its key is what it says (its region's data up to its date, its
editor's note and corrections: published.data_keys) and where it is
published (the base URL, one region or several), not the templates, the
content pages or the code, which change new reports only. After a successful
build, the build cache keeps a record of the site it wrote: for every report,
its key and its files (size and SHA-256), and a key of all the inputs
together. The next build into the same folder

- stops at once when the inputs key is the same and every file is still there
  with its size (the site is left as it was);
- otherwise carries each report whose key is unchanged from the previous
  site into the new one (moved or linked at the swap: write.py), instead of
  planning, rendering and zipping it again; the files a kept report holds
  (the shared files its pages load among them) keep their bytes even where
  this build makes the same address anew (write.Output.pin).

The record is removed before a build swaps its site in and written after, so
it never describes a site other than the one in the folder. A report is kept
only if every one of its files is still in the folder with its recorded size
and modification time (so a file edited by hand, or rewritten by a build
without the cache, makes its report be made again).
`cakupan build --no-cache` neither reads nor writes records, and makes every
report with today's templates and code. With the same templates and code, a
kept report is byte for byte what a cold build makes (tests/test_cache.py
builds both ways and compares); after a template edit, the reports made
before it stay as they were (tests/test_permanence.py).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
import sys
import zlib
from dataclasses import dataclass
from datetime import date as Date
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from generator.charts import fonts
from generator.data import entries, inputs
from generator.data.load import cache_root

if TYPE_CHECKING:
    from generator.publish import cache
    from generator.publish.settings import Settings
    from generator.data.model import Region
    from generator.publish.write import Output

FORMAT = 5  # of the site record (4: its reports apart, a line each, with the shared files they load; 5: its folders)
REPORT_FORMAT = 2  # what a report key holds (2: its data and where it is published, not the code)
_PACKAGES = ("altair", "vl-convert-python", "babel", "jinja2", "markdown", "nh3", "pyyaml", "markupsafe")


@dataclass
class Made:
    """A dated report as a build made it: enough to keep it in the next build without planning it."""

    key: str
    manifest: dict[str, str]  # what its SHA256SUMS lists: path -> sha256
    files: dict[str, tuple[int, str]]  # every file it wrote: path -> (size, sha256)
    pages: int
    urls: list[str]  # its pages' addresses, for the sitemap
    feed: list[dict]  # its Atom entry (feed_entry in site/feed.py)
    frozen: bool = False  # written from its frozen record's stored bytes (generator/published.py)
    cached: bool = False  # linked from the build cache (generator/publish/reportcache.py), not rendered
    kept: bool = False  # carried from the previous site (write.Output.carry_all), not rendered
    # Its line of the site's record, when it has one already made: the previous site's record's (kept), or its
    # build cache entry (reportcache.py: the same keys, each file with a time after its hash, and what it used).
    line: bytes | None = None


def _tree(folder: Path, h) -> None:
    """Every entry under folder into the hash h (inputs.walk): each file by relative path and bytes,
    each folder (an empty one too) by its path, and each symlink by where it points and what it points
    at, followed into a linked folder once (a region added as a symlinked folder changes the key). A
    FIFO, device, oversized or unreadable file counts by its type and size, never opened or read
    past its size: the build refuses it."""
    if not folder.is_dir():
        h.update(b"(none)")
        return
    for entry in inputs.walk(folder):  # (os.fsencode: a name that is not UTF-8 counts as its bytes)
        rel, st = entry.rel, f"{stat.S_IFMT(entry.mode)} {entry.size} {entry.mtime_ns}"
        if entry.link is not None:
            h.update(os.fsencode(f"L {rel} -> {entry.link}\0"))
        if entry.kind == "outside":  # the build refuses whatever it would read there: not read here
            h.update(os.fsencode(f"O {st}\0"))
        elif entry.kind == "broken":
            h.update(os.fsencode(f"? {rel}\0"))  # the build reports it
        elif entry.kind == "folder":
            h.update(os.fsencode(f"D {rel}/\0"))
        elif entry.kind == "again":  # a symlink loop, or a folder linked twice
            h.update(b"(again)\0")
        elif entry.kind == "unreadable":
            h.update(os.fsencode(f"(unreadable {entry.error})\0"))
        elif entry.kind == "file" and entry.size <= _MAX_READ:
            h.update(os.fsencode(f"F {rel} {entry.size}\0"))
            try:  # (without blocking on a file turned into a FIFO since it was looked at)
                h.update(inputs.read_bytes(entry.path, folder, _MAX_READ))
            except inputs.InputError as exc:
                h.update(os.fsencode(f"(refused: {exc.reason})"))
            h.update(b"\0")
        else:
            h.update(os.fsencode(f"S {rel} {st}\0"))


_MAX_READ = 5_000_000  # beyond every input limit (generator/data/inputs.py): such a file is refused, not read


def code_key() -> str:
    """The code that makes a site: this package's files, the libraries that take part, Python, zlib."""
    h = hashlib.sha256(b"cakupan-code\0%d\0" % FORMAT)
    _tree(Path(__file__).parents[1], h)  # the whole package
    for name in _PACKAGES:
        try:
            h.update(f"{name}={version(name)}\0".encode())
        except PackageNotFoundError:
            h.update(f"{name}=?\0".encode())
    h.update(f"{sys.version}\0zlib {zlib.ZLIB_RUNTIME_VERSION}".encode())  # (zlib makes the zips)
    return h.hexdigest()


def inputs_key(settings: Settings) -> str:
    """Everything a build reads: data (frozen records included), content, templates, code, settings."""
    h = hashlib.sha256(b"cakupan-inputs\0")
    h.update(code_key().encode())
    for folder in (settings.data, settings.content, settings.templates):
        h.update(str(folder).encode() + b"\0")
        _tree(folder, h)
    h.update(json.dumps([settings.base_url, str(settings.out)]).encode())
    fonts.pin()  # (as drawing would: the fonts images and cards are drawn with, the rest of what decides
    h.update(json.dumps(fonts.fingerprint()).encode())  # their bytes is code, in code_key)
    return h.hexdigest()


@dataclass(frozen=True)
class Start:
    """What a build learns before it imports the drawing and rendering libraries, and then uses as it is
    (the record is read and the inputs hashed once a build): the record of the last build into its
    folder, the key of its inputs, and whether that is all it needs."""

    previous: Previous | None
    inputs: str | None  # None without the build cache (--no-cache): nothing is recorded
    unchanged: bool  # the inputs are the last build's and every file is still as it wrote it


def start(settings: Settings) -> Start:
    """The record of the last build into settings.out and the key of this build's inputs."""
    if not settings.cache:
        return Start(None, None, False)
    previous = _read(_record_path(cache_root() / "build", settings.out), settings.out)
    inputs = inputs_key(settings)
    return Start(previous, inputs, previous is not None and previous.inputs == inputs and previous.intact(settings.out))


class ReportKeys:
    """The key of each dated report: what it says (published.data_keys: its region's data up to its date,
    its editor's note and corrections) and where it is published (the base URL, one region or several).

    Not the templates, the content pages or the code: a dated report, once made, is published, and a
    later template, stylesheet, methodology or code change alters new reports only. A report whose key
    the previous site or the build cache holds is kept as it was made; `cakupan build --no-cache` makes
    every report again, and `cakupan freeze` keeps its bytes in the repository, beyond any cache."""

    def __init__(self, data_keys: dict[tuple[str, Date], str], base_url: str | None, regions: int):
        self._data_keys = data_keys
        self._where = json.dumps([REPORT_FORMAT, base_url, regions > 1]).encode()

    def of(self, region: Region, when: Date) -> str:
        """The key of the region's report dated when (one of its snapshots' dates)."""
        h = hashlib.sha256(b"cakupan-report\0" + self._where + b"\0")
        h.update(self._data_keys[(region.slug, when)].encode())
        return h.hexdigest()


def _record_path(store: cache.Store | Path, out: Path) -> Path | None:
    """Where the record of the site in out is kept: beside the entries of store (or under the folder given)."""
    root = store if isinstance(store, Path) else store.root.parent if store.root is not None else None
    if root is None:
        return None
    return root / "sites" / (hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:32] + ".json")


@dataclass
class Previous:
    """The record of the last build into a folder."""

    inputs: str
    files: dict[str, list[int]]  # every file of the site: path -> [size, modification time in ns]
    summary: dict
    path: Path  # the record; its reports beside it (_reports_path), read only by a build that keeps some

    @functools.cached_property
    def _reports_part(self) -> tuple[dict, list[bytes]]:
        """The reports part of the record (_reports_path): its head (JSON) and its lines; empty if that part
        is missing or from another build."""
        try:
            head, *lines = _reports_path(self.path).read_bytes().split(b"\n")
            data = json.loads(head)
            if data.get("format") != FORMAT or data.get("inputs") != self.inputs:
                return {}, []
            return data, lines
        except (OSError, ValueError, TypeError, AttributeError):
            return {}, []

    @functools.cached_property
    def reports(self) -> dict[str, bytes]:
        """Each dated report of the site by key, as its line of the record (JSON: its files, each a list of
        path, size and SHA-256, its manifest, pages, addresses and feed entry; the build cache's entry of
        the report, when it has one, as it is), parsed only when the report is kept."""
        try:
            return {key.decode("ascii"): line for key, _, line in (row.partition(b" ") for row in
                                                                    self._reports_part[1] if row)}
        except (ValueError, AttributeError):
            return {}

    @property
    def folders(self) -> dict[str, list[int]]:
        """Each folder of the site but its root, as the build left it: [modification time in ns, how many
        entries it held] (_folders); carry.py moves a folder still so without listing it."""
        found = self._reports_part[0].get("folders")
        return found if isinstance(found, dict) else {}

    def _all_there(self, out: Path, paths) -> bool:
        """Each of these files of the record still in out as it was written (size and time; contents not read)."""
        prefix, files, stat = os.path.join(os.fspath(out), ""), self.files, os.stat  # (a loop of 145,000 files)
        try:
            for path in paths:
                st, (size, mtime) = stat(prefix + path), files[path]
                if st.st_size != size or st.st_mtime_ns != mtime:
                    return False
        except (OSError, KeyError, TypeError, ValueError):
            return False
        return True

    def intact(self, out: Path) -> bool:
        """Every file of the record still in out as it was written (size and time; contents not read)."""
        return self._all_there(out, self.files)

    def reuse(self, key: str, out: Path, output: Output) -> Made | None:
        """The report with this key, carried from out into output; None if it is not all there as written."""
        line = self.reports.get(key)
        if line is None:
            return None
        try:
            found = json.loads(line)
            rows = found["files"]  # each [path, size, SHA-256] (and a time, in a build cache entry)
            files = {path: (size, digest) for path, size, digest, *_ in rows} if isinstance(rows, list) else None
        except (ValueError, KeyError, TypeError):
            return None
        if files is None or not self._all_there(out, files):
            return None
        recorded = self.files  # path -> [size, modification time]; each file put in at the swap (write.py)
        output.carry_all([(path, size, digest, recorded[path][1]) for path, (size, digest) in sorted(files.items())])
        manifest = {p: files[p][1] for p in found["manifest"]}
        return Made(key, manifest, files, found["pages"], found["urls"], found["feed"], kept=True, line=line)


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def read(store: cache.Store, out: Path) -> Previous | None:
    """The record of the last build into out, or None (none, unreadable, another format)."""
    return _read(_record_path(store, out), out)


def _read(path: Path | None, out: Path) -> Previous | None:
    if path is None or not out.is_dir():
        return None
    try:
        data = json.loads(path.read_bytes())
        if data.get("format") != FORMAT:
            return None
        return Previous(data["inputs"], data["files"], data["summary"], path)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def forget(store: cache.Store, out: Path) -> None:
    """Remove the record of out (before its site is replaced)."""
    path = _record_path(store, out)
    if path is not None:
        try:
            path.unlink()
        except OSError:
            pass


def write(store: cache.Store, out: Path, inputs: str, reports: dict[str, Made], output: Output,
          summary: dict) -> None:
    """Record the site just swapped into out; a cache folder that cannot be written only costs speed."""
    path = _record_path(store, out)
    if path is None or not store.writable:
        return
    try:  # (a file changed later, by hand or by a build without the cache, no longer matches)
        folder = os.fspath(out)  # (a linked file has its source's time: not looked up again)
        files = {p: [output.sizes[p], output.times[p]] if p in output.times else list(_stat(os.path.join(folder, p)))
                 for p in sorted(output.sizes)}
    except TypeError:  # a file already gone
        return
    head = {"format": FORMAT, "inputs": inputs, "folders": _folders(folder, files)}
    lines = [_json(head)]  # then a line a report: its key, a space, its JSON
    for key, m in sorted(reports.items()):
        lines.append(key.encode("ascii") + b" " + (m.line if m.line is not None else _json({
            "manifest": sorted(m.manifest), "files": [[p, *v] for p, v in sorted(m.files.items())],
            "pages": m.pages, "urls": m.urls, "feed": m.feed})))
    entries.write(_reports_path(path), b"\n".join(lines) + b"\n")
    data = {"format": FORMAT, "inputs": inputs, "summary": summary, "files": files}  # (last: it makes the record)
    entries.write(path, _json(data))


def _folders(out: str, paths) -> dict[str, list[int]]:
    """Each folder holding the site's files (its root aside): [its modification time in ns, how many files
    and folders it holds]. Adding or removing an entry sets a folder's time, so a folder found later with
    the same time holds what the site put there: carry.py moves it whole without listing it (listing a
    national site's 33,000 folders took 2.5 s of a rebuild). A folder that cannot be read is left out."""
    held: dict[str, int] = {}  # folder -> its entries; "" the root
    for path in paths:
        here = path.rpartition("/")[0]
        fresh = here not in held
        held[here] = held.get(here, 0) + 1
        while fresh and here:  # (a folder new to held is an entry of its parent, and so on up)
            here = here.rpartition("/")[0]
            fresh = here not in held
            held[here] = held.get(here, 0) + 1
    found = {}
    for folder in sorted(held):
        if folder:
            try:
                found[folder] = [os.stat(os.path.join(out, folder)).st_mtime_ns, held[folder]]
            except OSError:
                pass
    return found


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _reports_path(record: Path) -> Path:
    """The reports part of a site's record, apart so that a build with nothing to do reads only its files:
    a national record is about 50 MB, two thirds of it the reports."""
    return record.with_name(record.stem + ".reports")
